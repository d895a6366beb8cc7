"""A user's area: the unit their role covers (villages.Staff), and what lies in it.

Units are the county, its townships, villages (villages app) and grids (grid
app). A unit outside the user's area answers Http404, as if it did not exist.
"""

from django.db.models import Q
from django.http import Http404

from grid.models import Grid
from villages.models import County, Staff, Township, Village

UNIT_MODELS = {"county": County, "township": Township, "village": Village, "grid": Grid}
CHILD_LEVEL = {"county": "township", "township": "village", "village": "grid"}


def staff_of(user) -> Staff | None:
    if not user.is_authenticated:
        return None
    try:
        return user.staff
    except Staff.DoesNotExist:
        return None


def point_in_area(user, location) -> bool:
    """Whether a located point (grid.selectors.Location) lies in the user's own area."""
    if user.is_superuser:
        return True
    staff = staff_of(user)
    if staff is None:
        return False
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return location.county.id == staff.county_id
    if staff.role == Staff.Role.TOWNSHIP_LEADER:
        return location.township is not None and location.township.id == staff.township_id
    if staff.role == Staff.Role.VILLAGE_CADRE:
        return location.village is not None and location.village.id == staff.village_id
    if staff.role == Staff.Role.GRID_WORKER:
        return location.grid is not None and user.grids.filter(pk=location.grid.id).exists()
    return False


def staff_in_area_q(user) -> Q:
    """Users (active staff, never administrators) of the user's area, whom they may give a role."""
    base = Q(is_active=True, is_superuser=False, staff__isnull=False)
    if user.is_superuser:
        return base
    staff = staff_of(user)
    if staff is None:
        return Q(pk__in=[])
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return base & Q(staff__county_id=staff.county_id)
    if staff.township_id is None:
        return Q(pk__in=[])
    return base & Q(staff__township_id=staff.township_id)


def area_boundary(user):
    """The boundary (MultiPolygon, SRID 4326) of the unit a leader manages; None without one."""
    staff = staff_of(user)
    if staff is None:
        return None
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return staff.county.boundary
    if staff.role == Staff.Role.TOWNSHIP_LEADER:
        return staff.township.boundary
    return None


def user_units(user):
    """The county, township or village the user's maps are framed on: (level, unit)."""
    if user.is_superuser:
        county = County.objects.order_by("code").first()
        return ("county", county) if county else (None, None)
    staff = staff_of(user)
    if staff is None:
        return None, None
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return "county", staff.county
    if staff.role in (Staff.Role.TOWNSHIP_LEADER, Staff.Role.MEDIATOR):
        return "township", staff.township
    return "village", staff.village


def unit_in_area(user, level: str, code: str):
    """The unit of that level and code if it lies in the user's area; Http404 else."""
    home_level, home = user_units(user)
    if home is None or level not in UNIT_MODELS:
        raise Http404
    unit = UNIT_MODELS[level].objects.filter(code=code).first()
    if unit is None:
        raise Http404
    order = list(UNIT_MODELS)
    if order.index(level) < order.index(home_level):
        raise Http404  # above the user's own unit
    if level == home_level and unit.pk != home.pk:
        raise Http404
    if level != home_level and getattr(unit, f"{home_level}_id") != home.pk:
        raise Http404
    return unit
