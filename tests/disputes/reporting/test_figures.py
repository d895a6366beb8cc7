"""Figures from the daily roll-ups, against answers worked out by hand and against the cases."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from disputes.cases.services import lifecycle
from disputes.models import (
    Case,
    CaseDayCountyFigure,
    CaseDayFigure,
    FigureDirtyDay,
    ZeroReport,
)
from disputes.reporting.selectors.figures import (
    Scope,
    change,
    figures_report,
    last_year_period,
    previous_period,
    ranking,
)
from disputes.reporting.services.figures import figures_rebuild, figures_refresh
from tests.disputes.conftest import NANZHOU_01, WUCHENG_01, api, case_payload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 9):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


def parties(n: int):
    """Parties of their own, so that no case is a repeat unless the test wants it."""
    return [{"role": "complainant", "name": f"当事人{n}", "phone": f"1380000{n:04d}"}]


class Reporter:
    def __init__(self, territory):
        self.territory = territory
        self.n = 0

    def __call__(self, user_key="grid_worker", **overrides):
        self.n += 1
        overrides.setdefault("parties", parties(self.n))
        # Over 100 m apart, so that a case is a repeat only by its parties.
        overrides.setdefault("point", (115.81, 29.003 + self.n * 0.002))
        response = api(self.territory.users[user_key]).post(
            "/api/cases/", case_payload(**overrides), format="json"
        )
        assert response.status_code == 201, response.data
        return response.data["id"]


@pytest.fixture
def march(territory):
    """涂埠镇 in March 2026: seven cases in known states, plus cases before and elsewhere.

    c1 settled on time, satisfied          c5 escalated to the village, settled late
    c2 partly settled, basically satisfied c6 referred, a repeat of c1
    c3 not settled, not satisfied          c7 (南洲村) not yet decided
    c4 not accepted
    February 2026: 2 cases in 涂埠镇; March 2025: 4; 吴城镇, March 2026: 1.
    """
    report = Reporter(territory)
    u = territory.users
    worker, cadre, leader = u["grid_worker"], u["village_cadre"], u["township_leader"]
    with at(date(2025, 3, 10)):
        for _ in range(4):
            report()
    with at(date(2026, 2, 27)):
        report(), report()
    with at(date(2026, 3, 2)):
        c1 = report(amount_at_stake="1000.00", parties=parties(700))
        c2 = report(
            channel="visit", category="land-housing", people_involved=3, amount_at_stake="5000.00"
        )
        c3 = report()
        c4 = report(channel="phone")
        c5 = report(people_involved=4)
        c6 = report(parties=parties(700))  # the same complainant as c1
        report("other_village_cadre", point=NANZHOU_01)  # c7
        report("other_township_leader", point=WUCHENG_01)
        for case_id in (c1, c2, c3, c5, c6):
            lifecycle.case_accept(case_id=case_id, actor=worker)
        lifecycle.case_reject(case_id=c4, actor=worker, reason="不属于受理范围")
        lifecycle.case_escalate(case_id=c5, actor=worker, reason="涉及多户")
    with at(date(2026, 3, 20)):
        lifecycle.case_resolve(case_id=c1, actor=worker, outcome="settled")
        lifecycle.case_resolve(case_id=c2, actor=worker, outcome="partly_settled")
        lifecycle.case_resolve(case_id=c3, actor=worker, outcome="not_settled")
        lifecycle.case_resolve(case_id=c6, actor=worker, outcome="referred")
    with at(date(2026, 3, 25)):
        lifecycle.case_follow_up(case_id=c1, actor=cadre, satisfaction="satisfied")
        lifecycle.case_follow_up(case_id=c2, actor=cadre, satisfaction="basically_satisfied")
        lifecycle.case_follow_up(case_id=c3, actor=cadre, satisfaction="not_satisfied")
        lifecycle.case_close(case_id=c1, actor=cadre)
    with at(date(2026, 5, 5)):  # the handling limit (60 days from 2 March) has passed
        lifecycle.case_resolve(case_id=c5, actor=cadre, outcome="settled")
    # Zero reports: 2 grids have a worker (兴杨 01 and 02), so March has 62 days due.
    for day in range(1, 26):
        ZeroReport.objects.create(
            grid=territory.grids["xingyang-01"],
            county=territory.county,
            day=date(2026, 3, day),
            filed_by=worker,
            nothing_found=True,
        )
    for day in range(1, 16):
        ZeroReport.objects.create(
            grid=territory.grids["xingyang-02"],
            county=territory.county,
            day=date(2026, 3, day),
            filed_by=u["other_grid_worker"],
            nothing_found=True,
        )
    figures_refresh()
    return {"leader": leader, "c5": c5}


def tubu_march(territory):
    with at(date(2026, 5, 6)):
        return figures_report(
            Scope("township", territory.tubu), date(2026, 3, 1), date(2026, 3, 31)
        )


def test_every_figure_of_a_month_as_worked_out_by_hand(territory, march):
    report = tubu_march(territory)
    f = report["figures"]
    assert f["received"] == 7
    assert f["received_patrol"] == 5 and f["received_visit"] == 1 and f["received_phone"] == 1
    assert f["people"] == 2 + 3 + 2 + 2 + 4 + 2 + 2
    assert f["amount"] == Decimal("6000.00")
    assert (f["accepted"], f["not_accepted"], f["pending"]) == (5, 1, 1)
    assert (f["level_grid"], f["level_village"], f["escalated"]) == (4, 1, 1)
    assert (f["settled"], f["partly_settled"], f["not_settled"], f["referred"]) == (2, 1, 1, 1)
    assert f["success_rate"] == 2 / 4  # settled / (settled + partly + not settled)
    assert (f["resolved"], f["resolved_on_time"]) == (5, 4)
    assert f["on_time_rate"] == 4 / 5
    assert f["repeats"] == 1 and f["repeat_rate"] == 1 / 7
    assert f["followed_up"] == 3 and f["satisfaction_rate"] == 2 / 3
    assert (f["days_reported"], f["days_due"]) == (40, 62)
    assert f["zero_report_rate"] == 40 / 62

    by_category = {row["code"]: row["received"] for row in report["by_category"]}
    assert by_category == {"neighbours": 6, "land-housing": 1}
    assert {row["code"]: row["accepted"] for row in report["by_level"]}["village"] == 1
    formulas = {d["key"]: d["formula"] for d in report["definitions"]}
    assert "settled" in formulas["success_rate"] and "÷" in formulas["success_rate"]


def test_month_on_month_and_year_on_year(territory, march):
    report = tubu_march(territory)
    assert report["previous_period"] == {"start": date(2026, 2, 1), "end": date(2026, 2, 28)}
    assert report["last_year_period"] == {"start": date(2025, 3, 1), "end": date(2025, 3, 31)}
    assert report["previous"]["received"] == 2
    assert report["last_year"]["received"] == 4
    assert report["changes"]["received"] == {"mom": 250.0, "yoy": 75.0}
    # Rates change in percentage points; nothing was mediated last March.
    assert report["changes"]["success_rate"] == {"mom": None, "yoy": None}


def test_periods_and_changes():
    assert previous_period(date(2026, 3, 1), date(2026, 3, 31)) == (
        date(2026, 2, 1),
        date(2026, 2, 28),
    )
    assert previous_period(date(2026, 1, 1), date(2026, 3, 31)) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
    )
    assert previous_period(date(2026, 3, 10), date(2026, 3, 16)) == (
        date(2026, 3, 3),
        date(2026, 3, 9),
    )
    assert last_year_period(date(2028, 2, 29), date(2028, 3, 6)) == (
        date(2027, 2, 28),
        date(2027, 3, 6),
    )
    # "petitions down 20.99% year on year"
    assert change(7901, 10000, rate=False) == -20.99
    assert change(0.913, 0.9, rate=True) == 1.3
    assert change(3, 0, rate=False) is None


def test_rankings_leave_out_units_with_few_cases(territory, march, settings):
    with at(date(2026, 5, 6)):
        scope = Scope("township", territory.tubu)
        small = ranking(scope, date(2026, 3, 1), date(2026, 3, 31), min_cases=1)
        # 兴杨村 settled half of what it mediated; 南洲村 mediated nothing yet.
        assert [(e["name"], e["rank"]) for e in small["ranked"]] == [
            (territory.xingyang.name, 1),
            (territory.nanzhou.name, 2),
        ]
        settings.FIGURES_RANKING_MIN_CASES = 2
        ranked = ranking(scope, date(2026, 3, 1), date(2026, 3, 31))
    # 南洲村 has one case: not ranked, listed apart with its count.
    assert [e["name"] for e in ranked["ranked"]] == [territory.xingyang.name]
    assert ranked["ranked"][0]["success_rate"] == 0.5
    assert [(e["name"], e["received"]) for e in ranked["left_out"]] == [(territory.nanzhou.name, 1)]
    assert ranked["min_cases"] == 2


def test_a_team_and_a_category_have_their_own_figures(territory, march):
    with at(date(2026, 5, 6)):
        land = figures_report(
            Scope("county", territory.county, category=_category("land-housing")),
            date(2026, 3, 1),
            date(2026, 3, 31),
        )
    assert land["figures"]["received"] == 1 and land["figures"]["partly_settled"] == 1
    assert land["figures"]["zero_report_rate"] is None  # zero reports are per grid, not category


def _category(code):
    from disputes.models import Category

    return Category.objects.get(code=code)


def test_a_change_marks_its_day_and_the_refresh_brings_the_figures_up_to_date(territory, march):
    c5 = Case.objects.get(pk=march["c5"])
    with at(date(2026, 5, 7)):
        lifecycle.case_follow_up(
            case_id=c5.pk, actor=territory.users["village_cadre"], satisfaction="satisfied"
        )
    assert FigureDirtyDay.objects.filter(day=date(2026, 3, 2)).exists()
    assert tubu_march(territory)["figures"]["followed_up"] == 3  # not yet refreshed
    assert figures_refresh() == 1
    assert not FigureDirtyDay.objects.exists()
    assert tubu_march(territory)["figures"]["followed_up"] == 4
    assert figures_refresh() == 0  # nothing left to do


def test_the_api_answers_the_same_numbers_scoped_to_the_area(territory, march):
    leader = territory.users["township_leader"]
    with at(date(2026, 5, 6)):
        answer = api(leader).get("/api/figures/", {"start": "2026-03-01", "end": "2026-03-31"})
        assert answer.status_code == 200
        assert answer.data["unit"]["code"] == territory.tubu.code
        assert answer.data["figures"]["received"] == 7
        village = api(leader).get(
            "/api/figures/",
            {
                "level": "village",
                "code": territory.nanzhou.code,
                "start": "2026-03-01",
                "end": "2026-03-31",
            },
        )
        assert village.data["figures"]["received"] == 1
        other = api(territory.users["other_township_leader"]).get(
            "/api/figures/", {"level": "township", "code": territory.tubu.code}
        )
        assert other.status_code == 404
        bad = api(leader).get("/api/figures/", {"start": "2026-04-01", "end": "2026-03-01"})
        assert bad.status_code == 400 and "start" in bad.data


def direct(cases) -> dict:
    """The figures counted straight from the cases, in Python, for the comparison."""
    cases = list(cases)
    resolved = [c for c in cases if c.resolved_at]
    return {
        "received": len(cases),
        "people": sum(c.people_involved for c in cases),
        "accepted": sum(1 for c in cases if c.accepted_at),
        "not_accepted": sum(1 for c in cases if c.status == "not_accepted"),
        "escalated": sum(1 for c in cases if c.events.filter(action="escalate").exists()),
        "settled": sum(1 for c in cases if c.outcome == "settled"),
        "partly_settled": sum(1 for c in cases if c.outcome == "partly_settled"),
        "not_settled": sum(1 for c in cases if c.outcome == "not_settled"),
        "referred": sum(1 for c in cases if c.outcome == "referred"),
        "resolved": len(resolved),
        "resolved_on_time": sum(1 for c in resolved if c.resolved_on_time),
        "repeats": sum(1 for c in cases if c.repeat_of_id),
        "followed_up": sum(1 for c in cases if c.satisfaction),
        "satisfied": sum(1 for c in cases if c.satisfaction == "satisfied"),
        "level_village": sum(1 for c in cases if c.accepted_at and c.level == "village"),
    }


def test_rollups_equal_the_figures_counted_from_the_cases(territory):
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    call_command("build_demo_cases", count=80, seed=11)
    assert figures_refresh() > 0  # every case's day was marked by its events
    rows_after_refresh = sorted(CaseDayFigure.objects.values_list("day", "grid_id", "received"))
    county_rows = CaseDayCountyFigure.objects.values_list("day", "category_id", "received")
    county_rows_after_refresh = sorted(county_rows)
    figures_rebuild(territory.county.pk)
    assert (
        sorted(CaseDayFigure.objects.values_list("day", "grid_id", "received"))
        == rows_after_refresh
    )
    assert sorted(county_rows) == county_rows_after_refresh

    start, end = date(2000, 1, 1), date(2100, 1, 1)
    for scope, cases in [
        (Scope("county", territory.county), Case.objects.all()),
        (Scope("township", territory.tubu), Case.objects.filter(township=territory.tubu)),
        (Scope("village", territory.nanzhou), Case.objects.filter(village=territory.nanzhou)),
        (
            Scope("county", territory.county, category=_category("neighbours")),
            Case.objects.filter(category__code="neighbours"),
        ),
    ]:
        figures = figures_report(scope, start, end)["figures"]
        expected = direct(cases)
        assert {k: figures[k] for k in expected} == expected, scope
    assert direct(Case.objects.all())["resolved"] > 0


def test_the_page_shows_the_figures_with_their_formulas(territory, march, client):
    client.force_login(territory.users["township_leader"])
    with at(date(2026, 5, 6)):
        page = client.get(
            "/figures/", {"start": "2026-03-01", "end": "2026-03-31"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        csv = client.get(
            "/figures/figures.csv",
            {"start": "2026-03-01", "end": "2026-03-31"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        bad = client.get("/figures/", {"start": "2026-03-40"}, HTTP_ACCEPT_LANGUAGE="en")
        bad_csv = client.get(
            "/figures/figures.csv", {"start": "0001-01-01"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-key="success_rate"' in html and "50.0%" in html and "80.0%" in html
    assert "settled ÷ (settled + partly settled + not settled)" in html
    assert "+250.00%" in html and "+75.00%" in html  # received: 环比, 同比
    # Both villages have fewer than FIGURES_RANKING_MIN_CASES (10): listed, not ranked.
    assert html.count("too few cases to rank") == 2
    text = csv.content.decode("utf-8")
    assert text.startswith("\ufeff") and "Mediation success rate,50.0%" in text
    assert bad.status_code == 400 and "wrong format" in bad.content.decode()
    assert bad_csv.status_code == 400
    assert bad_csv.content.decode() == "Give a date from 2000 to 2027."
    client.force_login(territory.users["no_role"])
    assert client.get("/figures/").status_code == 404


def test_a_grid_worker_reads_the_figures_of_their_grids_only(territory, march):
    worker = territory.users["grid_worker"]
    period = {"start": "2026-03-01", "end": "2026-03-31"}
    with at(date(2026, 5, 6)):
        own = api(worker).get("/api/figures/", period)
        sibling = api(worker).get(
            "/api/figures/",
            {**period, "level": "grid", "code": territory.grids["xingyang-02"].code},
        )
        village = api(worker).get(
            "/api/figures/", {**period, "level": "village", "code": territory.xingyang.code}
        )
        mediator = api(territory.users["mediator"]).get("/api/figures/", period)
    assert own.status_code == 200
    assert own.data["unit"] == {
        "level": "grid",
        "code": territory.grids["xingyang-01"].code,
        "name": territory.grids["xingyang-01"].name,
    }
    assert own.data["figures"]["received"] == 6  # 兴杨 01's cases of March, not 南洲村's
    assert own.data["ranking"]["level"] is None
    assert (sibling.status_code, village.status_code, mediator.status_code) == (404, 404, 404)


@pytest.mark.parametrize(
    "query",
    [
        {"start": "0001-01-01", "end": "0001-01-31"},
        {"start": "9999-12-01", "end": "9999-12-31"},
        {"start": "2026-03-01", "end": "2030-03-31"},
    ],
)
def test_dates_out_of_range_are_refused_with_a_reason(territory, query, english):
    answer = api(territory.users["township_leader"]).get("/api/figures/", query)
    assert answer.status_code == 400
    assert "Give a date from 2000 to" in str(answer.data)
