"""评 by the complainant: their own rating of a resolved case, their review request (复查),
and a letter addressed to a leader (领导信箱). Used by the resident pages, whose actor is
the platform's resident-portal user, never a member of staff.

Each locks the case, checks its state, changes it and appends one event, as the
staff's changes do (disputes.cases.services.lifecycle).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from disputes.cases import policies
from disputes.cases.deadlines import REVIEW_DAYS
from disputes.cases.models import Case, CaseEvent
from disputes.cases.services.events import event_record
from disputes.cases.services.lifecycle import (
    DEADLINE_FIELDS,
    S,
    clear_deadline,
    locked,
    propose_team_after_commit,
    require_status,
    set_deadline,
)
from disputes.core.areas import staff_of
from disputes.core.errors import CaseInputError, TransitionRefused
from disputes.core.notes import system_note
from villages.models import Staff

# 信访工作条例: a review (复查) is asked for within 30 days of the written reply.
REVIEW_REQUEST_DAYS = 30
COMMENT_MAX_LENGTH = 500
# Who may receive letters, and the level that then holds the case.
LEADER_ROLES = (Staff.Role.COUNTY_OFFICE, Staff.Role.TOWNSHIP_LEADER)


def check_rate_by_complainant(case: Case) -> None:
    """The complainant rates once the case is resolved and before anyone followed it up."""
    require_status(case, [S.RESOLVED])


def review_request_until(case: Case):
    """The last moment the complainant may ask for a review; None when they may not at all."""
    if (
        case.status != S.FOLLOWED_UP
        or case.satisfaction != Case.Satisfaction.NOT_SATISFIED
        or case.resolved_at is None
    ):
        return None
    return case.resolved_at + timedelta(days=REVIEW_REQUEST_DAYS)


def check_review_by_complainant(case: Case) -> None:
    require_status(case, [S.FOLLOWED_UP])
    if case.satisfaction != Case.Satisfaction.NOT_SATISFIED:
        raise TransitionRefused(_("A review can be asked for only after answering 不满意."))
    until = review_request_until(case)
    if until is None or timezone.now() > until:
        raise TransitionRefused(
            _("A review must be asked for within %(days)d days of the reply.")
            % {"days": REVIEW_REQUEST_DAYS}
        )


@transaction.atomic
def case_rate_by_complainant(*, case_id: int, satisfaction: str, comment: str, actor) -> Case:
    """回访 answered by the complainant: their satisfaction and comment (in the event's note).

    `actor` is the resident-portal user; the caller has checked that the resident may
    see this case (their query code or their confirmed mobile number).
    """
    if satisfaction not in Case.Satisfaction.values:
        raise CaseInputError("satisfaction", _("Choose one of the answers."))
    case = locked(case_id)
    check_rate_by_complainant(case)
    before = case.status
    case.status, case.satisfaction = S.FOLLOWED_UP, satisfaction
    clear_deadline(case)
    note = system_note(gettext_noop("The complainant answered on the resident pages."))
    comment = comment.strip()[:COMMENT_MAX_LENGTH]
    case.save(update_fields=["status", "satisfaction", *DEADLINE_FIELDS])
    event_record(
        case,
        actor,
        CaseEvent.Action.FOLLOW_UP,
        f"{note}\n{comment}" if comment else note,
        from_status=before,
    )
    return case


@transaction.atomic
def case_review_by_complainant(*, case_id: int, reason: str, actor) -> Case:
    """复查 asked for by an unsatisfied complainant, within 30 days of the resolution.

    The case goes back to IN_REVIEW at its level, with the review's time limit, as
    case_reopen does; the desk of that level sees it again.
    """
    reason = reason.strip()[:COMMENT_MAX_LENGTH]
    if not reason:
        raise CaseInputError("reason", _("Say why you ask for a review."))
    case = locked(case_id)
    check_review_by_complainant(case)
    before = case.status
    case.status, case.reviews = S.IN_REVIEW, case.reviews + 1
    case.outcome, case.satisfaction, case.resolved_at = "", "", None
    case.resolved_on_time = None
    set_deadline(case, Case.DeadlineKind.REVIEW, timezone.localdate(), REVIEW_DAYS)
    case.save(
        update_fields=[
            "status",
            "reviews",
            "outcome",
            "satisfaction",
            "resolved_at",
            "resolved_on_time",
            *DEADLINE_FIELDS,
        ]
    )
    note = system_note(gettext_noop("The complainant asked for a review (复查)."))
    event_record(case, actor, CaseEvent.Action.REOPEN, f"{note}\n{reason}", from_status=before)
    propose_team_after_commit(case.pk)
    return case


def leader_level(leader) -> str | None:
    """The level whose desk a leader works at, if they may receive letters."""
    staff = staff_of(leader)
    if staff is None or staff.role not in LEADER_ROLES:
        return None
    return policies.ROLE_LEVEL[staff.role]


@transaction.atomic
def case_address_to_leader(*, case_id: int, leader, actor) -> Case:
    """领导信箱: mark a case just reported for `leader` and give it to their unit's level.

    The case's place must lie in the leader's area (the county office: the county; a
    township leader: their township); CaseInputError "location" otherwise. Call in the
    intake's transaction, so that a refused letter leaves no case behind.
    """
    case = locked(case_id)
    require_status(case, [S.REPORTED])
    level, staff = leader_level(leader), staff_of(leader)
    if level is None:
        raise CaseInputError("leader", _("This leader does not receive letters."))
    in_area = case.county_id == staff.county_id and (
        staff.role == Staff.Role.COUNTY_OFFICE or case.township_id == staff.township_id
    )
    if not in_area:
        raise CaseInputError(
            "location",
            _("This place lies outside the area of the leader you write to."),
        )
    before_level = case.level
    case.addressed_to, case.level = leader, level
    case.save(update_fields=["addressed_to", "level"])
    event_record(
        case,
        actor,
        CaseEvent.Action.NOTE,
        system_note(
            gettext_noop("A letter to the leaders' mailbox, addressed to %(leader)s."),
            leader=leader.get_full_name() or leader.username,
        ),
        from_level=before_level,
    )
    return case
