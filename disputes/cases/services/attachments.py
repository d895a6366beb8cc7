"""Photos and documents of a case.

Nothing is stored as it came. Photos are decoded (after checking how many
pixels they claim, so a small file cannot unfold into gigabytes) and
re-encoded: EXIF (GPS, device) is dropped. PDFs (signed mediation
agreements) are rebuilt from their pages alone: scripts, actions, forms,
annotations, embedded files and anything outside the PDF's objects (HTML
after the header, say) are left behind.
"""

import io

import pikepdf
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from disputes.cases import policies
from disputes.cases.models import Attachment, Case
from disputes.core.errors import CaseInputError, IdempotencyConflict, NotAllowed

MAX_SIDE = 2048  # longest side kept on the server; phones resize before sending
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# What _photo writes: the only types a browser is shown inline.
REENCODED_TYPES = ("image/jpeg", "image/png")
# Pillow's own guard, set to ours: it refuses to open far larger images at all.
Image.MAX_IMAGE_PIXELS = settings.CASE_UPLOAD_MAX_PIXELS


def _not_an_image():
    return CaseInputError("file", _("This file is not an image (JPEG, PNG or WebP)."))


def _photo(data: bytes) -> tuple[bytes, str, str]:
    """A clean re-encoding of an image: (bytes, content type, extension)."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _not_an_image() from exc
    if image.format not in PHOTO_FORMATS:
        raise _not_an_image()
    width, height = image.size
    if width * height > settings.CASE_UPLOAD_MAX_PIXELS:
        raise _too_many_pixels()
    # A JPEG decodes straight at a fraction of its size (1/2 … 1/8): less memory.
    image.draft("RGB", (MAX_SIDE, MAX_SIDE))
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise _not_an_image() from exc
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if image.mode in ("RGBA", "LA", "P"):
        image.save(out, format="PNG", optimize=True)
        return out.getvalue(), "image/png", "png"
    image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), "image/jpeg", "jpg"


def _too_many_pixels():
    return CaseInputError(
        "file",
        _("The image has more than %(mp)d million pixels; send a smaller one.")
        % {"mp": settings.CASE_UPLOAD_MAX_PIXELS // 1_000_000},
    )


def _pdf(data: bytes) -> tuple[bytes, str, str]:
    """A PDF rebuilt from its pages' content only: (bytes, content type, extension)."""
    try:
        with pikepdf.open(io.BytesIO(data)) as source:
            clean = pikepdf.new()
            clean.pages.extend(source.pages)
            for page in clean.pages:
                for key in ("/Annots", "/AA"):
                    if key in page.obj:
                        del page.obj[key]
            out = io.BytesIO()
            clean.save(out, deterministic_id=True)
    except pikepdf.PasswordError as exc:
        raise CaseInputError(
            "file", _("This PDF is protected by a password; send it without one.")
        ) from exc
    except (pikepdf.PdfError, ValueError, RecursionError) as exc:
        raise CaseInputError("file", _("This file is not a readable PDF.")) from exc
    if not len(clean.pages):
        raise CaseInputError("file", _("This PDF has no pages."))
    return out.getvalue(), "application/pdf", "pdf"


def _document(data: bytes) -> tuple[bytes, str, str]:
    if data.startswith(b"%PDF-"):
        return _pdf(data)
    return _photo(data)


@transaction.atomic
def attachment_add(
    *, case_id: int, actor, uuid, kind: str, name: str, file
) -> tuple[Attachment, bool]:
    """Attach a photo or document (PDF or image) to a case; a re-sent uuid returns the first.

    `file` is an uploaded file (it has `size`); it is read only once its size is known to be
    within CASE_UPLOAD_MAX_BYTES.
    """
    existing = Attachment.objects.filter(uploaded_by=actor, uuid=uuid).first()
    if existing is not None:
        if existing.case_id != case_id:
            raise IdempotencyConflict(
                _("This client key (uuid) was already used for another file.")
            )
        return existing, False
    case = Case.objects.get(pk=case_id)
    if not (
        case.reporter_id == actor.pk
        or policies.holds(actor, case)
        or policies.team_member_of_case(actor, case)
    ):
        raise NotAllowed(_("Only the reporter or those handling the case may add files."))
    if file.size > settings.CASE_UPLOAD_MAX_BYTES:
        raise CaseInputError(
            "file",
            _("The file is larger than %(mb)d MB.")
            % {"mb": settings.CASE_UPLOAD_MAX_BYTES // 2**20},
        )
    if not file.size:
        raise CaseInputError("file", _("The file is empty."))
    data = file.read()
    content, content_type, ext = _photo(data) if kind == Attachment.Kind.PHOTO else _document(data)
    attachment = Attachment(
        uuid=uuid,
        case=case,
        county_id=case.county_id,
        kind=kind,
        content_type=content_type,
        size=len(content),
        uploaded_by=actor,
    )
    attachment.file.save(f"{uuid}.{ext}", ContentFile(content), save=False)
    attachment.save()
    return attachment, True
