"""Each unit sees its own reception days; the resident pages show the schedule, no one's data."""

from datetime import date

import pytest

from disputes.reception.models import ReceptionSession
from tests.disputes.reception.conftest import COUNTY_PLACE, TODAY, TUBU_PLACE, client_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def tubu_day(reception, travel):
    travel(TODAY)
    return ReceptionSession.objects.get(schedule=reception.tubu, date=date(2026, 12, 8))


@pytest.mark.parametrize(
    "who", ["other_township_leader", "village_cadre", "grid_worker", "mediator"]
)
def test_another_township_or_role_gets_404(territory, tubu_day, who):
    client = client_of(territory.users[who])
    for url in (
        f"/desk/reception/sessions/{tubu_day.pk}/",
        f"/desk/reception/sessions/{tubu_day.pk}/ledger/",
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            f"/desk/reception/sessions/{tubu_day.pk}/cancel/", {"cancel-reason": "x"}
        ).status_code
        == 404
    )


def test_another_county_gets_404(neighbour, tubu_day, report):
    case_id = report().data["id"]
    office = client_of(neighbour.users["county_office"])
    assert office.get(f"/desk/reception/sessions/{tubu_day.pk}/").status_code == 404
    assert office.get("/desk/reception/?month=2026-12").content.decode().count("data-session") == 0
    assert (
        office.post(f"/desk/reception/cases/{case_id}/book/", {"session": tubu_day.pk}).status_code
        == 404
    )


def test_the_county_office_sees_its_townships_days(territory, tubu_day):
    office = client_of(territory.users["county_office"])
    assert office.get(f"/desk/reception/sessions/{tubu_day.pk}/").status_code == 200
    other = client_of(territory.users["other_township_leader"])
    assert other.get("/desk/reception/?month=2026-12").content.decode().count("data-session") == 0


def test_the_resident_pages_show_the_coming_weeks(client, territory, tubu_day, report):
    case_id = report().data["id"]
    client_of(territory.users["township_leader"]).post(
        f"/desk/reception/cases/{case_id}/book/", {"session": tubu_day.pk}
    )
    home = client.get("/r/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/r/reception/"' in home
    page = client.get("/r/reception/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "涂埠镇" in page and TUBU_PLACE in page and "李秀英 镇长" in page
    assert COUNTY_PLACE in page and "县人力资源和社会保障局" in page
    assert "2026-12-01" in page and "2026-12-22" in page
    assert "2026-12-29" not in page  # four weeks ahead only
    assert f"#{case_id}" not in page and "张" not in page.replace("张三", "")  # no one else's data
    assert "张三" not in page and "13812345678" not in page


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/desk/reception/schedules/", {"weekday": "9", "capacity": "0", "place": "x" * 300}),
        ("/desk/reception/schedules/", {"weekday": "1", "starts_at": "25:00", "ends_at": "x"}),
        ("/desk/reception/generate/", {"month": "2026-12" * 100}),
        ("/desk/reception/sessions/{session}/visit/", {"visit-case_number": "1" * 40}),
        ("/desk/reception/sessions/{session}/visit/", {"visit-visitors": "-1"}),
        ("/desk/reception/sessions/{session}/change/", {"change-leader_name": " "}),
        ("/desk/reception/sessions/{session}/swap/", {"swap-other": "0"}),
        ("/desk/reception/sessions/{session}/cancel/", {"cancel-reason": "x" * 201}),
        ("/desk/reception/cases/{case}/book/", {"session": "9" * 30}),
    ],
)
def test_bad_input_is_refused_with_400(territory, tubu_day, report, url, data):
    case_id = report().data["id"]
    leader = client_of(territory.users["township_leader"])
    response = leader.post(url.format(session=tubu_day.pk, case=case_id), data)
    assert response.status_code == 400


def test_a_huge_case_parameter_is_ignored(territory, tubu_day):
    leader = client_of(territory.users["township_leader"])
    response = leader.get(f"/desk/reception/sessions/{tubu_day.pk}/?case={'9' * 50}")
    assert response.status_code == 200
