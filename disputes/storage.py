"""Where exports and bulletins are kept: outside MEDIA_ROOT, so no URL reaches them.

Their files are handed out only by the views, after checking the user's area
(a bulletin) or that the user asked for it (an export).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """FileSystemStorage under settings.PRIVATE_MEDIA_ROOT, read at each use, without URLs."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL; a view serves them.")
