"""Who may see and do what with a case, from the user's role and area (villages.Staff).

A mediator's cases are those of their teams: the scope reads the teams'
memberships and assignments through the relations disputes.teams declares on
users and cases (user.teams, user.team_memberships, case.assignments), so that
cases need not import the capability built on them. Likewise department staff
see the cases routed to their department (case.routings, disputes.departments),
and supervision finds a case's 包案 leader through case.leaders (disputes.ownership);
a leader is a township leader or the county office, who see the case anyway.

A case routed to a department (Case.department set) is held by that
department's staff; the territorial unit at the case's level, which routed it,
stands above it: it supervises it and does the return visit.
"""

from django.contrib.auth import get_user_model
from django.contrib.gis.db.models.aggregates import Union
from django.db.models import Q

from disputes.cases.models import LEVEL_ORDER, Case, Level
from disputes.core.areas import REGION_ROLES, grids_of, staff_of, user_counties
from grid.models import Grid
from villages.models import Staff

ROLE_LEVEL = {
    Staff.Role.GRID_WORKER: Level.GRID,
    Staff.Role.VILLAGE_CADRE: Level.VILLAGE,
    Staff.Role.TOWNSHIP_LEADER: Level.TOWNSHIP,
    Staff.Role.COUNTY_OFFICE: Level.COUNTY,
}


def case_scope_q(user) -> Q:
    """The cases a user may see: those of their area (a grid worker: their grids and own reports)."""
    if user.is_superuser:
        return Q()
    staff = staff_of(user)
    if staff is None:
        return Q(pk__in=[])
    if staff.role in REGION_ROLES:
        return Q(county_id__in=user_counties(user).values("pk"))
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return Q(county_id=staff.county_id)
    # The county is implied by the township or village; said anyway, so that a database
    # distributed by county sends the query to the one node holding it (docs/scale.md).
    if staff.role == Staff.Role.TOWNSHIP_LEADER:
        return Q(county_id=staff.county_id, township_id=staff.township_id)
    if staff.role == Staff.Role.VILLAGE_CADRE:
        return Q(county_id=staff.county_id, village_id=staff.village_id)
    if staff.role == Staff.Role.GRID_WORKER:
        return Q(grid__in=user.grids.all()) | Q(reporter=user)
    if staff.role == Staff.Role.MEDIATOR:
        return _team_member_scope_q(user, staff)
    if staff.role == Staff.Role.DEPARTMENT_STAFF:
        return department_scope_q(staff.department_id)
    return Q(pk__in=[])


# A department sees the cases routed to it, but not those it returned or that were
# taken back from it (routing statuses of disputes.departments.models.Routing).
ROUTING_SEEN_STATUSES = ("pending", "accepted", "done")


def department_scope_q(department_id) -> Q:
    """The cases routed to a department (lead or co-handling) that it has not given back."""
    return Q(
        pk__in=Case.objects.filter(
            routings__department_id=department_id,
            routings__status__in=ROUTING_SEEN_STATUSES,
        ).values("pk")
    )


def _team_member_scope_q(user, staff) -> Q:
    """Cases given to the user's teams, and open cases of their township their teams cover."""
    teams = user.teams.all()
    team_ids = list(teams.values_list("pk", flat=True))
    assigned = Q(pk__in=Case.objects.filter(assignments__team_id__in=team_ids).values("pk"))
    coverage = teams.filter(active=True).aggregate(area=Union("coverage"))["area"]
    if coverage is None:
        return assigned
    return assigned | Q(
        township_id=staff.township_id,
        status__in=[
            Case.Status.REPORTED,
            Case.Status.ACCEPTED,
            Case.Status.IN_HANDLING,
            Case.Status.IN_REVIEW,
        ],
        location__coveredby=coverage,
    )


def team_member_of_case(user, case: Case) -> bool:
    """Whether the user belongs to the team handling the case."""
    return case.team_id is not None and (
        user.is_superuser or user.team_memberships.filter(team_id=case.team_id).exists()
    )


def _in_unit(user, staff, case: Case, level: str) -> bool:
    if level == Level.GRID:
        if case.grid_id is None:
            return False
        return case.grid_id in grids_of(user)
    if level == Level.VILLAGE:
        return case.village_id is not None and case.village_id == staff.village_id
    if level == Level.TOWNSHIP:
        return case.township_id is not None and case.township_id == staff.township_id
    return case.county_id == staff.county_id


def holds(user, case: Case) -> bool:
    """Whether the user works at the level (or the department) that holds the case, in its unit."""
    if user.is_superuser:
        return True
    staff = staff_of(user)
    if staff is None:
        return False
    if case.department_id is not None:
        return (
            staff.role == Staff.Role.DEPARTMENT_STAFF and staff.department_id == case.department_id
        )
    if ROLE_LEVEL.get(staff.role) != case.level:
        return False
    return _in_unit(user, staff, case, case.level)


def supervises(user, case: Case) -> bool:
    """Whether the user works above the level that holds the case, over its unit."""
    if user.is_superuser:
        return True
    staff = staff_of(user)
    if staff is not None and staff.role in REGION_ROLES:
        # Above every level: a city or province office follows its counties' cases, read-only.
        return case.county.code.startswith(staff.region_code)
    level = ROLE_LEVEL.get(staff.role) if staff else None
    if level is None:
        return False
    if case.department_id is not None:
        # The unit that routed the case to a department stands above it, with those above.
        if LEVEL_ORDER.index(level) < LEVEL_ORDER.index(case.level):
            return False
    elif LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(case.level):
        return False
    return _in_unit(user, staff, case, level)


def acts_above(user, case: Case) -> bool:
    """Whether the user supervises the case and may act on it (reply, note, reopen, close).

    A city or province office supervises its counties' cases but only reads them.
    """
    staff = staff_of(user)
    if staff is not None and staff.role in REGION_ROLES and not user.is_superuser:
        return False
    return supervises(user, case)


def leads_over(user, case: Case) -> bool:
    """Whether the user is a township leader or the county office over the case's unit.

    They approve extensions, assign teams by hand and supervise by hand.
    """
    if user.is_superuser:
        return True
    staff = staff_of(user)
    if staff is None or staff.role not in (Staff.Role.TOWNSHIP_LEADER, Staff.Role.COUNTY_OFFICE):
        return False
    return _in_unit(user, staff, case, ROLE_LEVEL[staff.role])


def may_see_identity(user, case: Case) -> bool:
    """Parties unmasked: for the reporter and those the case is assigned to, with the permission.

    Assigned are the members of the team handling it and the holders of its level;
    at grid level, the grid worker who reported it (a colleague of the same grid sees
    them masked), or every worker of the grid for a case someone else handed to it.
    """
    if not user.has_perm("disputes.view_party_identity"):
        return False
    if case.reporter_id == user.pk or team_member_of_case(user, case):
        return True
    if not holds(user, case):
        return False
    if case.level != Level.GRID:
        return True
    return not Grid.workers.through.objects.filter(
        grid_id=case.grid_id, user_id=case.reporter_id
    ).exists()


def holders_of(case: Case):
    """The users who hold the case (its department's staff, or its level's in its unit).

    Whom supervision notifies, with the case's active 包案 leader (leaders_of).
    """
    if case.department_id is not None:
        return get_user_model().objects.filter(
            is_active=True,
            staff__role=Staff.Role.DEPARTMENT_STAFF,
            staff__department_id=case.department_id,
        )
    return territorial_holders_of(case)


def territorial_holders_of(case: Case):
    """The users who work at the case's level, in its unit (for a routed case: who routed it)."""
    users = get_user_model().objects.filter(is_active=True)
    if case.level == Level.GRID:
        return users.filter(grids=case.grid_id)
    role, unit = {
        Level.VILLAGE: (Staff.Role.VILLAGE_CADRE, {"staff__village_id": case.village_id}),
        Level.TOWNSHIP: (Staff.Role.TOWNSHIP_LEADER, {"staff__township_id": case.township_id}),
        Level.COUNTY: (Staff.Role.COUNTY_OFFICE, {"staff__county_id": case.county_id}),
    }[case.level]
    return users.filter(staff__role=role, **unit)


def leaders_of(case: Case):
    """The case's active 包案 leader (disputes.ownership), as users; supervision tells them too."""
    return get_user_model().objects.filter(
        is_active=True,
        led_cases__county_id=case.county_id,
        led_cases__case_id=case.pk,
        led_cases__ended_at__isnull=True,
    )
