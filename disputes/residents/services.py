"""What residents do on /r/: report a case (or write to a leader), rate it, ask for a review.

A report goes through the intake (disputes.cases.services.intake.case_report) as
the desk's and the API's do, reported by the resident-portal user and placed in the
county the pages serve; the complainant is a party. The query code is given once
(the answer page and an SMS) and kept only as its hash.
"""

import logging
import uuid as uuid_lib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.sms import SmsError, sms_send
from disputes.cases.models import Attachment, Case, Party
from disputes.cases.query_codes import query_code_hash, query_code_new
from disputes.cases.services import attachments, complainant, fingerprints, intake
from disputes.core.errors import CaseInputError
from disputes.residents.models import MailboxLeader
from disputes.residents.portal import portal_county, portal_user

logger = logging.getLogger("disputes.residents")
MAX_PHOTOS = 3


@dataclass(frozen=True)
class ResidentReport:
    """What the report form gives: the place is (lon, lat) or a village."""

    category: object
    description: str
    name: str
    phone: str
    id_number: str = ""
    lon: float | None = None
    lat: float | None = None
    village_id: int | None = None
    accuracy_m: float | None = None
    address: str = ""
    photos: tuple = ()
    leader: MailboxLeader | None = None


def resident_report(*, report: ResidentReport) -> tuple[Case, str]:
    """Make the case, attach the photos, and text the number and query code to the resident.

    Returns (case, query code). Raises CaseInputError for a place outside the county (or
    outside the leader's area), a photo that is not one; nothing is kept then.
    """
    county = portal_county()
    if county is None:
        raise CaseInputError("location", _("No county is served here yet."))
    reporter = portal_user()
    code = query_code_new()
    key = uuid_lib.uuid4()
    values = {
        "uuid": key,
        "channel": Case.Channel.MAILBOX if report.leader else Case.Channel.WEB,
        "category": report.category,
        "description": report.description,
        "lon": report.lon,
        "lat": report.lat,
        "village_id": report.village_id,
        "address": report.address,
    }
    case_report = intake.CaseReport(
        occurred_at=timezone.now(),
        accuracy_m=report.accuracy_m,
        parties=[
            intake.PartyInput(
                role=Party.Role.COMPLAINANT,
                name=report.name,
                phone=report.phone,
                id_number=report.id_number,
            )
        ],
        query_code_hash=query_code_hash(code),
        **values,
    )
    with transaction.atomic():
        case = intake.case_report(
            reporter=reporter,
            report=case_report,
            fingerprint=fingerprints.report_fingerprint(values),
            county_id=county.pk,
        ).case
        if report.leader is not None:
            case = complainant.case_address_to_leader(
                case_id=case.pk, leader=report.leader.user, actor=reporter
            )
        for photo in report.photos[:MAX_PHOTOS]:
            attachments.attachment_add(
                case_id=case.pk,
                actor=reporter,
                uuid=uuid_lib.uuid4(),
                kind=Attachment.Kind.PHOTO,
                name=photo.name,
                file=photo,
            )
        text = _(
            "Your matter is registered as case #%(number)s; its query code is %(code)s. "
            "Follow it on the resident pages (阳光信访) with both."
        ) % {"number": case.pk, "code": code}
        transaction.on_commit(lambda: _text(report.phone, text, case.pk))
    return case, code


def _text(phone: str, text: str, case_id: int) -> None:
    try:
        sms_send(phone, text)
    except SmsError as error:  # the answer page shows the code all the same
        logger.warning("resident report #%s: SMS not sent (%s)", case_id, error)


def resident_rate(*, case_id: int, satisfaction: str, comment: str) -> Case:
    return complainant.case_rate_by_complainant(
        case_id=case_id, satisfaction=satisfaction, comment=comment, actor=portal_user()
    )


def resident_review(*, case_id: int, reason: str) -> Case:
    return complainant.case_review_by_complainant(
        case_id=case_id, reason=reason, actor=portal_user()
    )
