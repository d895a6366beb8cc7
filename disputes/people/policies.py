"""Who manages people: a county office, its own county's staff only."""

from django.http import Http404

from disputes.core.areas import staff_of
from villages.models import County, Staff

# The roles a county office may give: its own county's, below itself.
ROLES_GIVEN = (
    Staff.Role.TOWNSHIP_LEADER,
    Staff.Role.VILLAGE_CADRE,
    Staff.Role.GRID_WORKER,
    Staff.Role.MEDIATOR,
    Staff.Role.DEPARTMENT_STAFF,
)
VILLAGE_ROLES = (Staff.Role.VILLAGE_CADRE, Staff.Role.GRID_WORKER)
TOWNSHIP_ROLES = (Staff.Role.TOWNSHIP_LEADER, Staff.Role.MEDIATOR)


def people_county(user) -> County | None:
    """The county whose people `user` manages: a county office's own; None for everyone else."""
    staff = staff_of(user)
    if staff is None or not user.is_active or staff.role != Staff.Role.COUNTY_OFFICE:
        return None
    return staff.county


def people_county_or_404(user) -> County:
    county = people_county(user)
    if county is None:
        raise Http404
    return county


def may_manage_people(user) -> bool:
    return people_county(user) is not None
