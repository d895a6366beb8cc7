"""Build a complete demo county: divisions, outline, generated polygons, grids, users.

Townships partition the county outline, villages partition their township and
grids their village (Voronoi cells around seed points, clipped to the parent),
so every level nests in its parent, no two units overlap, and the units of a
level cover the county. Deterministic for a given seed.
"""

import random
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import transaction
from django.utils.translation import gettext as _

from grid.models import Grid
from villages.models import County, Staff, Village
from villages.partition import partition
from villages.services.boundary_import import boundaries_read
from villages.services.division_import import divisions_import_csv, divisions_parse, read_text
from villages.services.report import ImportFailed, ImportReport, Problem

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "yongxiu"
DEFAULT_DIVISIONS = DATA_DIR / "divisions.csv"
DEFAULT_OUTLINE = DATA_DIR / "county.geojson"
GRIDS_PER_VILLAGE = (3, 8)
# About a hundred households a grid brings the demo 永修县 near its real size
# (some 140,000 households).
HOUSEHOLDS_PER_GRID = (60, 160)
PEOPLE_PER_HOUSEHOLD = 3.1


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    area: str


@dataclass
class DemoCounty:
    county: County
    townships: int = 0
    villages: int = 0
    grids: int = 0
    logins: list[DemoLogin] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def demo_county_build(
    *, divisions: Path = DEFAULT_DIVISIONS, outline: Path = DEFAULT_OUTLINE, seed: int = 2026
) -> DemoCounty:
    """Build (or rebuild) the county of `divisions` inside the outline of `outline`."""
    rng = random.Random(seed)
    with transaction.atomic():
        divisions_import_csv(path=divisions)
        county = _county_of(divisions)
        report = ImportReport()
        features = boundaries_read(path=Path(outline), report=report, keyed=False)
        outline_geom = shapely.union_all(
            [shapely.from_wkb(bytes(f.geometry.wkb)) for f in features]
        )
        county.boundary = _to_geos(outline_geom)
        summary = DemoCounty(county=county, notes=report.notes)

        townships = list(county.townships.order_by("code"))
        county_cells = partition(outline_geom, len(townships), rng)
        grid_codes = set()
        for township, t_cell in zip(townships, county_cells, strict=True):
            villages = list(township.villages.order_by("code"))
            t_households = 0
            if villages:
                for village, v_cell in zip(
                    villages, partition(t_cell, len(villages), rng), strict=True
                ):
                    count = rng.randint(*GRIDS_PER_VILLAGE)
                    v_households = 0
                    for seq, g_cell in enumerate(partition(v_cell, count, rng), start=1):
                        households = rng.randint(*HOUSEHOLDS_PER_GRID)
                        v_households += households
                        code = f"{village.code}-{seq:02d}"
                        grid_codes.add(code)
                        _grid_save(village, code, seq, _to_geos(g_cell), households)
                    _division_save(village, v_cell, v_households)
                    t_households += v_households
                    summary.villages += 1
            _division_save(township, t_cell, t_households or None)
            summary.townships += 1
        county.households = sum(t.households or 0 for t in county.townships.all())
        county.population = round(county.households * PEOPLE_PER_HOUSEHOLD)
        county.save(update_fields=["boundary", "households", "population", "updated_at"])
        Grid.objects.filter(county=county).exclude(code__in=grid_codes).delete()
        summary.grids = len(grid_codes)
        summary.logins = demo_users_create(county=county)
    return summary


def _county_of(divisions: Path) -> County:
    codes = [row.code for row in divisions_parse(read_text(divisions)) if row.level == "county"]
    if len(codes) != 1:
        raise ImportFailed(
            [Problem(Path(divisions).name, _("a demo county file must hold exactly one county"))]
        )
    return County.objects.get(code=codes[0])


def _to_geos(geom) -> GEOSGeometry:
    multi = GEOSGeometry(memoryview(shapely.to_wkb(geom)), srid=4326)
    if multi.geom_type == "Polygon":
        multi = MultiPolygon(multi, srid=4326)
    return multi


def _division_save(division, cell, households):
    division.boundary = _to_geos(cell)
    division.households = households
    division.population = round(households * PEOPLE_PER_HOUSEHOLD) if households else None
    division.save(update_fields=["boundary", "households", "population", "updated_at"])


def _grid_save(village: Village, code: str, seq: int, boundary, households: int):
    Grid.objects.update_or_create(
        code=code,
        defaults={
            "name": _("Grid %(seq)s") % {"seq": f"{seq:02d}"},
            "village": village,
            "township_id": village.township_id,
            "county_id": village.county_id,
            "boundary": boundary,
            "households": households,
        },
    )


def demo_users_create(*, county: County) -> list[DemoLogin]:
    """One demo user per role, in the first township and village, with settings.DEMO_PASSWORD."""
    password = getattr(settings, "DEMO_PASSWORD", None)
    if not password:
        raise ImportFailed([Problem("DEMO_PASSWORD", _("demo users need DEMO_PASSWORD to be set"))])
    township = county.townships.filter(villages__grids__isnull=False).order_by("code").first()
    village = township.villages.filter(grids__isnull=False).order_by("code").first()
    User = get_user_model()
    admin, _created = User.objects.get_or_create(username="admin")
    admin.is_staff = admin.is_superuser = True
    admin.set_password(password)
    admin.save()
    logins = [DemoLogin("admin", _("administrator"), county.name)]
    roles = [
        (Staff.Role.COUNTY_OFFICE, None, None, county.name),
        (Staff.Role.TOWNSHIP_LEADER, township, None, township.name),
        (Staff.Role.VILLAGE_CADRE, township, village, village.name),
        (Staff.Role.GRID_WORKER, township, village, village.name),
        (Staff.Role.MEDIATOR, township, None, township.name),
    ]
    identity = Permission.objects.get(
        codename="view_party_identity", content_type__app_label="disputes"
    )
    for role, role_township, role_village, area in roles:
        user, _created = User.objects.get_or_create(username=role.value)
        user.set_password(password)
        user.save()
        user.user_permissions.add(identity)
        Staff.objects.update_or_create(
            user=user,
            defaults={
                "role": role,
                "county": county,
                "township": role_township,
                "village": role_village,
            },
        )
        if role == Staff.Role.GRID_WORKER:
            user.grids.set(village.grids.order_by("code")[:2])
        logins.append(DemoLogin(user.username, role.label, area))
    return logins


def demo_logins() -> list[DemoLogin]:
    """The demo users that exist, as demo_users_create made them."""
    User = get_user_model()
    logins = []
    admin = User.objects.filter(username="admin", is_superuser=True).first()
    if admin is not None:
        county = County.objects.order_by("code").first()
        logins.append(DemoLogin("admin", _("administrator"), county.name if county else ""))
    staff = Staff.objects.filter(user__username__in=Staff.Role.values).select_related(
        "user", "county", "township", "village"
    )
    for member in sorted(staff, key=lambda s: Staff.Role.values.index(s.role)):
        area = member.village or member.township or member.county
        logins.append(DemoLogin(member.user.username, member.get_role_display(), area.name))
    return logins
