"""Private files (attachments, exports, bulletins): where they are kept, and how one leaves.

They are kept outside MEDIA_ROOT, so no URL reaches them, and leave the server
only through a view that has checked who asks. The answer is never cached by
a shared cache, never sniffed into another type, and a document is always a
download: a PDF or spreadsheet shown inline could run what it carries. A
sandboxed policy covers the rest should a browser show it anyway.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible

# Where a file is shown inline (re-encoded photos), it may be kept this long by the browser.
PRIVATE_MAX_AGE = 3600


# Migrations name the storage by the path it had first: disputes/storage.py re-exports it.
@deconstructible(path="disputes.storage.PrivateStorage")
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


def private_file_response(
    file, *, filename: str, content_type: str, inline: bool = False
) -> FileResponse:
    """Stream an open file; `inline` only for images the platform re-encoded itself."""
    response = FileResponse(
        file, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"private, max-age={PRIVATE_MAX_AGE}"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
