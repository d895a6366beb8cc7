"""Remarks on a case that change neither its status nor its level: internal notes,
replies to the complainant (答复) and the team's hand-back of a settled case.

Each appends one event (disputes.cases.services.events) after the same checks
the pages use to offer it (disputes.cases.services.actions).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from disputes.cases import policies
from disputes.cases.models import Case, CaseEvent
from disputes.cases.services.events import event_record
from disputes.cases.services.lifecycle import (
    HANDLING,
    S,
    locked,
    require_handler_or_above,
    require_status,
)
from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused


def check_note(actor, case: Case) -> None:
    """A note: those handling the case, above them, or its team, while it is not closed."""
    if case.status in (S.CLOSED, S.NOT_ACCEPTED):
        raise TransitionRefused(_("A closed case takes no more notes."))
    if not (
        policies.holds(actor, case)
        or policies.acts_above(actor, case)
        or policies.team_member_of_case(actor, case)
    ):
        raise NotAllowed(_("Only those handling this case or above them may do this."))


@transaction.atomic
def case_note_add(*, case_id: int, actor, note: str) -> CaseEvent:
    """A note on the case's timeline, from those handling it, above them or its team."""
    case = locked(case_id)
    check_note(actor, case)
    if not note.strip():
        raise CaseInputError("note", _("Write the note."))
    return event_record(case, actor, CaseEvent.Action.NOTE, note.strip())


def check_reply(actor, case: Case) -> None:
    """A reply to the complainant: those handling the case or above them, while it is open."""
    if case.status in (S.CLOSED, S.NOT_ACCEPTED):
        raise TransitionRefused(_("A closed case takes no more replies."))
    require_handler_or_above(actor, case)


@transaction.atomic
def case_reply_add(*, case_id: int, actor, reply: str) -> CaseEvent:
    """A reply to the complainant between the steps (how the matter is going)."""
    case = locked(case_id)
    check_reply(actor, case)
    if not reply.strip():
        raise CaseInputError("reply", _("Write the reply."))
    return event_record(case, actor, CaseEvent.Action.REPLY, reply=reply)


@transaction.atomic
def case_hand_back(*, case_id: int, actor, note: str = "") -> CaseEvent:
    """The case's team reports it settled and hands it back to the holder for resolution."""
    case = locked(case_id)
    check_hand_back(actor, case)
    return event_record(case, actor, CaseEvent.Action.HAND_BACK, note.strip())


def check_hand_back(actor, case: Case) -> None:
    """The team hands back a case it handles once a session settled it."""
    require_status(case, HANDLING)
    if not policies.team_member_of_case(actor, case):
        raise NotAllowed(_("Only members of the team handling the case may hand it back."))
    settled = (
        case.sessions.filter(outcome=Case.Outcome.SETTLED)
        .order_by("-recorded_at")
        .values_list("recorded_at", flat=True)
        .first()
    )
    if settled is None:
        raise TransitionRefused(_("Record the session that settled the case first."))
    if case.events.filter(action=CaseEvent.Action.HAND_BACK, at__gte=settled).exists():
        raise TransitionRefused(_("The team has handed this case back already."))
