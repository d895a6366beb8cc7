"""办: proposing the nearest suitable team for a case, and the team's answer.

Locks are always taken case first, then team, so that concurrent proposals,
answers and expiries of one case serialise on its row. The partial unique
index one_active_assignment_per_case backs the check in code.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from disputes.cases import policies
from disputes.cases.models import Case, CaseEvent
from disputes.cases.services.events import event_record
from disputes.cases.services.lifecycle import (
    HANDLING,
    escalate_locked,
    propose_team_after_commit,
    require_status,
)
from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused
from disputes.core.notes import system_note
from disputes.teams import selectors, spatial
from disputes.teams.models import Assignment, Team, TeamMember

ANSWER_WITHIN = timedelta(hours=24)
CANDIDATES_TRIED = 5
SWEEP_BATCH = 200


def _event(case: Case, actor, note: str):
    event_record(case, actor, CaseEvent.Action.TEAM, note)


def _open(case: Case, team: Team, **fields) -> Assignment:
    """A new active assignment of the team to the case; the team has one case more."""
    assignment = Assignment.objects.create(case=case, team=team, county_id=case.county_id, **fields)
    Team.objects.filter(pk=team.pk).update(load=F("load") + 1)
    return assignment


def team_candidates(*, case_id: int, limit: int = CANDIDATES_TRIED):
    """(team id, distance in metres, load) of teams that could take the case, best first."""
    return spatial.team_candidate_rows(
        case_id=case_id, max_m=settings.TEAM_MAX_DISTANCE_M, limit=limit
    )


@transaction.atomic
def assignment_propose(*, case_id: int) -> Assignment | None:
    """Propose the best team with room for a case in handling; safe to run any number of times.

    Returns the case's active assignment (an existing one, or the new
    proposal), or None when no team can take it; the case is then escalated
    one level with the reason "no team available".
    """
    case = Case.objects.select_for_update().get(pk=case_id)
    if case.status not in HANDLING:
        return None
    active = case.assignments.filter(status__in=Assignment.ACTIVE).first()
    if active is not None:
        return active
    for team_id, distance, _load in team_candidates(case_id=case.pk):
        team = Team.objects.select_for_update().get(pk=team_id)
        if not team.active or team.load >= team.capacity:
            continue  # filled up since the candidates were read
        assignment = _open(
            case,
            team,
            status=Assignment.Status.PROPOSED,
            distance_m=distance,
            answer_due=timezone.now() + ANSWER_WITHIN,
        )
        _event(
            case,
            None,
            _("Proposed %(team)s, %(km).1f km away.") % {"team": team.name, "km": distance / 1000},
        )
        return assignment
    reason = system_note(gettext_noop("no team available"))
    try:
        escalate_locked(case, None, reason)
    except TransitionRefused:
        _event(case, None, reason)
    return None


def proposals_missing_sweep(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Propose teams for accepted cases that never had a proposal (a lost task, say).

    A case accepted longer ago than `older_than` with no team and no assignment at all
    has not been through assignment_propose: it is run now. Returns how many were tried.
    """
    waiting = (
        Case.objects.filter(
            status=Case.Status.ACCEPTED,
            team=None,
            accepted_at__lt=timezone.now() - older_than,
        )
        .exclude(Exists(Assignment.objects.filter(case=OuterRef("pk"))))
        .order_by("accepted_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    case_ids = list(waiting)
    for case_id in case_ids:
        assignment_propose(case_id=case_id)
    return len(case_ids)


def _leader_of(user, team_id) -> bool:
    return (
        user.is_superuser
        or TeamMember.objects.filter(team_id=team_id, user=user, is_leader=True).exists()
    )


@transaction.atomic
def assignment_answer(*, assignment_id: int, actor, accept: bool, reason: str = "") -> Assignment:
    """The team leader takes the case, or declines it with a reason (the next team is proposed)."""
    case_id = Assignment.objects.values_list("case_id", flat=True).get(pk=assignment_id)
    case = Case.objects.select_for_update().get(pk=case_id)
    assignment = Assignment.objects.select_for_update().select_related("team").get(pk=assignment_id)
    if not _leader_of(actor, assignment.team_id):
        raise NotAllowed(_("Only the team's leader may answer for it."))
    if assignment.status != Assignment.Status.PROPOSED:
        raise TransitionRefused(
            _("This proposal is %(status)s already.") % {"status": assignment.get_status_display()}
        )
    assignment.answered_at = timezone.now()
    if accept:
        assignment.status = Assignment.Status.ACCEPTED
        assignment.save(update_fields=["status", "answered_at"])
        _take(
            case,
            assignment.team,
            actor,
            _("%(team)s took the case.") % {"team": assignment.team.name},
        )
        return assignment
    if not reason.strip():
        raise TransitionRefused(_("Declining needs a reason."))
    assignment.status, assignment.reason = Assignment.Status.DECLINED, reason
    assignment.save(update_fields=["status", "answered_at", "reason"])
    Team.objects.filter(pk=assignment.team_id).update(load=F("load") - 1)
    _event(
        case,
        actor,
        _("%(team)s declined: %(reason)s") % {"team": assignment.team.name, "reason": reason},
    )
    propose_team_after_commit(case.pk)
    return assignment


def _take(case: Case, team: Team, actor, note: str):
    before = case.status
    case.team = team
    if case.status == Case.Status.ACCEPTED:
        case.status = Case.Status.IN_HANDLING
    case.save(update_fields=["team", "status"])
    event_record(case, actor, CaseEvent.Action.TEAM, note, from_status=before)


@transaction.atomic
def assignment_assign(*, case_id: int, team_id: int, actor) -> Assignment:
    """A leader (township leader or above) puts a team of their choice on the case."""
    case = Case.objects.select_for_update().get(pk=case_id)
    if not policies.leads_over(actor, case):
        raise NotAllowed(_("A team is assigned by hand by a township leader or above."))
    require_status(case, HANDLING)
    team = Team.objects.select_for_update().filter(pk=team_id, county_id=case.county_id).first()
    if team is None or not selectors.team_in_area(actor, team):
        # The same answer whether the team exists elsewhere or not at all.
        raise CaseInputError("team", _("No team with this id in your area."))
    release_team_locked(case, Assignment.Status.CANCELLED)
    assignment = _open(
        case, team, status=Assignment.Status.ACCEPTED, assigned_by=actor, answered_at=timezone.now()
    )
    _take(
        case,
        team,
        actor,
        system_note(gettext_noop("Assigned to %(team)s by hand."), team=team.name),
    )
    return assignment


def assignments_expire(*, now=None) -> int:
    """Proposals left unanswered past their time lapse, and the next team is proposed."""
    now = now or timezone.now()
    lapsed = list(
        Assignment.objects.filter(
            status=Assignment.Status.PROPOSED, answer_due__lt=now
        ).values_list("pk", flat=True)
    )
    for assignment_id in lapsed:
        _expire(assignment_id, now)
    return len(lapsed)


@transaction.atomic
def _expire(assignment_id: int, now):
    case_id = Assignment.objects.values_list("case_id", flat=True).get(pk=assignment_id)
    case = Case.objects.select_for_update().get(pk=case_id)
    assignment = Assignment.objects.select_for_update().select_related("team").get(pk=assignment_id)
    if assignment.status != Assignment.Status.PROPOSED or assignment.answer_due >= now:
        return  # answered meanwhile
    assignment.status, assignment.answered_at = Assignment.Status.EXPIRED, now
    assignment.save(update_fields=["status", "answered_at"])
    Team.objects.filter(pk=assignment.team_id).update(load=F("load") - 1)
    _event(
        case, None, _("%(team)s did not answer within 24 hours.") % {"team": assignment.team.name}
    )
    propose_team_after_commit(case.pk)


def release_team_locked(case: Case, status: str) -> None:
    """End the case's active assignment (its team gets room again). Call holding the case's lock."""
    active = (
        Assignment.objects.select_for_update()
        .filter(case=case, status__in=Assignment.ACTIVE)
        .first()
    )
    if active is None:
        return
    active.status, active.answered_at = status, active.answered_at or timezone.now()
    active.save(update_fields=["status", "answered_at"])
    Team.objects.filter(pk=active.team_id).update(load=F("load") - 1)
