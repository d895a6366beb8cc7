"""Photos and documents of a case. Photos are re-encoded: EXIF (GPS, device) is dropped."""

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from disputes import policies
from disputes.models import Attachment, Case
from disputes.services.errors import CaseInputError, IdempotencyConflict, NotAllowed

MAX_PIXELS = 2048  # longest side kept on the server; phones resize before sending
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def _photo(data: bytes) -> tuple[bytes, str, str]:
    """A clean re-encoding of an image: (bytes, content type, extension)."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise CaseInputError("file", _("This file is not an image (JPEG, PNG or WebP).")) from exc
    if image.format not in PHOTO_FORMATS:
        raise CaseInputError("file", _("This file is not an image (JPEG, PNG or WebP)."))
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_PIXELS, MAX_PIXELS))
    out = io.BytesIO()
    if image.mode in ("RGBA", "LA", "P"):
        image.save(out, format="PNG", optimize=True)
        return out.getvalue(), "image/png", "png"
    image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), "image/jpeg", "jpg"


def _document(data: bytes, name: str) -> tuple[bytes, str, str]:
    if data.startswith(b"%PDF-"):
        return data, "application/pdf", "pdf"
    return _photo(data)


@transaction.atomic
def attachment_add(
    *, case_id: int, actor, uuid, kind: str, name: str, data: bytes
) -> tuple[Attachment, bool]:
    """Attach a photo or document (PDF or image) to a case; a re-sent uuid returns the first."""
    existing = Attachment.objects.filter(uuid=uuid).first()
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
    if len(data) > settings.CASE_UPLOAD_MAX_BYTES:
        raise CaseInputError(
            "file",
            _("The file is larger than %(mb)d MB.")
            % {"mb": settings.CASE_UPLOAD_MAX_BYTES // 2**20},
        )
    if not data:
        raise CaseInputError("file", _("The file is empty."))
    content, content_type, ext = (
        _photo(data) if kind == Attachment.Kind.PHOTO else _document(data, name)
    )
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
