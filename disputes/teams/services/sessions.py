"""Mediation sessions a team records on the case it handles."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from disputes.cases import policies
from disputes.cases.models import Attachment, Case, CaseEvent, MediationSession
from disputes.cases.services.events import event_record
from disputes.cases.services.lifecycle import HANDLING, require_status
from disputes.core.errors import CaseInputError, NotAllowed
from disputes.core.notes import system_note


@transaction.atomic
def session_record(
    *,
    case_id: int,
    actor,
    held_on: date,
    attendees: str,
    agreed: str = "",
    outcome: str = "",
    agreement_id: int | None = None,
) -> MediationSession:
    """Record a mediation session of the case's team; the signed agreement is an attachment of the case."""
    case = Case.objects.select_for_update().get(pk=case_id)
    if not policies.team_member_of_case(actor, case):
        raise NotAllowed(_("Only members of the team handling the case record its sessions."))
    require_status(case, HANDLING)
    agreement = None
    if agreement_id is not None:
        agreement = Attachment.objects.filter(pk=agreement_id, case=case).first()
        if agreement is None:
            raise CaseInputError("agreement", _("No such file on this case."))
    session = MediationSession.objects.create(
        case=case,
        team_id=case.team_id,
        county_id=case.county_id,
        held_on=held_on,
        attendees=attendees,
        agreed=agreed,
        outcome=outcome,
        agreement=agreement,
        recorded_by=actor,
    )
    event_record(case, actor, CaseEvent.Action.TEAM, _session_note(session))
    return session


def _session_note(session: MediationSession) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        outcome = session.get_outcome_display() or _("continuing")
    return system_note(
        gettext_noop("Mediation session on %(day)s: %(outcome)s"),
        day=session.held_on.isoformat(),
        outcome=outcome,
    )
