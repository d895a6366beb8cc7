"""The daily zero report's compliance (days reported of days due), by area and village, and whose grids count."""

from datetime import date, datetime

import pytest

from disputes.models import Case, ZeroReport
from disputes.oversight.selectors.zero_reports import (
    zero_report_compliance,
    zero_report_compliance_by_village,
    zero_report_history,
)
from grid.models import Grid
from tests.disputes.conftest import NANZHOU_01, XINGYANG_01, api
from tests.disputes.oversight.test_zero_reports import (  # noqa: F401  fixtures and helpers
    MARCH_2,
    SHANGHAI,
    at,
    cutoff,
    file,
    grids,
    wucheng_worker,
)

pytestmark = pytest.mark.django_db


class TestCompliance:
    @pytest.fixture
    def five_days(self, territory):
        """March 1-5: grid 01 files every day, grid 02 on the 1st and 3rd; 7 reports.

        Also a report of 南洲 grid 01 (it has no worker) and one of grid 01 on
        28 February: neither counts for March 1-5 in 兴杨 and 南洲.
        """
        for day in range(1, 6):
            with at(date(2026, 3, day), 9):
                assert file(territory, "grid_worker", "xingyang-01").status_code == 201
                if day in (1, 3):
                    assert file(territory, "other_grid_worker", "xingyang-02").status_code == 201
        with at(date(2026, 2, 28), 9):
            file(territory, "grid_worker", "xingyang-01")
        ZeroReport.objects.create(
            grid=territory.grids["nanzhou-01"],
            county=territory.county,
            day=date(2026, 3, 2),
            filed_by=territory.users["other_village_cadre"],
            nothing_found=True,
        )
        return Grid.objects.filter(township=territory.tubu)

    def test_worked_out_by_hand(self, five_days):
        march = {"start": date(2026, 3, 1), "end": date(2026, 3, 5)}
        # 2 grids due (南洲's has no worker) x 5 days = 10; 5 + 2 reports.
        after_cutoff = datetime(2026, 3, 5, 19, tzinfo=SHANGHAI)
        assert zero_report_compliance(grids_qs=five_days, **march, now=after_cutoff) == (7, 10)
        # Before the cutoff of the 5th only the 1st to the 4th are due: 2 x 4; 4 + 2 reported.
        morning = datetime(2026, 3, 5, 10, tzinfo=SHANGHAI)
        assert zero_report_compliance(grids_qs=five_days, **march, now=morning) == (6, 8)
        # A period that is not due yet.
        assert zero_report_compliance(
            grids_qs=five_days, start=date(2026, 3, 6), end=date(2026, 3, 9), now=after_cutoff
        ) == (0, 0)
        rows = zero_report_compliance_by_village(grids_qs=five_days, **march, now=after_cutoff)
        assert [(r["village_code"], r["days_reported"], r["days_due"]) for r in rows] == [
            ("360425100201", 7, 10)
        ]

    def test_the_leaders_page_shows_it(self, territory, five_days, client):
        client.force_login(territory.users["township_leader"])
        with at(date(2026, 3, 5), 19):
            page = client.get("/zero-reports/", {"day": "2026-03-05"}, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200
        html = page.content.decode()
        # The 30 days to 5 March: 2 grids due each day; the 7 reports and 28 February's.
        assert "8 / 60" in html
        # grid 02 did not file on the 5th, past the cutoff
        assert 'data-grid="360425100201-02"' in html
        assert 'data-grid="360425100201-01"' not in html
        assert "Past the cutoff (18:00)" in html

    def test_history_of_a_grid(self, territory, five_days, report):
        with at(date(2026, 3, 6), 8):
            report(point=XINGYANG_01)
            file(territory, "grid_worker", "xingyang-01")
            response = api(territory.users["village_cadre"]).get(
                "/api/zero-reports/",
                {
                    "grid": territory.grids["xingyang-02"].pk,
                    "from": "2026-03-01",
                    "to": "2026-03-06",
                },
            )
            days = zero_report_history(
                grid=territory.grids["xingyang-01"], start=date(2026, 3, 5), end=date(2026, 3, 7)
            )
        assert [
            (r["day"], r["nothing_found"], r["cases_count"]) for r in response.data["results"]
        ] == [
            ("2026-03-03", True, 0),
            ("2026-03-01", True, 0),
        ]
        assert [(d["day"], d["due"], d["nothing_found"], d["cases_count"]) for d in days] == [
            (date(2026, 3, 5), True, True, 0),
            (date(2026, 3, 6), False, False, 1),  # filed before the cutoff: not due yet
        ]


class TestScope:
    def test_history_is_scoped_and_another_grid_is_404(self, territory):
        with at(MARCH_2, 10):
            file(territory, "grid_worker", "xingyang-01")
            file(territory, "other_grid_worker", "xingyang-02")
            mine = api(territory.users["grid_worker"]).get("/api/zero-reports/").data
            cadre = api(territory.users["village_cadre"]).get("/api/zero-reports/").data
            elsewhere = api(territory.users["other_township_leader"]).get("/api/zero-reports/")
            theirs = api(territory.users["grid_worker"]).get(
                "/api/zero-reports/", {"grid": territory.grids["xingyang-02"].pk}
            )
        assert [r["grid_code"] for r in mine["results"]] == ["360425100201-01"]
        assert [r["grid_code"] for r in cadre["results"]] == [
            "360425100201-01",
            "360425100201-02",
        ]
        assert elsewhere.data["count"] == 0
        assert theirs.status_code == 404

    def test_the_page_needs_an_area(self, territory, client):
        for user_key in ("no_role", "mediator"):
            client.force_login(territory.users[user_key])
            assert client.get("/zero-reports/").status_code == 404
        client.logout()
        assert client.get("/zero-reports/").status_code == 302


def test_a_case_outside_any_grid_of_the_worker_is_not_linked(territory, report):
    with at(MARCH_2, 9):
        report(user_key="other_village_cadre", point=NANZHOU_01)  # 南洲, by its cadre
        response = file(territory, "grid_worker", "xingyang-01")
    assert response.data["nothing_found"] is True
    assert Case.objects.count() == 1
