"""The register of major projects (稳评): areas from files, cases linked, pages scoped, alerts."""

import json
from datetime import date, datetime, timedelta

import pytest
import time_machine

from disputes.alerts.services.alerts import alerts_run
from disputes.core.errors import CaseInputError
from disputes.models import Case, HotspotAlert, MajorProject, Notification, ProjectCase
from disputes.risks.selectors.projects import project_cases
from disputes.risks.services.areas import area_parse
from tests.disputes.conftest import XINGYANG_01, api, case_payload
from tests.disputes.reporting.test_figures import SHANGHAI

pytestmark = pytest.mark.django_db

# A square of about 1 km around the point of 兴杨 grid 01, inside 涂埠镇.
SQUARE = [
    [115.805, 29.015],
    [115.815, 29.015],
    [115.815, 29.025],
    [115.805, 29.025],
    [115.805, 29.015],
]
POLYGON = {"type": "Polygon", "coordinates": [SQUARE]}
INSIDE = XINGYANG_01  # (115.81, 29.02)
NEAR = (115.817, 29.02)  # about 200 m east of the square
FAR = (115.84, 29.02)  # 兴杨 grid 02, 2.4 km away


def test_areas_are_read_from_geojson_or_wkt_and_dirty_ones_repaired():
    assert area_parse(json.dumps(POLYGON)).geom_type == "MultiPolygon"
    feature = {"type": "Feature", "geometry": POLYGON, "properties": {"名称": "征地范围"}}
    collection = {"type": "FeatureCollection", "features": [feature]}
    assert area_parse(json.dumps(collection)).area == pytest.approx(0.0001)
    assert area_parse("POLYGON((115.805 29.015, 115.815 29.015, 115.815 29.025, 115.805 29.015))")
    # A bow tie (self-intersecting) is repaired into its two triangles.
    bowtie = "POLYGON((115.80 29.01, 115.81 29.02, 115.81 29.01, 115.80 29.02, 115.80 29.01))"
    repaired = area_parse(bowtie)
    assert repaired.valid and len(repaired) == 2


@pytest.mark.parametrize(
    "text, says",
    [
        ("", "Give the project's area"),
        ('{"type": "Point", "coordinates": [115.8, 29.0]}', "not Point"),
        (
            "POLYGON((39500000 3200000, 39501000 3200000, 39501000 3201000, 39500000 3200000))",
            "WGS-84",
        ),
        ('{"type": "Polygon", "coordinates": [[[115.8, 29.0]', "cannot be read"),
        ("a field by the river", "Neither GeoJSON nor WKT"),
        ('{"type": "FeatureCollection", "features": []}', "no feature"),
        ("POLYGON((115.8 29.0, 115.9 29.0, 115.8 29.0, 115.8 29.0))", "no polygon with a surface"),
    ],
)
def test_a_wrong_area_is_refused_saying_why(text, says, english):
    with pytest.raises(CaseInputError) as refused:
        area_parse(text)
    assert refused.value.field == "area" and says in refused.value.message


def _report(territory, point, category="requisition-demolition", n=0, day=None):
    moment = datetime.combine(day or date.today(), datetime.min.time()).replace(
        hour=10, minute=n % 50, tzinfo=SHANGHAI
    )
    with time_machine.travel(moment, tick=False):
        response = api(territory.users["county_office"]).post(
            "/api/cases/",
            case_payload(
                point=point,
                category=category,
                parties=[{"role": "complainant", "name": f"村民{n}", "phone": f"1370000{n:04d}"}],
            ),
            format="json",
        )
    assert response.status_code == 201, response.data
    return response.data["id"]


def _register(client, **overrides):
    data = {
        "name": "兴杨村征地项目",
        "kind": "land",
        "responsible_unit": "县自然资源局",
        "assessed_on": "2026-02-01",
        "risk": "high",
        "measures": "公示补偿标准；逐户走访",
        "area_text": json.dumps(POLYGON),
        **overrides,
    }
    return client.post("/desk/projects/new/", data)


def test_the_county_registers_a_project_and_its_cases_are_linked(territory, client):
    before = _report(territory, INSIDE, n=1)
    near = _report(territory, NEAR, n=2)
    far = _report(territory, FAR, n=3)
    client.force_login(territory.users["county_office"])
    response = _register(client)
    assert response.status_code == 302
    project = MajorProject.objects.get()
    assert response["Location"] == f"/desk/projects/{project.pk}/"
    assert list(ProjectCase.objects.values_list("case_id", flat=True)) == [before]
    # A case reported inside later is linked as it is reported; one outside is not.
    after = _report(territory, INSIDE, n=4)
    _report(territory, FAR, n=5)
    assert set(ProjectCase.objects.values_list("case_id", flat=True)) == {before, after}

    page = client.get(f"/desk/projects/{project.pk}/").content.decode()
    rows = page.split('id="project-cases"')[1].split("</table>")[0]
    assert f"#{before}" in rows and f"#{after}" in rows and f"#{near}" in rows
    assert f"#{far}" not in rows
    assert "公示补偿标准" in page
    listing = client.get("/desk/projects/").content.decode()
    assert "兴杨村征地项目" in listing

    # Follow-up of the measures, and closing: no more links after it.
    client.post(f"/desk/projects/{project.pk}/follow-up/", {"note": "已完成第一轮入户"})
    assert "已完成第一轮入户" in client.get(f"/desk/projects/{project.pk}/").content.decode()
    client.post(f"/desk/projects/{project.pk}/close/")
    later = _report(territory, INSIDE, n=6)
    assert not ProjectCase.objects.filter(case_id=later).exists()


def test_who_sees_and_keeps_the_register(territory, client, neighbour):
    client.force_login(territory.users["township_leader"])
    assert _register(client).status_code == 302
    project = MajorProject.objects.get()
    # 涂埠镇's leader registered it inside 涂埠镇; 吴城镇's does not see it.
    for user_key, status in [
        ("county_office", 200),
        ("township_leader", 200),
        ("other_township_leader", 404),
        ("village_cadre", 404),
        ("grid_worker", 404),
    ]:
        client.force_login(territory.users[user_key])
        assert client.get(f"/desk/projects/{project.pk}/").status_code == status, user_key
    client.force_login(neighbour.users["county_office"])
    assert client.get(f"/desk/projects/{project.pk}/").status_code == 404
    assert client.post(f"/desk/projects/{project.pk}/close/").status_code == 404
    assert MajorProject.objects.get().active
    assert client.get("/maps/api/projects/").json()["features"] == []
    client.force_login(territory.users["county_office"])
    features = client.get("/maps/api/projects/").json()["features"]
    assert [f["properties"]["name"] for f in features] == ["兴杨村征地项目"]


def test_a_township_leader_cannot_register_outside_their_township(territory, client, english):
    client.force_login(territory.users["other_township_leader"])  # 吴城镇
    response = _register(client)
    assert response.status_code == 400
    assert "100%" in response.content.decode()  # of the area outside 吴城镇
    response = _register(client, assessed_on="2099-01-01", area_text="")
    assert response.status_code == 400
    assert not MajorProject.objects.exists()


def test_a_rise_of_cases_around_a_project_raises_one_alert(territory, client):
    today = date(2026, 3, 18)
    client.force_login(territory.users["county_office"])
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=SHANGHAI), tick=False):
        assert _register(client).status_code == 302
    project = MajorProject.objects.get()
    for week in range(1, 9):  # one case a week nearby for eight weeks: quiet
        _report(territory, NEAR, "neighbours", n=week, day=today - timedelta(days=7 * week))
    for n in range(6):  # then six this week, inside and near
        _report(territory, INSIDE if n % 2 else NEAR, n=20 + n, day=today - timedelta(days=n % 3))
    with time_machine.travel(datetime(2026, 3, 18, 6, 30, tzinfo=SHANGHAI)):
        raised = alerts_run(today=today)
        again = alerts_run(today=today)
    # The same six cases are a rise in 兴杨村 for their category too: two alerts, each once.
    assert [(a.project_id, a.village_id, a.observed) for a in raised] == [
        (None, territory.xingyang.pk, 6),
        (project.pk, None, 6),
    ]
    assert again == []
    told = Notification.objects.filter(link=f"/desk/projects/{project.pk}/")
    assert sorted(told.values_list("user__username", flat=True)) == ["county_office", "leader_tubu"]
    assert "兴杨村征地项目" in told.first().message
    assert HotspotAlert.objects.count() == 2 and Case.objects.count() == 14
    page = client.get(f"/desk/projects/{project.pk}/").content.decode()
    assert 'id="project-alerts"' in page and "p = " in page


def test_the_project_page_lists_the_newest_cases_near_it_up_to_its_limit(territory, client):
    before = _report(territory, INSIDE, n=1)
    near = _report(territory, NEAR, n=2)
    _report(territory, FAR, n=3)
    after = _report(territory, INSIDE, n=4)
    client.force_login(territory.users["county_office"])
    _register(client)
    project = MajorProject.objects.get()
    shown = [(row["case"].pk, row["inside"]) for row in project_cases(project, limit=2)]
    assert shown == [(after, True), (near, False)]
    assert [row["case"].pk for row in project_cases(project)] == [after, near, before]
