"""Notes the platform writes into a case's history.

Event notes are stored text, mostly typed by people in Chinese; the ones
the platform writes itself are stored in the site's language too, whatever
the language of the request or task that caused them.
"""

from django.conf import settings
from django.utils import translation


def system_note(message: str, **values) -> str:
    """`message` (marked with gettext_noop) translated to the site's language and filled in."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message) % values
