"""A user's area: the unit their role covers (villages.Staff), and what lies in it.

Units are the county, its townships, villages (villages app) and grids (grid
app). Above the counties, a city or province office (and the superuser) covers a
region: every county whose division code starts with its prefix. A unit outside
the user's area answers Http404, as if it did not exist.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from grid.models import Grid
from villages.models import County, Staff, Township, Village

UNIT_MODELS = {"county": County, "township": Township, "village": Village, "grid": Grid}
CHILD_LEVEL = {"region": "county", "county": "township", "township": "village", "village": "grid"}
REGION_ROLES = (Staff.Role.CITY_OFFICE, Staff.Role.PROVINCE_OFFICE)


@dataclass(frozen=True)
class Region:
    """The counties whose division code starts with `code` ("" for every county).

    Not a table: a city or province has no boundary of its own here; its maps
    show its counties' outlines.
    """

    code: str
    name: str

    @property
    def counties(self):
        return County.objects.filter(code__startswith=self.code).order_by("code")


def staff_of(user) -> Staff | None:
    if not user.is_authenticated:
        return None
    try:
        return user.staff
    except Staff.DoesNotExist:
        return None


def user_region(user) -> Region | None:
    """The region a superuser (every county) or a city or province office covers; None else."""
    if user.is_superuser:
        return Region("", _("All counties"))
    staff = staff_of(user)
    if staff is None or staff.role not in REGION_ROLES:
        return None
    return Region(staff.region_code, _("Counties under %(code)s") % {"code": staff.region_code})


def user_counties(user):
    """The counties of the user's area: their own; a region's every county; all for a superuser."""
    region = user_region(user)
    if region is not None:
        return region.counties
    staff = staff_of(user)
    if staff is None or staff.county_id is None:
        return County.objects.none()
    return County.objects.filter(pk=staff.county_id)


def user_county_ids(user) -> list[int]:
    """The ids of user_counties: a county's staff's own from their staff row, without a
    query; a region's (and the superuser's) from the county table."""
    region = user_region(user)
    if region is not None:
        return list(region.counties.values_list("pk", flat=True))
    staff = staff_of(user)
    return [staff.county_id] if staff is not None and staff.county_id is not None else []


def point_in_area(user, location) -> bool:
    """Whether a located point (grid.selectors.Location) lies in the user's own area."""
    if user.is_superuser:
        return True
    staff = staff_of(user)
    if staff is None or staff.role in REGION_ROLES:
        return False  # a city or province office does not report cases
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return location.county.id == staff.county_id
    if staff.role == Staff.Role.TOWNSHIP_LEADER:
        return location.township is not None and location.township.id == staff.township_id
    if staff.role == Staff.Role.VILLAGE_CADRE:
        return location.village is not None and location.village.id == staff.village_id
    if staff.role == Staff.Role.GRID_WORKER:
        if location.grid is None:
            return False
        if location.worker_id == user.pk:  # the locate query read the user's grids
            user._grid_ids = location.worker_grids
        return location.grid.id in grids_of(user)
    return False


def grids_of(user) -> frozenset[int]:
    """The ids of the grids the user works in, read once per request (kept on the user
    object, as Django keeps its permissions): a page's checks ask many times."""
    if not hasattr(user, "_grid_ids"):
        user._grid_ids = frozenset(user.grids.values_list("pk", flat=True))
    return user._grid_ids


def grids_forget(user) -> None:
    """After the user's grids changed: the next check reads them again."""
    user.__dict__.pop("_grid_ids", None)


def staff_in_area_q(user) -> Q:
    """Users (active staff, never administrators) of the user's area, whom they may give a role."""
    base = Q(is_active=True, is_superuser=False, staff__isnull=False)
    if user.is_superuser:
        return base
    staff = staff_of(user)
    if staff is None:
        return Q(pk__in=[])
    if staff.role in REGION_ROLES:
        region_counties = user_counties(user).values("pk")
        below = Q(staff__county_id__in=region_counties)
        offices = Q(staff__role__in=REGION_ROLES, staff__region_code__startswith=staff.region_code)
        return base & (below | offices)
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
    """The region, county, township or village the user's maps are framed on: (level, unit).

    A region (superuser, city or province office) holding a single county is framed
    on that county, the narrowest unit that holds the whole area; with none or
    several, on the region (a Region, whose children are its counties).
    """
    region = user_region(user)
    if region is not None:
        counties = list(region.counties[:2])
        if len(counties) == 1:
            return "county", counties[0]
        return "region", region
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
    if home is None:
        raise Http404
    if level == "region":
        if home_level != "region" or code != home.code:
            raise Http404
        return home
    if level not in UNIT_MODELS:
        raise Http404
    if home_level == "region":
        units = UNIT_MODELS[level].objects.filter(code=code)
        unit = (units if level == "county" else units.select_related("county")).first()
        if unit is None:
            raise Http404
        county = unit if level == "county" else unit.county
        if not county.code.startswith(home.code):
            raise Http404
        return unit
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


def in_unit_q(level: str, unit, prefix: str = "") -> Q:
    """Rows (keyed by county, township, village or grid through `prefix`) lying in the unit."""
    if level == "region":
        return Q(**{f"{prefix}county__code__startswith": unit.code})
    if level == "county":
        return Q(**{f"{prefix}county_id": unit.pk})
    # The county is implied by the unit; said anyway, so that a database distributed by
    # county sends the query to the one node holding it (docs/scale.md).
    return Q(**{f"{prefix}county_id": unit.county_id, f"{prefix}{level}_id": unit.pk})


def units_below(level: str, unit):
    """The units one level below `unit` (a region's counties, a county's townships …), by code."""
    child = CHILD_LEVEL[level]
    if level == "region":
        return unit.counties
    return UNIT_MODELS[child].objects.filter(**{f"{level}_id": unit.pk}).order_by("code")
