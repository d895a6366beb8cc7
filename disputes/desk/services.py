"""The case page's actions: each checks the version the user saw, then calls the case's service.

Two people acting on one case at once: the first one's change bumps the
case's version (its newest event); the second one's form still carries the
old one and is refused whole, so that nothing happens twice.
"""

import uuid

from django.db import transaction
from django.db.models import Max

from disputes.cases.models import Attachment, Case, CaseEvent
from disputes.cases.services import attachments, lifecycle, remarks
from disputes.desk.actions import PARTS
from disputes.oversight.services import supervision
from disputes.teams.services import assignment, sessions


class StaleCase(Exception):
    """The case changed after the page was shown."""


def case_version(case: Case) -> int:
    """The case's version: the id of its newest event (every change appends one)."""
    events = CaseEvent.objects.filter(county_id=case.county_id, case_id=case.pk)
    return events.aggregate(v=Max("id"))["v"] or 0


def _attach(case_id, actor, kind, file):
    attachment, _created = attachments.attachment_add(
        case_id=case_id, actor=actor, uuid=uuid.uuid4(), kind=kind, name=file.name, file=file
    )
    return attachment


def _resolve(case_id, actor, outcome, note, reply, agreement=None):
    if agreement is not None:
        _attach(case_id, actor, Attachment.Kind.DOCUMENT, agreement)
    return lifecycle.case_resolve(
        case_id=case_id, actor=actor, outcome=outcome, note=note, reply=reply
    )


# action name → the service it calls, with the form's cleaned values as keywords
SERVICES = {
    "accept": lambda case_id, actor, note, reply: lifecycle.case_accept(
        case_id=case_id, actor=actor, note=note, reply=reply
    ),
    "reject": lambda case_id, actor, reason, reply: lifecycle.case_reject(
        case_id=case_id, actor=actor, reason=reason, reply=reply
    ),
    "escalate": lambda case_id, actor, reason: lifecycle.case_escalate(
        case_id=case_id, actor=actor, reason=reason
    ),
    "assign": lambda case_id, actor, team: assignment.assignment_assign(
        case_id=case_id, team_id=team, actor=actor
    ),
    "extend": lambda case_id, actor, days, reason, reply: lifecycle.case_extend(
        case_id=case_id, actor=actor, days=days, reason=reason, reply=reply
    ),
    "resolve": _resolve,
    "hand_back": lambda case_id, actor, note: remarks.case_hand_back(
        case_id=case_id, actor=actor, note=note
    ),
    "follow_up": lambda case_id, actor, satisfaction, note: lifecycle.case_follow_up(
        case_id=case_id, actor=actor, satisfaction=satisfaction, note=note
    ),
    "reopen": lambda case_id, actor, reason: lifecycle.case_reopen(
        case_id=case_id, actor=actor, reason=reason
    ),
    "close": lambda case_id, actor, note: lifecycle.case_close(
        case_id=case_id, actor=actor, note=note
    ),
    "supervise": lambda case_id, actor, note: supervision.notice_issue_by_hand(
        case_id=case_id, actor=actor, note=note
    ),
    "session": lambda case_id, actor, **values: sessions.session_record(
        case_id=case_id, actor=actor, **values
    ),
    "note": lambda case_id, actor, note: remarks.case_note_add(
        case_id=case_id, actor=actor, note=note
    ),
    "reply": lambda case_id, actor, reply: remarks.case_reply_add(
        case_id=case_id, actor=actor, reply=reply
    ),
    "attach": _attach,
}
for _part in PARTS:
    SERVICES.update(_part.SERVICES)


@transaction.atomic
def desk_act(*, case_id: int, actor, action: str, version: int, values: dict):
    """Do `action` on the case if it is still at `version`; StaleCase else.

    The case's row is locked first, so that of two concurrent actions the
    second sees the first one's event. Errors of the service (NotAllowed,
    TransitionRefused, CaseInputError) pass through unchanged.
    """
    case = Case.objects.select_for_update().only("pk", "county_id").get(pk=case_id)
    if case_version(case) != version:
        raise StaleCase
    return SERVICES[action](case_id, actor, **values)
