"""考核: units scored against the county's targets, against answers worked out by hand."""

from datetime import date

import pytest

from disputes.reporting.models import AssessmentTarget
from disputes.reporting.selectors.assessment import assessment
from disputes.reporting.services.assessment import targets_save
from disputes.reporting.services.bulletins import bulletin_generate
from tests.disputes.reporting.test_figures import at, march  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
MARCH = date(2026, 3, 1)


@pytest.fixture
def targets(territory):
    targets_save(
        county=territory.county,
        year=2026,
        kind="township",
        values={
            "on_time_rate": 0.8,
            "first_resolution_rate": 0.5,
            "cases_change": 1.0,
            "zero_report_rate": 0.98,
            "satisfaction_rate": 0.9,
        },
        actor=territory.users["county_office"],
    )


def _cells(row, period):
    return {cell["key"]: (cell["value"], cell["met"]) for cell in row[period]["cells"]}


@pytest.mark.usefixtures("march")
def test_townships_scored_for_the_month_and_the_year_as_worked_out_by_hand(
    territory, targets, settings
):
    settings.FIGURES_RANKING_MIN_CASES = 1
    with at(date(2026, 5, 6)):
        report = assessment(county=territory.county, kind="township", month=MARCH)
    tubu, wucheng = report["rows"]
    assert (tubu["name"], tubu["rank"], wucheng["name"], wucheng["rank"]) == (
        "涂埠镇",
        1,
        "吴城镇",
        2,
    )
    # March: c1–c7; 4 of 5 resolved on time; 4 of the 6 first petitions (c6 repeats c1)
    # resolved; 7 against 4 in March 2025; 40 of 62 zero reports; 2 of 3 satisfied.
    assert _cells(tubu, "month") == {
        "on_time_rate": (0.8, True),
        "first_resolution_rate": (4 / 6, True),
        "cases_change": (0.75, True),
        "zero_report_rate": (40 / 62, False),
        "satisfaction_rate": (2 / 3, False),
    }
    assert (tubu["month"]["met"], tubu["month"]["judged"], tubu["month"]["score"]) == (3, 5, 0.6)
    # The year to March: February's two cases too (undecided), 9 against 4 a year before,
    # and January's and February's zero reports due but not made: 40 of 2 × 90.
    assert _cells(tubu, "year") == {
        "on_time_rate": (0.8, True),
        "first_resolution_rate": (4 / 8, True),
        "cases_change": (1.25, False),
        "zero_report_rate": (40 / 180, False),
        "satisfaction_rate": (2 / 3, False),
    }
    assert tubu["year"]["score"] == 0.4
    # 吴城镇: one case, undecided; no grid of it has a worker; nothing a year before.
    assert _cells(wucheng, "year") == {
        "on_time_rate": (None, None),
        "first_resolution_rate": (0.0, False),
        "cases_change": (None, None),
        "zero_report_rate": (None, None),
        "satisfaction_rate": (None, None),
    }
    assert wucheng["year"]["score"] == 0.0
    assert [m["target_percent"] for m in report["measures"]] == [80.0, 50.0, 100.0, 98.0, 90.0]


@pytest.mark.usefixtures("march")
def test_small_units_are_scored_but_not_ranked(territory, targets):
    with at(date(2026, 5, 6)):
        report = assessment(county=territory.county, kind="township", month=MARCH)
    assert [(row["name"], row.get("rank")) for row in report["rows"]] == [
        ("涂埠镇", None),
        ("吴城镇", None),
    ]


@pytest.mark.usefixtures("march")
def test_the_page_and_the_bulletin_show_the_scores(territory, targets, client, settings):
    settings.FIGURES_RANKING_MIN_CASES = 1
    client.force_login(territory.users["county_office"])
    with at(date(2026, 5, 6)):
        page = client.get("/assessment/", {"kind": "township", "month": "2026-03"})
        bulletin = bulletin_generate(county_id=territory.county.pk, month=MARCH)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index('data-unit="涂埠镇"') < html.index('data-unit="吴城镇"')
    assert 'data-met="2/5"' in html and "✓" in html and "✗" in html
    assert [row["name"] for row in bulletin.content["assessment"]["rows"]] == ["涂埠镇", "吴城镇"]
    shown = client.get(f"/bulletins/{bulletin.pk}/").content.decode()
    assert 'id="assessment"' in shown


@pytest.mark.usefixtures("march")
def test_a_township_leader_assesses_their_villages_only(territory, client, settings):
    settings.FIGURES_RANKING_MIN_CASES = 1
    client.force_login(territory.users["township_leader"])
    with at(date(2026, 5, 6)):
        page = client.get("/assessment/", {"kind": "village", "month": "2026-03"})
        assert client.get("/assessment/", {"kind": "township"}).status_code == 404
    html = page.content.decode()
    assert 'data-unit="兴杨村委会"' in html and 'data-unit="南洲村委会"' in html
    assert "吴城村委会" not in html
    assert (
        client.post("/assessment/targets/", {"kind": "village", "year": "2026"}).status_code == 404
    )
    for user_key in ("village_cadre", "grid_worker", "mediator"):
        client.force_login(territory.users[user_key])
        assert client.get("/assessment/").status_code == 404


def test_targets_are_set_by_the_county_office_within_bounds(territory, client, english):
    client.force_login(territory.users["county_office"])
    response = client.post(
        "/assessment/targets/",
        {
            "kind": "department",
            "year": "2026",
            "on_time_rate": "95",
            "satisfaction_rate": "90",
            "return_rate": "150",
        },
        follow=True,
    )
    assert "100 %" in response.content.decode()  # give a target from 0 % to 100 %
    assert not AssessmentTarget.objects.exists()
    client.post(
        "/assessment/targets/",
        {
            "kind": "department",
            "year": "2026",
            "on_time_rate": "95",
            "satisfaction_rate": "90",
            "return_rate": "5",
        },
    )
    assert dict(AssessmentTarget.objects.values_list("measure", "value")) == {
        "on_time_rate": 0.95,
        "satisfaction_rate": 0.9,
        "return_rate": 0.05,
    }
    for query in ({"month": "2026-13"}, {"month": "1999-01"}, {"kind": "moon"}):
        assert client.get("/assessment/", query).status_code == 400
