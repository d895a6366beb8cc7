"""The daily zero report (每天零报告) on a frozen clock, cutoff 18:00 Asia/Shanghai.

In the territory, 兴杨 grid 01 and grid 02 each have a grid worker; 南洲 grid 01
and 吴城 grid 01 have none, so they are not due (some tests give 吴城 one).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disputes.models import Notification, ZeroReport
from disputes.oversight.services.zero_reports import zero_reminders_send
from disputes.tasks import zero_reminders
from tests.disputes.conftest import XINGYANG_02, api
from tests.factories import UserFactory
from villages.models import Staff

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH_2 = date(2026, 3, 2)


def at(day: date, hour: int, minute: int = 0):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture(autouse=True)
def cutoff(settings):
    settings.ZERO_REPORT_CUTOFF = "18:00"


@pytest.fixture
def grids(territory):
    return territory.grids


def file(territory, user_key, grid_key, **extra):
    return api(territory.users[user_key]).post(
        "/api/zero-reports/", {"grid": territory.grids[grid_key].pk, **extra}, format="json"
    )


def wucheng_worker(territory):
    """Give 吴城 grid 01 (another township) a grid worker, so that it is due too."""
    user = UserFactory(username="gw_wucheng_01")
    Staff.objects.create(
        user=user,
        role=Staff.Role.GRID_WORKER,
        county=territory.county,
        township=territory.wucheng,
        village=territory.grids["wucheng-01"].village,
    )
    user.grids.set([territory.grids["wucheng-01"]])
    return user


class TestFiling:
    def test_one_tap_files_nothing_to_report(self, territory, grids):
        with at(MARCH_2, 10, 5):
            response = file(territory, "grid_worker", "xingyang-01")
        assert response.status_code == 201
        assert (response.data["day"], response.data["nothing_found"], response.data["cases"]) == (
            "2026-03-02",
            True,
            [],
        )
        assert response.data["filed_at"].startswith("2026-03-02T10:05")  # local time
        report = ZeroReport.objects.get()
        assert (report.grid, report.filed_by, report.county) == (
            grids["xingyang-01"],
            territory.users["grid_worker"],
            territory.county,
        )

    def test_it_links_the_cases_of_the_local_day_in_the_grid_and_filing_again_keeps_one_row(
        self, territory, report
    ):
        with at(date(2026, 3, 1), 23, 30):
            yesterday = report().data["id"]
        with at(MARCH_2, 0, 30):  # still 1 March in UTC
            early = report().data["id"]
        with at(MARCH_2, 9):
            report(user_key="other_grid_worker", point=XINGYANG_02)  # another grid
        with at(MARCH_2, 10):
            first = file(territory, "grid_worker", "xingyang-01", note="巡查两次")
        assert first.status_code == 201
        assert (first.data["nothing_found"], first.data["cases"]) == (False, [early])

        with at(MARCH_2, 11):
            later = report().data["id"]
        with at(MARCH_2, 12):
            again = file(territory, "grid_worker", "xingyang-01")
        assert again.status_code == 200
        assert sorted(again.data["cases"]) == sorted([early, later])
        assert again.data["cases_count"] == 2
        report_row = ZeroReport.objects.get()
        assert report_row.filed_at == first_filed_at(first)
        assert report_row.note == "巡查两次"  # kept: the second tap gave none
        assert yesterday not in again.data["cases"]

    def test_a_worker_cannot_file_for_a_grid_that_is_not_theirs(self, territory):
        with at(MARCH_2, 10):
            assert file(territory, "grid_worker", "xingyang-02").status_code == 404
            assert file(territory, "other_township_leader", "xingyang-01").status_code == 404
            # in the area, but not a worker of the grid
            assert file(territory, "village_cadre", "xingyang-01").status_code == 403
            missing = api(territory.users["grid_worker"]).post(
                "/api/zero-reports/", {"grid": 999999}, format="json"
            )
            assert missing.status_code == 404
        assert not ZeroReport.objects.exists()

    def test_only_today_can_be_filed(self, territory, english):
        with at(MARCH_2, 10):
            past = file(territory, "grid_worker", "xingyang-01", day="2026-03-01")
            future = file(territory, "grid_worker", "xingyang-01", day="2026-03-03")
            today = file(territory, "grid_worker", "xingyang-01", day="2026-03-02")
        assert past.status_code == future.status_code == 400
        assert past.data == {"day": ["A zero report can only be filed for today."]}
        assert today.status_code == 201
        assert list(ZeroReport.objects.values_list("day", flat=True)) == [MARCH_2]


def first_filed_at(response):
    return datetime.fromisoformat(response.data["filed_at"])


class TestToday:
    def test_a_worker_sees_each_grid_with_todays_cases_and_then_the_report(self, territory, report):
        with at(MARCH_2, 9):
            report()
            before = api(territory.users["grid_worker"]).get("/api/zero-reports/today/").data
        assert (before["day"], before["cutoff"], before["cutoff_passed"]) == (
            "2026-03-02",
            "18:00",
            False,
        )
        [grid] = before["grids"]
        assert (grid["code"], grid["cases_today"], grid["report"]) == ("360425100201-01", 1, None)

        with at(MARCH_2, 9, 15):
            file(territory, "grid_worker", "xingyang-01")
            after = api(territory.users["grid_worker"]).get("/api/zero-reports/today/").data
        report_data = after["grids"][0]["report"]
        assert report_data["filed_at"][11:16] == "09:15"
        assert (report_data["nothing_found"], report_data["cases_count"]) == (False, 1)
        assert (after["due"], after["reported"], after["missing"]) == (1, 1, 0)

    def test_a_leader_sees_the_counts_of_the_area(self, territory):
        with at(MARCH_2, 18, 30):
            file(territory, "grid_worker", "xingyang-01")
            data = api(territory.users["township_leader"]).get("/api/zero-reports/today/").data
        assert data["grids"] == []
        assert (data["cutoff_passed"], data["due"], data["reported"], data["missing"]) == (
            True,
            2,
            1,
            1,
        )


class TestMissing:
    def missing(self, territory, user_key, **params):
        return api(territory.users[user_key]).get("/api/zero-reports/missing/", params)

    def test_by_township_and_village_before_and_after_the_cutoff(self, territory):
        wucheng_worker(territory)
        with at(MARCH_2, 17, 59):
            file(territory, "grid_worker", "xingyang-01")
            before = self.missing(territory, "county_office").data
        assert (before["day"], before["cutoff_passed"]) == ("2026-03-02", False)
        assert (before["due"], before["reported"], before["missing"]) == (3, 1, 2)

        with at(MARCH_2, 18):
            after = self.missing(territory, "county_office").data
        assert after["cutoff_passed"] is True
        assert after["townships"] == [
            {
                "code": "360425100",
                "name": "涂埠镇",
                "missing": 1,
                "villages": [
                    {
                        "code": "360425100201",
                        "name": "兴杨村委会",
                        "missing": 1,
                        "grids": [
                            {
                                "id": territory.grids["xingyang-02"].pk,
                                "code": "360425100201-02",
                                "name": territory.grids["xingyang-02"].name,
                                "workers": ["gw_xingyang_02"],
                            }
                        ],
                    }
                ],
            },
            {
                "code": "360425101",
                "name": "吴城镇",
                "missing": 1,
                "villages": [
                    {
                        "code": "360425101201",
                        "name": "吴城村委会",
                        "missing": 1,
                        "grids": [
                            {
                                "id": territory.grids["wucheng-01"].pk,
                                "code": "360425101201-01",
                                "name": territory.grids["wucheng-01"].name,
                                "workers": ["gw_wucheng_01"],
                            }
                        ],
                    }
                ],
            },
        ]

    def test_each_sees_their_own_area_and_a_past_day(self, territory):
        wucheng_worker(territory)
        with at(MARCH_2, 10):
            tubu = self.missing(territory, "township_leader").data
            nanzhou = self.missing(territory, "other_village_cadre").data
            worker = self.missing(territory, "grid_worker").data
            nobody = self.missing(territory, "no_role").data
            yesterday = self.missing(territory, "township_leader", day="2026-03-01").data
            tomorrow = self.missing(territory, "township_leader", day="2026-03-03")
        assert [t["code"] for t in tubu["townships"]] == ["360425100"]
        assert (tubu["due"], tubu["missing"]) == (2, 2)
        assert (nanzhou["due"], nanzhou["townships"]) == (0, [])  # 南洲's grid has no worker
        assert worker["due"] == 1
        assert nobody["due"] == 0
        assert (yesterday["day"], yesterday["cutoff_passed"], yesterday["missing"]) == (
            "2026-03-01",
            True,
            2,
        )
        assert tomorrow.status_code == 400

    def test_more_grids_and_workers_cost_no_more_queries(self, territory):
        def missing_and_queries():
            with CaptureQueriesContext(connection) as captured:
                data = self.missing(territory, "county_office").data
            return data["missing"], len(captured)

        with at(MARCH_2, 19):
            two, queries = missing_and_queries()
            wucheng_worker(territory)
            UserFactory(username="gw_xingyang_02b").grids.set([territory.grids["xingyang-02"]])
            assert missing_and_queries() == (two + 1, queries)

    @pytest.mark.parametrize(
        ("hour", "filed", "shown"),
        [
            (19, ["grid_worker", "other_grid_worker"], "应报网格均已报告。"),
            (19, ["grid_worker"], "已过截止时间（18:00）：以下网格未报告。"),
            (10, ["grid_worker", "other_grid_worker"], "应报网格均已报告。"),
            (10, [], "截止时间（18:00）前：以下网格尚未报告，今天仍可报送。"),
        ],
    )
    def test_the_page_says_one_thing_about_the_day(self, territory, client, hour, filed, shown):
        """Either some grids have not reported, or all have: never both at once."""
        keys = {"grid_worker": "xingyang-01", "other_grid_worker": "xingyang-02"}
        with at(MARCH_2, 9):
            for user_key in filed:
                assert file(territory, user_key, keys[user_key]).status_code == 201
        client.force_login(territory.users["township_leader"])
        with at(MARCH_2, hour):
            html = client.get("/zero-reports/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        messages = [
            "应报网格均已报告。",
            "本辖区的网格都还没有网格员。",
            "已过截止时间（18:00）：以下网格未报告。",
            "截止时间（18:00）前：以下网格尚未报告，今天仍可报送。",
        ]
        assert [m for m in messages if m in html] == [shown]
        assert html.count("data-grid=") == 2 - len(filed)

    def test_the_page_of_an_area_without_grid_workers(self, territory, client):
        client.force_login(territory.users["other_township_leader"])  # 吴城镇: nobody patrols
        with at(MARCH_2, 19):
            html = client.get("/zero-reports/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "本辖区的网格都还没有网格员。" in html
        assert "已过截止时间" not in html and "应报网格均已报告" not in html


class TestReminders:
    def test_after_the_cutoff_each_worker_of_a_grid_not_reported_is_reminded_once(
        self, territory, english
    ):
        gw_wucheng = wucheng_worker(territory)
        with at(MARCH_2, 17, 59):
            file(territory, "grid_worker", "xingyang-01")
            assert zero_reminders_send() == 0  # before the cutoff
        with at(MARCH_2, 18):
            assert zero_reminders() == 2  # the beat task
            assert zero_reminders_send() == 0
        with at(MARCH_2, 23):
            assert zero_reminders_send() == 0
        reminded = Notification.objects.order_by("user__username")
        assert [(n.user, n.link, n.notice) for n in reminded] == [
            (gw_wucheng, "/m/", None),
            (territory.users["other_grid_worker"], "/m/", None),
        ]
        assert territory.grids["xingyang-02"].name in reminded[1].message

        with at(MARCH_2, 18, 5):
            listed = api(territory.users["other_grid_worker"]).get("/api/notifications/")
        assert listed.status_code == 200
        [item] = listed.data["results"]
        assert (item["notice"], item["link"]) == (None, "/m/")
        assert territory.grids["xingyang-02"].name in item["message"]

        with at(date(2026, 3, 3), 18):  # a new day: reminded again, the filer too
            assert zero_reminders_send() == 3
        assert Notification.objects.count() == 5

    def test_a_grid_without_workers_and_a_grid_that_reported_get_none(self, territory):
        with at(MARCH_2, 12):
            file(territory, "grid_worker", "xingyang-01")
            file(territory, "other_grid_worker", "xingyang-02")
        with at(MARCH_2, 19):
            assert zero_reminders_send() == 0
        assert not Notification.objects.exists()
