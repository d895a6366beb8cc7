"""What the Open311 interface writes: a posted service request becomes a case (接)."""

import uuid
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.cases.models import Case, Party
from disputes.cases.services import fingerprints, intake
from disputes.core.errors import CaseInputError, IdempotencyConflict
from disputes.open311 import selectors
from disputes.open311.errors import Open311Error
from disputes.open311.models import Open311Client


@dataclass(frozen=True)
class RequestInput:
    """A service request as posted, checked. `name` is the complainant's (family name first)."""

    service_code: str
    lat: float
    long: float
    description: str
    address: str = ""
    ticket: str = ""
    name: str = ""
    phone: str = ""
    account_id: str = ""


def request_post(*, client: Open311Client, values: RequestInput) -> intake.Reported:
    """Report the request as a case of the client's county, by the client's account, in its
    channel; the complainant (name, phone) becomes the case's party and goes no further.

    With a ticket number the post is idempotent: the same ticket and the same content
    return the case made the first time (created False); the same ticket with other
    content is refused. A hotline client's ticket is also the case's 12345 ticket
    number, one case per ticket in a county, whoever registered it.
    Raises Open311Error: 404 for an unknown service, 400 for a point outside the county
    or anything else the intake refuses.
    """
    category = selectors.service_category(values.service_code)
    if category is None:
        raise Open311Error(
            404, _("service_code “%(code)s” was not found.") % {"code": values.service_code}
        )
    hotline = client.channel == Case.Channel.HOTLINE
    parties = []
    if values.name:
        parties.append(
            intake.PartyInput(role=Party.Role.COMPLAINANT, name=values.name, phone=values.phone)
        )
    report = intake.CaseReport(
        uuid=client.ticket_uuid(values.ticket) if values.ticket else uuid.uuid4(),
        channel=client.channel,
        occurred_at=timezone.now(),
        category=category,
        description=values.description,
        lon=values.long,
        lat=values.lat,
        address=values.address,
        parties=parties,
        hotline_ticket=values.ticket if hotline else "",
    )
    sent = {
        "service_code": values.service_code,
        "lat": values.lat,
        "long": values.long,
        "description": values.description,
        "address": values.address,
        "name": values.name,
        "phone": values.phone,
        "ticket": values.ticket,
    }
    try:
        return intake.case_report(
            reporter=client.user,
            report=report,
            fingerprint=fingerprints.report_fingerprint(sent),
            county_id=client.county_id,
        )
    except CaseInputError as refused:
        raise Open311Error(400, refused.message) from None
    except IdempotencyConflict:
        raise Open311Error(
            400,
            _(
                "Ticket %(ticket)s was posted before with different content. Post a "
                "changed request with a new ticket number."
            )
            % {"ticket": values.ticket},
        ) from None
