"""Who keeps a unit's reception days, who sees them, who books a case into them.

The county office keeps its county's reception centre (township empty) and may
see, change and book every session of its county; a township leader keeps their
township's. A case is booked by a user who leads over it (township leader or
county office): a county-level case into the county centre's sessions, a case
held below into its own township's (or the county centre's).
"""

from django.db.models import Q

from disputes.cases import policies as case_policies
from disputes.cases.models import Level
from disputes.core.areas import staff_of
from villages.models import Staff

KEEPING_ROLES = (Staff.Role.COUNTY_OFFICE, Staff.Role.TOWNSHIP_LEADER)
CLOSED_STATUSES = ("closed", "not_accepted")


def keeping_unit(user):
    """(county_id, township_id or None) of the unit whose schedule the user keeps; None if none."""
    staff = staff_of(user)
    if staff is None or user.is_superuser or staff.role not in KEEPING_ROLES:
        return None
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return staff.county_id, None
    return staff.county_id, staff.township_id


def may_keep(user) -> bool:
    return keeping_unit(user) is not None


def session_area_q(user, prefix: str = "") -> Q:
    """Sessions (or schedules) the user may see and act on: the county office its county's."""
    unit = keeping_unit(user)
    if unit is None:
        return Q(pk__in=[])
    county_id, township_id = unit
    if township_id is None:
        return Q(**{f"{prefix}county_id": county_id})
    return Q(**{f"{prefix}township_id": township_id})


def may_book(user, case) -> bool:
    """Whether the user may book the case into a reception day (约访): open, and led over."""
    return (
        may_keep(user)
        and case.status not in CLOSED_STATUSES
        and case_policies.leads_over(user, case)
    )


def bookable_q(case) -> Q:
    """Sessions a case may be booked into: a county-level case the county centre's only;
    a case held below, its own township's and the county centre's."""
    centre = Q(county_id=case.county_id, township__isnull=True)
    if case.level == Level.COUNTY:
        return centre
    return centre | Q(county_id=case.county_id, township_id=case.township_id)
