"""A small hand-made territory of 永修县 with one user per role and a helper to report cases.

涂埠镇 (360425100) holds 兴杨村委会 with two grids side by side and 南洲村委会
with one grid; 吴城镇 (360425101) holds 吴城村委会 with one grid. Boxes in
WGS-84 degrees.
"""

import uuid
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from rest_framework.test import APIClient

from config.celery_app import app as celery_app
from disputes.cases.services.categories import categories_seed
from disputes.models import PartyAccessLog, Team
from disputes.teams.services.teams import team_save
from grid.models import Grid
from tests.factories import (
    CountyFactory,
    GridFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
    box,
)
from villages.models import Staff

# A point in 兴杨 grid 01 and one in grid 02.
XINGYANG_01 = (115.81, 29.02)
XINGYANG_02 = (115.84, 29.02)
NANZHOU_01 = (115.78, 29.02)
WUCHENG_01 = (115.92, 29.02)


@dataclass
class Territory:
    county: object
    tubu: object
    wucheng: object
    xingyang: object
    nanzhou: object
    grids: dict[str, Grid]
    users: dict[str, object]


@pytest.fixture
def territory(db):
    categories_seed()  # a transactional test elsewhere may have flushed them
    county = CountyFactory(boundary=box(115.70, 28.90, 115.95, 29.15))
    tubu = TownshipFactory(county=county, boundary=box(115.70, 28.90, 115.90, 29.15))
    wucheng = TownshipFactory(
        county=county, code="360425101", name="吴城镇", boundary=box(115.90, 28.90, 115.95, 29.15)
    )
    xingyang = VillageFactory(township=tubu, boundary=box(115.80, 29.00, 115.85, 29.05))
    nanzhou = VillageFactory(
        township=tubu,
        code="360425100202",
        name="南洲村委会",
        boundary=box(115.75, 29.00, 115.80, 29.05),
    )
    wucheng_village = VillageFactory(
        township=wucheng,
        code="360425101201",
        name="吴城村委会",
        boundary=box(115.90, 29.00, 115.95, 29.05),
    )
    grids = {
        "xingyang-01": GridFactory(
            village=xingyang, code="360425100201-01", boundary=box(115.80, 29.00, 115.825, 29.05)
        ),
        "xingyang-02": GridFactory(
            village=xingyang, code="360425100201-02", boundary=box(115.825, 29.00, 115.85, 29.05)
        ),
        "nanzhou-01": GridFactory(
            village=nanzhou, code="360425100202-01", boundary=box(115.75, 29.00, 115.80, 29.05)
        ),
        "wucheng-01": GridFactory(
            village=wucheng_village,
            code="360425101201-01",
            boundary=box(115.90, 29.00, 115.95, 29.05),
        ),
    }
    identity = Permission.objects.get(codename="view_party_identity")

    def staff(username, role, township=None, village=None, grids=()):
        user = UserFactory(username=username)
        Staff.objects.create(
            user=user, role=role, county=county, township=township, village=village
        )
        user.user_permissions.add(identity)
        user.grids.set(grids)
        return user

    users = {
        "grid_worker": staff(
            "gw_xingyang_01", Staff.Role.GRID_WORKER, tubu, xingyang, [grids["xingyang-01"]]
        ),
        "other_grid_worker": staff(
            "gw_xingyang_02", Staff.Role.GRID_WORKER, tubu, xingyang, [grids["xingyang-02"]]
        ),
        "village_cadre": staff("cadre_xingyang", Staff.Role.VILLAGE_CADRE, tubu, xingyang),
        "other_village_cadre": staff("cadre_nanzhou", Staff.Role.VILLAGE_CADRE, tubu, nanzhou),
        "township_leader": staff("leader_tubu", Staff.Role.TOWNSHIP_LEADER, tubu),
        "other_township_leader": staff("leader_wucheng", Staff.Role.TOWNSHIP_LEADER, wucheng),
        "county_office": staff("county_office", Staff.Role.COUNTY_OFFICE),
        "mediator": staff("mediator_tubu", Staff.Role.MEDIATOR, tubu),
        "no_role": UserFactory(username="no_role"),
    }
    return Territory(county, tubu, wucheng, xingyang, nanzhou, grids, users)


def case_payload(**overrides):
    lon, lat = overrides.pop("point", XINGYANG_01)
    payload = {
        "uuid": str(uuid.uuid4()),
        "channel": "patrol",
        "longitude": lon,
        "latitude": lat,
        "accuracy_m": 8.5,
        "category": "neighbours",
        "people_involved": 2,
        "description": "两户因排水沟堵塞发生争执",
        "parties": [
            {
                "role": "complainant",
                "name": "张三",
                "phone": "13812345678",
                "id_number": "360425199001011230",
            },
            {"role": "respondent", "name": "李四", "phone": "13987654321"},
        ],
    }
    payload.update(overrides)
    return payload


def api(user, language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


@pytest.fixture
def report(territory):
    """report(user_key="grid_worker", **payload overrides) -> response of POST /api/cases/."""

    def _report(user_key="grid_worker", **overrides):
        return api(territory.users[user_key]).post(
            "/api/cases/", case_payload(**overrides), format="json"
        )

    return _report


def tubu_committee(territory, leader=None):
    """涂埠镇人民调解委员会, based in 兴杨 grid 01, covering the township."""
    team = Team(
        name="涂埠镇人民调解委员会",
        kind=Team.Kind.MEDIATION_COMMITTEE,
        township=territory.tubu,
        base=Point(*XINGYANG_01, srid=4326),
        capacity=5,
    )
    return team_save(team=team, leader=leader)


@pytest.fixture
def eager():
    """Run the tasks queued after commit inline."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def access_log_purge():
    """Empty the party-access log the only way the database allows: a purge under grid.purge."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('grid.purge', 'on', true)")
        PartyAccessLog.objects.all().delete()
        cursor.execute("SELECT set_config('grid.purge', '', true)")


# A point in the second county's one grid (德安县, east of 永修县).
DEAN_01 = (116.02, 29.02)


@dataclass
class Neighbour:
    county: object
    township: object
    village: object
    grid: Grid
    users: dict[str, object]


@pytest.fixture
def neighbour(territory):
    """德安县 (360426) beside 永修县 with one township, village and grid and its own staff,
    plus the offices above the counties: 九江市 (3604), 江西省 (36) and 新余市 (3605).
    """
    county = CountyFactory(code="360426", name="德安县", boundary=box(115.95, 28.90, 116.20, 29.15))
    township = TownshipFactory(
        county=county, code="360426100", name="蒲亭镇", boundary=box(115.95, 28.90, 116.20, 29.15)
    )
    village = VillageFactory(
        township=township,
        code="360426100201",
        name="八里村委会",
        boundary=box(116.00, 29.00, 116.05, 29.05),
    )
    grid = GridFactory(village=village, code="360426100201-01", boundary=village.boundary)
    identity = Permission.objects.get(codename="view_party_identity")

    def staff(username, role, **area):
        user = UserFactory(username=username)
        Staff.objects.create(user=user, role=role, **area)
        user.user_permissions.add(identity)
        return user

    local = {"county": county, "township": township}
    users = {
        "grid_worker": staff("gw_bali_01", Staff.Role.GRID_WORKER, village=village, **local),
        "village_cadre": staff("cadre_bali", Staff.Role.VILLAGE_CADRE, village=village, **local),
        "township_leader": staff("leader_puting", Staff.Role.TOWNSHIP_LEADER, **local),
        "county_office": staff("county_office_dean", Staff.Role.COUNTY_OFFICE, county=county),
        "city_office": staff("city_jiujiang", Staff.Role.CITY_OFFICE, region_code="3604"),
        "province_office": staff("province_jiangxi", Staff.Role.PROVINCE_OFFICE, region_code="36"),
        "other_city_office": staff("city_xinyu", Staff.Role.CITY_OFFICE, region_code="3605"),
    }
    users["grid_worker"].grids.set([grid])
    return Neighbour(county, township, village, grid, users)
