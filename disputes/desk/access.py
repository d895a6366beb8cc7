"""Who works at the desk, who registers cases there, and who works from the phone page."""

from disputes.core.areas import staff_of
from villages.models import Staff

REGISTERING_ROLES = (
    Staff.Role.COUNTY_OFFICE,
    Staff.Role.TOWNSHIP_LEADER,
    Staff.Role.VILLAGE_CADRE,
)
PHONE_ROLES = (Staff.Role.GRID_WORKER, Staff.Role.MEDIATOR)


def may_use_desk(user) -> bool:
    """Every user with a role in the territory; each sees only their area's cases."""
    return user.is_authenticated and (user.is_superuser or staff_of(user) is not None)


def may_register(user) -> bool:
    """The desks that receive visits, letters and calls: county office, township, village."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    staff = staff_of(user)
    return staff is not None and staff.role in REGISTERING_ROLES


def works_on_the_phone(user) -> bool:
    """Grid workers and mediation team members: their home is the phone page."""
    staff = staff_of(user)
    return staff is not None and staff.role in PHONE_ROLES
