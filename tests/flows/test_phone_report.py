"""A grid worker reports from the phone page in a real browser (Debian's chromium).

With an emulated GPS position in 兴杨 grid 01 the worker files a report;
then, with the network cut, files another that waits on the phone, and on
reconnect exactly one case exists for it.
"""

import io
from pathlib import Path

import pytest
from PIL import Image

from disputes.models import Attachment, Case
from tests.disputes.conftest import XINGYANG_01
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, phone_login, wait_for_js

pytestmark = BROWSER_MARKS


@pytest.fixture
def phone(browser, live_server, territory):
    context, page = phone_login(
        browser,
        live_server,
        territory.users["grid_worker"],
        locale="zh-CN",
        device_scale_factor=2,
        geolocation={"longitude": XINGYANG_01[0], "latitude": XINGYANG_01[1], "accuracy": 12},
        permissions=["geolocation"],
    )
    page.wait_for_selector("#tab-cases")
    yield context, page
    context.close()


def photo(tmp_path) -> Path:
    path = tmp_path / "现场.jpg"
    Image.new("RGB", (2400, 1800), (120, 160, 90)).save(path, format="JPEG")
    return path


def fill_report(page, description, photo_path=None):
    page.click("[data-tab=report]")
    page.wait_for_selector(".leaflet-marker-icon")
    wait_for_js(page, "document.getElementById('position').textContent.includes('12')")
    page.select_option("select[name=category]", "neighbours")
    page.fill("textarea[name=description]", description)
    page.click("#add-party")
    page.fill(".party input[name=name]", "张三")
    page.fill(".party input[name=phone]", "13812345678")
    if photo_path:
        page.set_input_files("input[name=photos]", str(photo_path))


def test_report_online_then_offline_then_reconnect(phone, tmp_path):
    context, page = phone
    ARTIFACTS.mkdir(exist_ok=True)

    fill_report(page, "两户因排水沟堵塞发生争执", photo(tmp_path))
    page.screenshot(path=ARTIFACTS / "phone-report-form.png", full_page=True)
    page.click("button[type=submit]")
    page.wait_for_selector("#cases li.case")

    case = Case.objects.get()
    assert case.description == "两户因排水沟堵塞发生争执"
    assert (case.grid.code, case.accuracy_m) == ("360425100201-01", 12)
    assert case.location.x == pytest.approx(XINGYANG_01[0], abs=1e-6)
    stored = Attachment.objects.get(case=case)
    assert max(Image.open(io.BytesIO(stored.file.read())).size) == 1600  # resized on the phone

    context.set_offline(True)
    fill_report(page, "村道旁垃圾堆放，邻里争吵")
    page.click("button[type=submit]")
    page.wait_for_selector("#queue:not([hidden])")
    assert page.text_content("#queue-count") == "1"
    assert "已保存在本机" in page.text_content("#status") or "自动发送" in page.text_content(
        "#status"
    )
    page.screenshot(path=ARTIFACTS / "phone-queued.png", full_page=True)
    assert Case.objects.count() == 1

    context.set_offline(False)
    page.wait_for_selector("#queue[hidden]", state="attached", timeout=20_000)
    assert Case.objects.filter(description="村道旁垃圾堆放，邻里争吵").count() == 1
    assert Case.objects.count() == 2
    wait_for_js(page, "document.querySelectorAll('#cases li.case').length === 2")
    page.screenshot(path=ARTIFACTS / "phone-cases.png", full_page=True)

    page.click(f"#cases li.case[data-id='{case.pk}']")
    page.wait_for_selector("#case-detail:not([hidden])")
    assert "两户因排水沟堵塞发生争执" in page.text_content("#detail-description")
    assert "张三 13812345678" in page.text_content("#detail-parties")  # the reporter holds the case
    assert "上报" in page.text_content("#detail-timeline")
    page.screenshot(path=ARTIFACTS / "phone-case.png", full_page=True)
