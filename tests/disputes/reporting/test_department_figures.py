"""Departments' figures (转办): counted from the routing slips, against answers worked out by hand."""

from datetime import date, datetime

import pytest
import time_machine

from disputes.departments.models import Routing
from disputes.models import Case
from disputes.reporting.selectors.departments import department_figures, department_ranking
from disputes.reporting.selectors.figures import Scope, figures_report
from disputes.reporting.services.bulletins import bulletin_generate
from tests.disputes.reporting.test_figures import SHANGHAI, Reporter, at
from tests.factories import UserFactory
from villages.models import Department, Staff

pytestmark = pytest.mark.django_db
APRIL_1 = date(2026, 4, 1)


def _replied(day: date):
    return datetime(day.year, day.month, day.day, 16, tzinfo=SHANGHAI)


@pytest.fixture
def routed(territory):
    """Slips of March 2026 (and one of February) to three departments, as listed below.

    县人力资源和社会保障局: 5 slips in March
      1 lead, replied 03-10 by 03-15 (on time), complainant satisfied
      2 lead, replied 03-20 by 03-15 (late), complainant not satisfied
      3 co-handling, replied 03-12 by 03-12 (on time, the last day)
      4 lead, returned
      5 lead, accepted, due 03-25, still open on 04-01 (open past its date)
      and one slip of February, outside the period
    县自然资源局: 3 slips
      1 lead, replied 03-05 by 03-30, basically satisfied
      2 lead, waiting for acceptance, due 04-30 (not past its date)
      3 co-handling, replied 03-06 by 03-20
    涂埠镇司法所: 1 slip, lead, replied late
    县公安局: nothing; an inactive 县档案馆 with nothing is not listed.
    """
    county = territory.county
    departments = {
        "rs": Department.objects.create(county=county, name="县人力资源和社会保障局"),
        "zr": Department.objects.create(county=county, name="县自然资源局"),
        "station": Department.objects.create(
            county=county, township=territory.tubu, name="涂埠镇司法所"
        ),
        "police": Department.objects.create(county=county, name="县公安局"),
        "archive": Department.objects.create(county=county, name="县档案馆", active=False),
    }
    report = Reporter(territory)
    office = territory.users["county_office"]

    def slip(key, day, *, role="lead", status="done", reply_by, replied=None, satisfaction=""):
        with at(date(2026, 3, 1) if day.month == 3 else day):
            case_id = report()
        with at(day):
            routing = Routing.objects.create(
                case_id=case_id,
                county=county,
                department=departments[key],
                role=role,
                status=status,
                routed_by=office,
                from_level="township",
                reply_by=reply_by,
                accept_by=day,
                accepted_at=None if status in ("pending", "returned") else _replied(day),
                replied_at=_replied(replied) if replied else None,
            )
        if satisfaction:
            Case.objects.filter(pk=case_id).update(satisfaction=satisfaction)
        return routing

    march = date(2026, 3, 2)
    slip(
        "rs", march, reply_by=date(2026, 3, 15), replied=date(2026, 3, 10), satisfaction="satisfied"
    )
    slip(
        "rs",
        march,
        reply_by=date(2026, 3, 15),
        replied=date(2026, 3, 20),
        satisfaction="not_satisfied",
    )
    slip("rs", march, role="assist", reply_by=date(2026, 3, 12), replied=date(2026, 3, 12))
    slip("rs", march, status="returned", reply_by=date(2026, 3, 30))
    slip("rs", march, status="accepted", reply_by=date(2026, 3, 25))
    slip("rs", date(2026, 2, 10), reply_by=date(2026, 2, 20), replied=date(2026, 2, 15))
    slip(
        "zr",
        march,
        reply_by=date(2026, 3, 30),
        replied=date(2026, 3, 5),
        satisfaction="basically_satisfied",
    )
    slip("zr", march, status="pending", reply_by=date(2026, 4, 30))
    slip("zr", march, role="assist", reply_by=date(2026, 3, 20), replied=date(2026, 3, 6))
    slip("station", march, reply_by=date(2026, 3, 10), replied=date(2026, 3, 11))
    return departments


MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def test_a_departments_figures_as_worked_out_by_hand(routed):
    figures = department_figures(
        department=routed["rs"], start=MARCH[0], end=MARCH[1], today=APRIL_1
    )
    assert {key: figures[key] for key in figures if not key.endswith("_rate")} == {
        "received": 5,
        "lead": 4,
        "assist": 1,
        "accepted": 4,
        "returned": 1,
        "replied": 3,
        "on_time": 2,
        "overdue_open": 1,
        "followed_up": 2,
        "satisfied": 1,
    }
    # replied on time ÷ (replied + open past their date) = 2 ÷ (3 + 1)
    assert figures["on_time_rate"] == 0.5
    assert figures["return_rate"] == 0.2
    assert figures["satisfaction_rate"] == 0.5


def test_the_county_ranks_its_departments_and_leaves_out_small_samples(territory, routed):
    ranking = department_ranking(
        county=territory.county, start=MARCH[0], end=MARCH[1], min_cases=3, today=APRIL_1
    )
    assert [(e["rank"], e["name"], e["received"]) for e in ranking["ranked"]] == [
        (1, "县自然资源局", 3),
        (2, "县人力资源和社会保障局", 5),
    ]
    assert ranking["ranked"][0]["on_time_rate"] == 1.0
    assert ranking["ranked"][0]["satisfaction_rate"] == 1.0
    # Too few to rank, and a department with nothing routed; the inactive one is not listed.
    assert [(e["name"], e["township"], e["received"]) for e in ranking["left_out"]] == [
        ("县公安局", "", 0),
        ("涂埠镇司法所", "涂埠镇", 1),
    ]
    names = [e["name"] for e in ranking["ranked"] + ranking["left_out"]]
    assert "县档案馆" not in names


def test_a_township_ranks_its_own_stations(territory, routed, settings):
    settings.FIGURES_RANKING_MIN_CASES = 1
    with time_machine.travel(_replied(APRIL_1), tick=False):
        report = figures_report(Scope("township", territory.tubu), *MARCH)
    assert [e["name"] for e in report["departments"]["ranked"]] == ["涂埠镇司法所"]
    assert report["departments"]["ranked"][0]["on_time_rate"] == 0.0


def test_the_figures_page_and_the_bulletin_show_the_departments(
    territory, routed, client, settings
):
    settings.FIGURES_RANKING_MIN_CASES = 3
    client.force_login(territory.users["county_office"])
    with time_machine.travel(_replied(APRIL_1), tick=False):
        page = client.get("/figures/", {"start": "2026-03-01", "end": "2026-03-31"})
        bulletin = bulletin_generate(county_id=territory.county.pk, month=date(2026, 3, 1))
    html = page.content.decode()
    assert 'id="department-ranking"' in html
    assert html.index("县自然资源局") < html.index("县人力资源和社会保障局")
    ranked = bulletin.content["report"]["departments"]["ranked"]
    assert [e["name"] for e in ranked] == ["县自然资源局", "县人力资源和社会保障局"]
    client.force_login(territory.users["county_office"])
    shown = client.get(f"/bulletins/{bulletin.pk}/").content.decode()
    assert 'id="department-ranking"' in shown and "县自然资源局" in shown


def _department_user(department):
    user = UserFactory(username=f"clerk{department.pk}")
    Staff.objects.create(
        user=user,
        role=Staff.Role.DEPARTMENT_STAFF,
        county=department.county,
        department=department,
    )
    return user


def test_a_department_reads_its_own_figures_and_others_only_within_their_area(
    territory, routed, client, neighbour
):
    query = {"start": "2026-03-01", "end": "2026-03-31"}
    clerk = _department_user(routed["rs"])
    client.force_login(clerk)
    with time_machine.travel(_replied(APRIL_1), tick=False):
        own = client.get("/figures/department/", query)
        other = client.get("/figures/department/", {**query, "department": routed["zr"].pk})
    assert own.status_code == 200
    html = own.content.decode()
    assert "县人力资源和社会保障局" in html
    assert 'data-key="on_time_rate"' in html and "50.0%" in html
    assert other.status_code == 404
    assert 'href="/figures/department/"' in client.get("/desk/").content.decode()

    rs = {**query, "department": routed["rs"].pk}
    station = {**query, "department": routed["station"].pk}
    for user_key, wanted, status in [
        ("county_office", rs, 200),
        ("township_leader", station, 200),
        ("township_leader", rs, 404),
        ("other_township_leader", station, 404),
        ("village_cadre", rs, 404),
        ("grid_worker", station, 404),
    ]:
        client.force_login(territory.users[user_key])
        assert client.get("/figures/department/", wanted).status_code == status, (user_key, wanted)
    client.force_login(neighbour.users["county_office"])
    assert client.get("/figures/department/", rs).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-13-01"},
        {"start": "1999-01-01", "end": "2026-03-31"},
        {"start": "2026-03-31", "end": "2026-03-01"},
        {"department": "abc"},
        {"department": "99999999999999999999999"},
    ],
)
def test_bad_parameters_are_refused_with_a_reason(territory, routed, client, query):
    client.force_login(territory.users["county_office"])
    response = client.get("/figures/department/", query)
    assert response.status_code == 400
    assert 'id="errors"' in response.content.decode()
