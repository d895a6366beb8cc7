"""Reads of teams, their coverage and their assignments, scoped to the user."""

from django.http import Http404

from disputes.cases import policies
from disputes.cases.models import Case
from disputes.core import areas
from disputes.teams import spatial
from disputes.teams.models import THREE_PILLARS, Assignment, Team
from villages.models import Staff, Township


def coverage_report(*, township_ids) -> dict:
    """Which 三治 pillars cover each village of the townships, and what is missing.

    A pillar is present when an active team of it covers the village; each
    village should have its 法律明白人 and each township its 法律顾问.
    """
    townships = list(Township.objects.filter(pk__in=township_ids).order_by("code"))
    advisers = spatial.township_adviser_rows([t.pk for t in townships])
    villages, gaps = [], []
    for (
        village_id,
        code,
        name,
        township_id,
        pillars,
        legal_villager,
        team_ids,
        lon,
        lat,
    ) in spatial.village_coverage_rows([t.pk for t in townships]):
        present = [p for p in THREE_PILLARS if p in pillars]
        missing = [p for p in THREE_PILLARS if p not in pillars]
        villages.append(
            {
                "id": village_id,
                "code": code,
                "name": name,
                "township_id": township_id,
                "pillars": present,
                "missing": missing,
                "legal_villager": legal_villager,
                "teams": sorted(team_ids),
                "point": [lon, lat] if lon is not None else None,
            }
        )
        if missing:
            gaps.append({"kind": "pillar", "code": code, "name": name, "missing": missing})
        if not legal_villager:
            gaps.append({"kind": "legal_villager", "code": code, "name": name})
    township_items = []
    for township in townships:
        has_adviser = advisers.get(township.pk, False)
        township_items.append(
            {
                "id": township.pk,
                "code": township.code,
                "name": township.name,
                "legal_adviser": has_adviser,
            }
        )
        if not has_adviser:
            gaps.append({"kind": "legal_adviser", "code": township.code, "name": township.name})
    return {"townships": township_items, "villages": villages, "gaps": gaps}


def coverage_township_ids(*, user, township_code: str | None = None) -> list[int]:
    """The townships whose coverage a user may see (all of their area, or one of it); Http404 else."""
    staff = areas.staff_of(user)
    if user.is_superuser:
        townships = Township.objects.all()
    elif staff is None:
        townships = Township.objects.none()
    elif staff.role in areas.REGION_ROLES:
        townships = Township.objects.filter(county__in=areas.user_counties(user))
    elif staff.role == Staff.Role.COUNTY_OFFICE:
        townships = Township.objects.filter(county_id=staff.county_id)
    else:
        townships = Township.objects.filter(pk=staff.township_id)
    if township_code:
        townships = townships.filter(code=township_code)
        if not townships.exists():
            raise Http404
    return list(townships.values_list("pk", flat=True))


def team_list(*, user):
    """Teams of the user's area: the county for the county office, else their township."""
    teams = (
        Team.objects.select_related("township", "village")
        .prefetch_related("categories", "memberships__user")
        .defer("coverage", "service_polygon")
    )
    if user.is_superuser:
        return teams
    staff = areas.staff_of(user)
    if staff is None:
        return teams.none()
    if staff.role in areas.REGION_ROLES:
        return teams.filter(county__in=areas.user_counties(user))
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return teams.filter(county_id=staff.county_id)
    return teams.filter(township_id=staff.township_id)


def assignment_get(*, user, assignment_id) -> Assignment:
    """An assignment of a case the user may see; Http404 for any other."""
    assignment = (
        Assignment.objects.filter(
            pk=assignment_id, case__in=Case.objects.filter(policies.case_scope_q(user))
        )
        .select_related("team")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def assignment_list(*, user):
    """Assignments of the teams the user belongs to, newest first."""
    return (
        Assignment.objects.filter(team__memberships__user=user)
        .select_related("team", "case__category", "case__village")
        .order_by("-proposed_at", "-id")
    )


def team_in_area(user, team: Team) -> bool:
    """Whether a team is one the user manages: the county office's county, else their township.

    A city or province office manages none (it follows its counties, read-only).
    """
    if user.is_superuser:
        return True
    staff = areas.staff_of(user)
    if staff is None:
        return False
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return team.county_id == staff.county_id
    return staff.township_id is not None and team.township_id == staff.township_id
