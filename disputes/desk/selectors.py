"""Reads for the desk: the home's counts, the case list and everything a case page shows."""

import json
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from disputes.cases import identity, policies
from disputes.cases import selectors as cases
from disputes.cases.deadlines import DUE_SOON_DAYS
from disputes.cases.models import Case
from disputes.cases.services.lifecycle import HANDLING
from disputes.core.areas import user_units
from disputes.oversight.models import Notification
from disputes.residents.models import MailboxLeader
from disputes.teams.models import Assignment, Team
from disputes.teams.selectors import team_in_area
from disputes.teams.services import assignment

S = Case.Status
CANDIDATES_SHOWN = 10


def proposal_waiting():
    return Exists(
        Assignment.objects.filter(case_id=OuterRef("pk"), status=Assignment.Status.PROPOSED)
    )


@dataclass(frozen=True)
class Tally:
    """One count of the desk home and the list filter it links to."""

    key: str
    query: str


# What each count of the home counts, and the case list's query string that shows them.
TALLIES = (
    Tally("to_accept", "status=reported"),
    Tally("no_team", "status=accepted&status=in_handling&status=in_review&team=none"),
    Tally("proposal_waiting", "proposal=waiting"),
    Tally("in_handling", "status=in_handling"),
    Tally("to_follow_up", "status=resolved"),
    Tally("due_soon", "due=soon"),
    Tally("overdue", "due=overdue"),
    Tally("repeats", "repeat=yes&open=yes"),
    # Only for a leader who receives letters (领导信箱): the open ones addressed to them.
    Tally("letters", "addressed=me&open=yes"),
)


def _tally_filters(today, user) -> dict:
    soon = today + timedelta(days=DUE_SOON_DAYS)
    filters = {
        "to_accept": Q(status=S.REPORTED),
        "no_team": Q(status__in=HANDLING, team__isnull=True),
        "proposal_waiting": Q(proposal_waiting()),
        "in_handling": Q(status=S.IN_HANDLING),
        "to_follow_up": Q(status=S.RESOLVED),
        "due_soon": Q(status__in=Case.OPEN_STATUSES, due_date__gte=today, due_date__lte=soon),
        "overdue": Q(status__in=Case.OPEN_STATUSES, due_date__lt=today),
        "repeats": Q(status__in=Case.OPEN_STATUSES, repeat_of__isnull=False),
    }
    if MailboxLeader.objects.filter(user=user).exists():
        filters["letters"] = Q(status__in=Case.OPEN_STATUSES, addressed_to=user)
    return filters


def desk_counts(*, user) -> list[dict]:
    """The home's counts for the user's area, in one query: [{key, count, query}]."""
    filters = _tally_filters(timezone.localdate(), user)
    counts = Case.objects.filter(policies.case_scope_q(user)).aggregate(
        **{key: Count("pk", filter=q) for key, q in filters.items()}
    )
    return [
        {"key": tally.key, "count": counts[tally.key], "query": tally.query}
        for tally in TALLIES
        if tally.key in counts
    ]


def region_counties(*, user) -> list[dict]:
    """For a region (city or province office, superuser over several counties): each county
    with its open and overdue cases, in one query; [] for everyone else.
    """
    level, region = user_units(user)
    if level != "region":
        return []
    today = timezone.localdate()
    open_cases = Q(cases__status__in=Case.OPEN_STATUSES)
    rows = region.counties.defer("boundary").annotate(
        open=Count("cases", filter=open_cases),
        overdue=Count("cases", filter=open_cases & Q(cases__due_date__lt=today)),
    )
    return [{"code": c.code, "name": c.name, "open": c.open, "overdue": c.overdue} for c in rows]


def latest_cases(*, user, limit: int = 8):
    return cases.case_list(user=user)[:limit]


def unread_notifications(*, user, limit: int = 5) -> tuple[int, list]:
    unread = Notification.objects.filter(user=user, read_at=None)
    latest = unread.select_related("notice__case__category").order_by("-created_at", "-id")
    return unread.count(), list(latest[:limit])


def desk_cases(*, user):
    """The cases of the user's area for the list, with what its filters need."""
    return cases.case_list(user=user)


def party_rows(*, user, case: Case, reveal: bool) -> tuple[list[dict], bool]:
    """The parties as the page shows them, and whether the user may reveal them.

    Masked unless `reveal` and the user may see them; a reveal is logged (case_parties).
    """
    allowed = policies.may_see_identity(user, case)
    if reveal and allowed:
        parties, _unmasked = cases.case_parties(user=user, case=case)
        return [
            {
                "role": party.get_role_display(),
                "name": party.name,
                "phone": party.phone,
                "id_number": identity.id_number_decrypt(party.id_number_encrypted),
            }
            for party in parties
        ], allowed
    return [
        {
            "role": party.get_role_display(),
            "name": identity.mask_name(party.name),
            "phone": identity.mask_phone(party.phone),
            "id_number": party.id_number_masked,
        }
        for party in case.parties.filter(county_id=case.county_id)
    ], allowed


def agent_row(*, user, case: Case, reveal: bool) -> dict | None:
    """Who filed the case for a resident (代办), masked like the parties unless revealed."""
    if not case.agent_name:
        return None
    shown = reveal and policies.may_see_identity(user, case)
    return {
        "name": case.agent_name if shown else identity.mask_name(case.agent_name),
        "unit": case.agent_unit,
        "phone": case.agent_phone if shown else identity.mask_phone(case.agent_phone),
    }


def team_candidates(*, user, case: Case) -> list[dict]:
    """Teams that could take the case, as the proposal ranks them, that the user may assign."""
    rows = assignment.team_candidates(case_id=case.pk, limit=CANDIDATES_SHOWN)
    teams = {
        team.pk: team
        for team in Team.objects.filter(pk__in=[row[0] for row in rows]).prefetch_related(
            "categories"
        )
    }
    return [
        {
            "team": teams[team_id],
            "distance_km": round(distance_m / 1000, 1),
            "load": load,
            "capacity": teams[team_id].capacity,
            "categories": [c.name for c in teams[team_id].categories.all()],
            "lon": teams[team_id].base.x,
            "lat": teams[team_id].base.y,
        }
        for team_id, distance_m, load in rows
        if team_id in teams and team_in_area(user, teams[team_id])
    ]


def case_page(*, user, case: Case) -> dict:
    """What the case page shows besides its fields and parties."""
    assignments = (
        Assignment.objects.filter(county_id=case.county_id, case=case)
        .select_related("team")
        .order_by("-proposed_at", "-id")
    )
    nearby = (
        cases.cases_nearby(
            user=user,
            lon=case.location.x,
            lat=case.location.y,
            category_id=case.category_id,
            county_id=case.county_id,
        )
        .exclude(pk=case.pk)
        .exclude(status__in=[S.CLOSED, S.NOT_ACCEPTED])[:10]
    )
    return {
        "attachments": list(
            case.attachments.filter(county_id=case.county_id).order_by("uploaded_at", "id")
        ),
        "timeline": list(cases.case_timeline(case=case)),
        "assignments": list(assignments),
        "sessions": list(
            case.sessions.filter(county_id=case.county_id)
            .select_related("team")
            .order_by("held_on", "id")
        ),
        "nearby": list(nearby),
        "repeat_of": case.repeat_of
        if case.repeat_of_id
        and Case.objects.filter(policies.case_scope_q(user), pk=case.repeat_of_id).exists()
        else None,
    }


OUTLINE_TOLERANCE = 0.0001  # degrees, about 10 m: enough for a small map


def case_outlines(*, case: Case) -> list[dict]:
    """The case's village and grid outlines as GeoJSON geometries, simplified for a small map."""
    outlines = []
    for kind, unit in (("village", case.village), ("grid", case.grid)):
        if unit is not None and unit.boundary is not None:
            shape = unit.boundary.simplify(OUTLINE_TOLERANCE, preserve_topology=True)
            outlines.append(
                {"kind": kind, "name": unit.name, "geometry": json.loads(shape.geojson)}
            )
    return outlines
