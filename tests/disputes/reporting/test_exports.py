"""Exports of cases: the rows of the list, masked parties, three formats, background runs."""

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from disputes.models import Case, Export, JobStatus, PartyAccessLog
from disputes.reporting.services import exports
from tests.disputes.conftest import NANZHOU_01, WUCHENG_01, XINGYANG_01, access_log_purge, api
from tests.flows import conftest as flows

BROWSER_READY = flows.playwright is not None and Path(flows.CHROMIUM).exists()

pytestmark = pytest.mark.django_db

CLEAR_IDENTITY = ["张三", "李四", "13812345678", "13987654321", "360425199001011230", "3604**"]


@pytest.fixture
def cases(report, territory):
    """Two cases of 涂埠镇 (one traffic, in 南洲) and one of 吴城镇."""
    made = {
        "neighbours": report(user_key="grid_worker").data["id"],
        "traffic": report(
            user_key="township_leader", category="traffic", point=NANZHOU_01, parties=[]
        ).data["id"],
        "wucheng": report(user_key="other_township_leader", point=WUCHENG_01).data["id"],
    }
    api(territory.users["grid_worker"]).post(
        f"/api/cases/{made['neighbours']}/accept/", {"reply": "已受理"}
    )
    return made


def body(response) -> bytes:
    assert response.status_code == 200, getattr(response, "data", response)
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response) -> list[list[str]]:
    content = body(response)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def list_ids(client, params) -> list[int]:
    response = client.get("/api/cases/", params)
    assert response.status_code == 200, response.data
    return [f["id"] for f in response.data["features"]]


def column(rows, header):
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


FILTERS = [
    {},
    {"status": "accepted"},
    {"status": ["reported", "accepted"]},
    {"category": "traffic"},
    {"level": "grid"},
    {"in_bbox": f"{XINGYANG_01[0] - 0.005},{XINGYANG_01[1] - 0.005},115.9,29.1"},
]


@pytest.mark.parametrize("role", ["township_leader", "other_township_leader", "grid_worker"])
def test_an_export_has_the_rows_of_the_list_for_the_same_filters(cases, territory, english, role):
    client = api(territory.users[role])
    for params in FILTERS:
        rows = csv_rows(client.get("/api/cases/export/", {**params, "format": "csv"}))
        assert [int(i) for i in column(rows, "case number")] == list_ids(client, params), params


def test_each_township_leader_exports_only_their_township(cases, territory, english):
    def exported(role):
        rows = csv_rows(api(territory.users[role]).get("/api/cases/export/"))
        return sorted(int(i) for i in column(rows, "case number"))

    assert exported("township_leader") == sorted([cases["neighbours"], cases["traffic"]])
    assert exported("other_township_leader") == [cases["wucheng"]]
    assert exported("no_role") == []


def test_the_columns_a_county_office_needs(cases, territory, english):
    rows = csv_rows(
        api(territory.users["township_leader"]).get(
            "/api/cases/export/", {"category": "neighbours"}
        )
    )
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["case number"] == str(cases["neighbours"])
    assert row["status"] == "accepted"
    assert row["level"] == "grid"
    assert row["channel"] == "grid patrol"
    assert (row["township code"], row["township"]) == ("360425100", "涂埠镇")
    assert (row["village code"], row["village"]) == ("360425100201", "兴杨村委会")
    assert row["grid code"] == "360425100201-01"
    assert row["people involved"] == "2"
    assert row["due"]  # accepted: the handling deadline runs
    # Beijing time, to the second, as the database wrote it
    reported = Case.objects.get(pk=cases["neighbours"]).reported_at
    assert row["reported at"] == timezone.localtime(reported).strftime("%Y-%m-%d %H:%M:%S")
    assert (row["complainants (names masked)"], row["respondents (names masked)"]) == ("张*", "李*")
    assert float(row["longitude (WGS-84)"]) == pytest.approx(XINGYANG_01[0])
    assert float(row["latitude (WGS-84)"]) == pytest.approx(XINGYANG_01[1])
    assert not {"description", "address", "phone", "ID number"} & set(rows[0])


def test_a_csv_starts_with_a_bom_and_has_chinese_headers(cases, territory):
    client = api(territory.users["township_leader"], language="zh-hans")
    response = client.get("/api/cases/export/", {"category": "neighbours"})
    with translation.override("en"):  # the stream keeps the request's language
        rows = csv_rows(response)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["案件编号"], row["状态"], row["来源渠道"]) == (
        str(cases["neighbours"]),
        "已受理",
        "网格巡查",
    )
    assert {"上报时间", "类别", "层级", "网格", "涉及人数", "申请人（姓名已遮蔽）"} <= set(rows[0])


class TestMasking:
    """Exports are read by office staff: parties only as masked names, whoever exports."""

    def contents(self, client):
        csv_text = body(client.get("/api/cases/export/", {"format": "csv"})).decode("utf-8-sig")
        geojson = body(client.get("/api/cases/export/", {"format": "geojson"})).decode()
        workbook = load_workbook(
            io.BytesIO(body(client.get("/api/cases/export/", {"format": "xlsx"})))
        )
        cells = " ".join(
            str(value) for row in workbook.active.iter_rows(values_only=True) for value in row
        )
        return {"csv": csv_text, "geojson": geojson, "xlsx": cells}

    @pytest.mark.parametrize("role", ["grid_worker", "township_leader", "county_office"])
    def test_no_name_phone_or_id_number_in_clear_in_any_format(self, cases, territory, role):
        access_log_purge()
        for file_format, text in self.contents(api(territory.users[role])).items():
            assert "张*" in text and "李*" in text, file_format
            for clear in CLEAR_IDENTITY:
                assert clear not in text, (file_format, clear)
        # even the grid worker who holds the case and may see them: an export is no identity read
        assert not PartyAccessLog.objects.exists()


def test_an_xlsx_opens_and_has_the_rows(cases, territory, english):
    response = api(territory.users["county_office"]).get("/api/cases/export/", {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="cases-')
    sheet = load_workbook(io.BytesIO(body(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("case number", "reported at", "happened at")
    assert [row[0] for row in rows[1:]] == list_ids(api(territory.users["county_office"]), {})
    assert rows[1][1].year >= 2026  # a real date cell, not text


def test_a_geojson_is_a_feature_collection_of_the_points(cases, territory):
    response = api(territory.users["township_leader"]).get(
        "/api/cases/export/", {"format": "geojson"}
    )
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(body(response))
    assert data["type"] == "FeatureCollection"
    points = {f["id"]: f["geometry"] for f in data["features"]}
    assert set(points) == {cases["neighbours"], cases["traffic"]}
    assert points[cases["neighbours"]]["type"] == "Point"
    assert points[cases["neighbours"]]["coordinates"] == pytest.approx(list(XINGYANG_01))
    properties = data["features"][0]["properties"]
    assert properties["township_code"] == "360425100" and "longitude" not in properties


def test_bad_format_or_filter_is_400_and_says_which(territory):
    client = api(territory.users["county_office"])
    assert "format" in client.get("/api/cases/export/", {"format": "pdf"}).data
    assert "level" in client.get("/api/cases/export/", {"level": "planet"}).data
    assert "in_bbox" in client.get("/api/cases/export/", {"in_bbox": "1,2"}).data


class TestBackground:
    @pytest.fixture(autouse=True)
    def _large_from_two_rows(self, settings):
        settings.EXPORT_SYNC_MAX_ROWS = 1

    def start(self, territory, django_capture_on_commit_callbacks, **params):
        client = api(territory.users["township_leader"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get("/api/cases/export/", {"format": "csv", **params})
        assert response.status_code == 202, response.data
        return client, response.data

    def test_a_large_export_runs_in_the_background_and_ends_as_a_download(
        self, cases, territory, eager, media_root, django_capture_on_commit_callbacks, english
    ):
        client, started = self.start(territory, django_capture_on_commit_callbacks)
        assert (started["status"], started["total"]) == ("queued", 2)
        assert started["status_url"] == f"/api/exports/{started['id']}/"
        assert started["download_url"] is None
        status = client.get(started["status_url"]).data  # the task has run, eagerly
        assert (status["status"], status["written"], status["progress"]) == ("done", 2, 100)
        rows = csv_rows(client.get(status["download_url"]))
        assert [int(i) for i in column(rows, "case number")] == list_ids(client, {})
        assert [e["id"] for e in client.get("/api/exports/").data["results"]] == [started["id"]]
        assert list(media_root.glob("exports/*/*/cases-*.csv"))

    @pytest.mark.parametrize("role", ["other_township_leader", "county_office", "grid_worker"])
    def test_only_its_owner_sees_or_downloads_it(
        self, cases, territory, eager, media_root, django_capture_on_commit_callbacks, role
    ):
        _client, started = self.start(territory, django_capture_on_commit_callbacks)
        other = api(territory.users[role])
        assert other.get(started["status_url"]).status_code == 404
        assert other.get(f"{started['status_url']}download/").status_code == 404
        assert other.get("/api/exports/").data["results"] == []

    def test_the_filters_are_kept_for_the_background_run(
        self, cases, territory, eager, media_root, django_capture_on_commit_callbacks, english
    ):
        client, started = self.start(
            territory, django_capture_on_commit_callbacks, status=["reported", "accepted"]
        )
        export = Export.objects.get(pk=started["id"])
        assert export.filters["params"] == {"status": ["reported", "accepted"]}
        assert client.get(started["status_url"]).data["filters"] == export.filters["params"]

    def test_exports_are_forgotten_with_their_files_after_the_keeping_days(
        self, cases, territory, eager, media_root, django_capture_on_commit_callbacks, settings
    ):
        settings.EXPORT_KEEP_DAYS = 7
        client, old = self.start(territory, django_capture_on_commit_callbacks)
        _client, new = self.start(territory, django_capture_on_commit_callbacks)
        Export.objects.filter(pk=old["id"]).update(created_at=timezone.now() - timedelta(days=8))
        old_file = Export.objects.get(pk=old["id"]).file
        assert old_file.storage.exists(old_file.name)

        with django_capture_on_commit_callbacks(execute=True):
            assert exports.exports_expire() == 1

        assert client.get(old["status_url"]).status_code == 404
        assert not old_file.storage.exists(old_file.name)
        assert client.get(new["status_url"]).data["status"] == "done"
        assert exports.exports_expire() == 0

    def test_a_failure_marks_it_failed_with_the_reason(
        self, cases, territory, eager, tmp_path, settings, django_capture_on_commit_callbacks
    ):
        blocker = tmp_path / "not-a-directory"
        blocker.write_text("")
        settings.PRIVATE_MEDIA_ROOT = blocker  # the storage cannot write there
        client, started = self.start(territory, django_capture_on_commit_callbacks)
        status = client.get(started["status_url"]).data
        assert status["status"] == "failed"
        assert "could not be written" in status["error"] and status["download_url"] is None
        assert client.get(f"{started['status_url']}download/").status_code == 404

    def test_filters_no_longer_valid_fail_with_the_reason(
        self, cases, territory, media_root, english
    ):
        export = Export.objects.create(
            user=territory.users["township_leader"],
            county=territory.county,
            format="csv",
            filters={"params": {"level": ["planet"]}, "language": "en"},
        )
        exports.export_run(export_id=export.pk)
        export.refresh_from_db()
        assert export.status == JobStatus.FAILED
        assert "no longer valid" in export.error and "level" in export.error
        assert not export.file


def test_the_exports_page_lists_my_exports_with_progress(cases, territory, client, english):
    mine = Export.objects.create(
        user=territory.users["township_leader"],
        county=territory.county,
        format="xlsx",
        total=40000,
        written=10000,
        status=JobStatus.RUNNING,
    )
    theirs = Export.objects.create(
        user=territory.users["county_office"], county=territory.county, format="csv"
    )
    assert client.get("/exports/").status_code == 302  # log in first
    client.force_login(territory.users["township_leader"])
    page = client.get("/exports/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'id="export-{mine.pk}"' in page and f'id="export-{theirs.pk}"' not in page
    assert '<progress max="40000" value="10000">' in page
    assert f'data-status-url="/api/exports/{mine.pk}/"' in page
    assert 'href="/exports/"' in page  # in the leaders' navigation
    assert "//cdn" not in page and "https://" not in page


# --- the page, in a real browser ------------------------------------------------------------


@pytest.fixture
def leader_browser_page(browser, live_server, territory):
    leader = territory.users["township_leader"]
    leader.set_password("lingdao-2026")
    leader.save()
    context = browser.new_context(locale="en-US", base_url=live_server.url, accept_downloads=True)
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )  # nothing may leave this server
    page = context.new_page()
    page.goto("/login/")
    page.fill("input[name=username]", leader.username)
    page.fill("input[name=password]", "lingdao-2026")
    page.click("button[type=submit]")
    yield page
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(not BROWSER_READY, reason="needs playwright and Debian's chromium")
def test_the_page_downloads_a_small_export_and_follows_a_large_one_to_its_link(
    report, territory, leader_browser_page, eager, media_root, settings
):
    report()
    report(user_key="township_leader", point=NANZHOU_01, parties=[])
    page = leader_browser_page
    page.goto("/exports/")
    with page.expect_download() as download:
        page.click("#export-form button[type=submit]")
    assert download.value.suggested_filename.startswith("cases-")
    assert len(Path(download.value.path()).read_text("utf-8-sig").splitlines()) == 3

    settings.EXPORT_SYNC_MAX_ROWS = 1
    page.select_option("select[name=format]", "xlsx")
    page.click("#export-form button[type=submit]")
    row = page.locator("#exports tbody tr[data-export]").first
    link = row.locator("a", has_text="Download")
    link.wait_for(timeout=10_000)
    assert row.locator("progress").get_attribute("value") == "2"
    flows.ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=flows.ARTIFACTS / "exports.png")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert sheet.max_row == 3
