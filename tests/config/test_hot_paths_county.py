"""Every statement of the busy paths that reads or changes a county's tables names the county.

Distributed by county (docs/scale.md), a statement with `county_id = ...` goes
to the one node holding that county; one without it goes to every node. The
busy paths are run as a user would, for a county office and a township
leader, and every SQL statement they send is read: one that touches a
distributed table (tests/config/test_distribution.py) must carry a county
predicate (`county_id = ` or `county_id IN`), or, for an INSERT, the
county's column. The parse is loose on purpose: a predicate anywhere in the
statement counts, as it does for the planner once a subquery is inlined.
"""

import re
import uuid

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from disputes.models import Case
from disputes.oversight.services.supervision import notice_issue_by_hand
from disputes.ownership.services.leaders import leader_name
from maps.tile_cache import tile_of
from tests.config.test_distribution import DISTRIBUTED
from tests.disputes.conftest import XINGYANG_01, case_payload

pytestmark = pytest.mark.django_db

COUNTY_PREDICATE = re.compile(r'county_id"?\s*(=|IN\b|= ANY)', re.IGNORECASE)


def distributed_tables() -> set[str]:
    return {apps.get_model(label)._meta.db_table for label in DISTRIBUTED}


def tables_in(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN|INTO|UPDATE)\s+"?(\w+)"?', sql, re.IGNORECASE))


def unscoped(queries) -> list[str]:
    """The statements that touch a distributed table without naming the county."""
    large = distributed_tables()
    wrong = []
    # pghistory prefixes a write with its context: `SELECT set_config(...); INSERT ...`.
    statements = [part for query in queries for part in query["sql"].split("; ")]
    for sql in statements:
        if not tables_in(sql) & large:
            continue
        if sql.lstrip().upper().startswith("INSERT"):
            if '"county_id"' in sql.split(")")[0]:
                continue
        elif COUNTY_PREDICATE.search(sql):
            continue
        wrong.append(sql)
    return wrong


def captured(call) -> list[dict]:
    with CaptureQueriesContext(connection) as context:
        response = call()
    assert response.status_code in (200, 201), getattr(response, "content", b"")[:300]
    return context.captured_queries


def client_of(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def cases(territory, report):
    """Three cases reported in 兴杨 grid 01."""
    ids = [report().data["id"] for _ in range(3)]
    return Case.objects.filter(pk__in=ids)


def assert_scoped(call):
    wrong = unscoped(captured(call))
    assert not wrong, "without the county:\n" + "\n\n".join(wrong)


def test_a_report_names_its_county_in_every_statement(territory):
    client = client_of(territory.users["grid_worker"])
    payload = case_payload(uuid=str(uuid.uuid4()))
    assert_scoped(lambda: client.post("/api/cases/", payload, format="json"))


@pytest.mark.parametrize("role", ["county_office", "township_leader"])
@pytest.mark.parametrize(
    "path",
    [
        "/desk/cases/",
        "/desk/cases/?status=reported",
        "/api/cases/",
        "/desk/cases/{case}/",
        "/api/cases/{case}/",
        "/supervision/",
        "/figures/",
        "/api/figures/",
        "/tiles/bins/12/{x12}/{y12}.pbf",
        "/tiles/cases/15/{x15}/{y15}.pbf",
    ],
)
def test_the_busy_pages_read_one_county(territory, cases, role, path):
    x12, y12 = tile_of(*XINGYANG_01, 12)
    x15, y15 = tile_of(*XINGYANG_01, 15)
    url = path.format(case=cases.first().pk, x12=x12, y12=y12, x15=x15, y15=y15)
    client = client_of(territory.users[role])
    client.get(url)  # warm what is cached once per process (categories, holidays)
    from django.core.cache import cache

    cache.clear()
    assert_scoped(lambda: client.get(url))


@pytest.mark.parametrize("role", ["county_office", "township_leader"])
@pytest.mark.parametrize("path", ["/desk/cases/{case}/", "/api/cases/{case}/", "/supervision/"])
def test_a_led_and_supervised_case_is_read_in_one_county(territory, cases, role, path):
    """The case's 包案 leader and a notice by hand: the leader's steps, the notice on the
    timeline and the notification on the supervision page are read by the county too."""
    case, office, user = cases.first(), territory.users["county_office"], territory.users[role]
    leader_name(case_id=case.pk, actor=office, leader_id=user.pk, unit="涂埠镇", person="王")
    notice_issue_by_hand(case_id=case.pk, actor=office, note="请尽快办理")
    url = path.format(case=case.pk)
    client = client_of(user)
    shown = client.get(url).content.decode()
    if path == "/supervision/":
        assert f"Case #{case.pk} is supervised by a leader" in shown
    assert_scoped(lambda: client.get(url))


@pytest.mark.parametrize("layer, z", [("bins", 12), ("cases", 15)])
def test_a_tile_names_the_county_on_its_own_table(territory, cases, layer, z):
    """Not only inside the ids subquery: partitioned or distributed by county, the tile then
    searches one county's spatial index (docs/scale.md, the partitions bench)."""
    from django.core.cache import cache

    cache.clear()
    x, y = tile_of(*XINGYANG_01, z)
    client = client_of(territory.users["township_leader"])
    queries = captured(lambda: client.get(f"/tiles/{layer}/{z}/{x}/{y}.pbf"))
    [tile_sql] = [query["sql"] for query in queries if "ST_AsMVT" in query["sql"]]
    assert f"c.county_id = ANY(ARRAY[{territory.county.pk}])" in tile_sql
