"""Who keeps the register: the county office for its county, a township leader for their township."""

from django.db.models import Q

from disputes.core.areas import staff_of
from villages.models import Staff


def register_area(user):
    """(county id, boundary the projects must lie in, township or None); None for other users."""
    staff = staff_of(user)
    if staff is None or not user.is_active:
        return None
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return staff.county_id, staff.county.boundary, None
    if staff.role == Staff.Role.TOWNSHIP_LEADER:
        return staff.county_id, staff.township.boundary, staff.township
    return None


def projects_q(user) -> Q:
    """The projects a user sees: their county's, or those reaching into their township."""
    area = register_area(user)
    if area is None:
        return Q(pk__in=[])
    county_id, boundary, township = area
    if township is None or boundary is None:
        return Q(county_id=county_id) if township is None else Q(pk__in=[])
    return Q(county_id=county_id, area__intersects=boundary)
