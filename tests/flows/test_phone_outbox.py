"""The phone page's outbox keeps every report until the server has it (real chromium).

A report the server refuses comes back into the form with the message next to
its field; an expired login asks to log in again and then sends; the page opens
with no network from its service worker and queues a report that is sent once,
back online. Each journey leaves screenshots in test-artifacts/.
"""

import time

from django.contrib.sessions.models import Session
from django.core.signals import request_started
from PIL import Image

from disputes.models import Attachment, Case
from tests.disputes.conftest import XINGYANG_01, api, case_payload
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, phone_login, wait_for_js

pytestmark = BROWSER_MARKS

# Just across the east edge of 兴杨 grid 01 (115.825), in grid 02: not the worker's.
ACROSS_THE_EDGE = (115.8253, 29.02)

OUTBOX = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("grid-patrol", 1);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const read = open.result.transaction("reports").objectStore("reports").getAll();
    read.onsuccess = () => {
      resolve(read.result.map((item) => ({
        uuid: item.uuid, state: item.state || "queued", description: item.payload.description,
      })));
      open.result.close();
    };
  };
})"""

WATCH = """() => {
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(`${event.effectiveDirective} ${event.blockedURI}`);
  });
}"""


def phone(browser, live_server, user, point=XINGYANG_01, **options):
    context, page = phone_login(
        browser,
        live_server,
        user,
        locale="zh-CN",
        geolocation={"longitude": point[0], "latitude": point[1], "accuracy": 12},
        permissions=["geolocation"],
        **options,
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    context.add_init_script(f"({WATCH})()")  # pages opened from now on
    page.reload()
    page.wait_for_selector("#tab-cases")
    return context, page, errors


def no_violations(page):
    """Nothing the Content-Security-Policy refused (inline script, eval, other origins)."""
    return page.evaluate("window.__violations") == []


def outbox(page):
    return page.evaluate(OUTBOX)


def photo(tmp_path):
    path = tmp_path / "现场.jpg"
    Image.new("RGB", (1200, 900), (120, 160, 90)).save(path, format="JPEG")
    return path


def fill_report(page, description, *, phone_number="13812345678"):
    page.click("[data-tab=report]")
    page.wait_for_selector(".leaflet-marker-icon")
    page.locator("#position", has_text="12").wait_for()
    page.select_option("select[name=category]", "neighbours")
    page.fill("textarea[name=description]", description)
    page.click("#add-party")
    page.fill(".party input[name=name]", "张三")
    page.fill(".party input[name=phone]", phone_number)


def drag_pin(page, dx):
    box = page.locator(".leaflet-marker-icon").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=12)
    page.mouse.up()


def test_a_refused_report_comes_back_into_the_form(browser, live_server, territory, tmp_path):
    worker = territory.users["grid_worker"]
    # Standing just across the edge of the grid, in a field with no signal.
    context, page, errors = phone(browser, live_server, worker, ACROSS_THE_EDGE)
    ARTIFACTS.mkdir(exist_ok=True)

    # The client itself asks for a category before anything is saved.
    page.click("[data-tab=report]")
    page.fill("textarea[name=description]", "村口两户为宅基地界线争吵，一方砌墙占道")
    page.click("button[type=submit]")
    assert page.text_content(".field-error[data-field=category]") == "类别：请选择类别。"
    assert outbox(page) == []

    context.set_offline(True)
    fill_report(page, "村口两户为宅基地界线争吵，一方砌墙占道", phone_number="1381234")
    page.fill("input[name=people_involved]", "3")
    page.select_option("select[name=urgency]", "urgent")
    page.fill("input[name=address]", "兴杨村三组")
    page.set_input_files("input[name=photos]", str(photo(tmp_path)))
    page.click("button[type=submit]")
    page.wait_for_selector("#queue:not([hidden])")
    assert "已保存在本机" in page.text_content("#status")
    assert page.input_value("textarea[name=description]") == ""  # the form is free again

    # Back online, the server is busy at first: the report waits on the phone.
    busy = lambda route: route.fulfill(status=503, body="busy")  # noqa: E731
    context.route("**/api/cases/", busy)
    context.set_offline(False)
    page.locator("#status", has_text="连不上服务器").wait_for()
    assert [item["state"] for item in outbox(page)] == ["queued"]
    assert page.input_value("textarea[name=description]") == ""
    context.unroute("**/api/cases/", busy)

    # Then it answers, and refuses it: the party's phone is not a number.
    context.set_offline(True)
    context.set_offline(False)
    phone_error = page.locator(".party .field-error[data-field=phone]")
    phone_error.wait_for(timeout=20_000)
    assert phone_error.text_content() == "电话：不是有效的手机号（11位）或固定电话号码。"
    assert page.is_visible("#tab-report") and page.is_visible("#returned")
    assert (
        page.input_value("textarea[name=description]") == "村口两户为宅基地界线争吵，一方砌墙占道"
    )
    assert page.input_value("select[name=category]") == "neighbours"
    assert page.input_value("input[name=people_involved]") == "3"
    assert page.input_value("select[name=urgency]") == "urgent"
    assert page.input_value("input[name=address]") == "兴杨村三组"
    assert page.input_value(".party input[name=name]") == "张三"
    assert page.input_value(".party input[name=phone]") == "1381234"
    assert page.eval_on_selector("input[name=photos]", "input => input.files.length") == 1
    assert "正在发送" not in page.text_content("#status")
    [held] = outbox(page)
    assert held["state"] == "refused"
    assert not Case.objects.exists()
    page.screenshot(path=ARTIFACTS / "phone-refused-phone.png", full_page=True)

    # Corrected, it is refused again: the point lies outside the worker's grid.
    page.fill(".party input[name=phone]", "13812345678")
    assert page.locator(".party .field-error").count() == 0
    page.click("button[type=submit]")
    location = page.locator(".field-error[data-field=location]")
    location.wait_for()
    assert location.text_content().startswith("位置：")
    assert "不在您的辖区内" in location.text_content()
    assert "location" not in page.text_content("#tab-report")
    assert page.input_value(".party input[name=phone]") == "13812345678"
    assert sorted(item["state"] for item in outbox(page)) == ["refused", "superseded"]
    assert not Case.objects.exists()
    page.screenshot(path=ARTIFACTS / "phone-refused-location.png", full_page=True)

    # The worker drags the pin back over the edge, into the grid, and submits.
    drag_pin(page, -90)
    assert page.locator(".field-error").count() == 0
    page.click("button[type=submit]")
    page.wait_for_selector("#tab-cases:not([hidden])")
    page.wait_for_selector("#queue[hidden]", state="attached")

    case = Case.objects.get()
    assert case.description == "村口两户为宅基地界线争吵，一方砌墙占道"
    assert case.grid == territory.grids["xingyang-01"]
    assert (case.category.code, case.people_involved, case.address) == (
        "neighbours",
        3,
        "兴杨村三组",
    )
    assert list(case.parties.values_list("name", "phone")) == [("张三", "13812345678")]
    assert str(case.uuid) != held["uuid"]  # the body changed: a new uuid
    assert Attachment.objects.filter(case=case).count() == 1
    assert outbox(page) == []  # the refused entries went with their correction
    assert page.text_content("#status") == "上报成功。"
    page.screenshot(path=ARTIFACTS / "phone-refused-corrected.png", full_page=True)
    assert no_violations(page)
    assert errors == []
    context.close()


def test_an_expired_login_asks_to_log_in_and_then_sends(browser, live_server, territory):
    worker = territory.users["grid_worker"]
    context, page, errors = phone(browser, live_server, worker)
    ARTIFACTS.mkdir(exist_ok=True)

    # A missing CSRF cookie is renewed and the report goes through at once.
    context.clear_cookies(name="csrftoken")
    fill_report(page, "水渠放水顺序引发争执")
    page.click("button[type=submit]")
    page.wait_for_selector("#tab-cases:not([hidden])")
    assert Case.objects.filter(description="水渠放水顺序引发争执").count() == 1

    context.set_offline(True)
    fill_report(page, "两户因排水沟堵塞发生争执")
    page.click("button[type=submit]")
    page.wait_for_selector("#queue:not([hidden])")

    Session.objects.all().delete()  # the login expires on the server
    context.set_offline(False)
    relogin = page.locator("#relogin")
    relogin.wait_for(timeout=20_000)
    assert "登录已过期" in relogin.text_content()
    assert "登录已过期" in page.text_content("#status")
    assert "正在发送" not in page.text_content("#status")
    assert [item["state"] for item in outbox(page)] == ["queued"]
    assert "等待重新登录" in page.text_content("#queue-list")
    page.screenshot(path=ARTIFACTS / "phone-login-expired.png", full_page=True)

    relogin.get_by_role("link", name="重新登录").tap()
    page.fill("input[name=username]", worker.username)
    page.fill("input[name=password]", "phone-2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/m/")
    page.wait_for_selector("#queue[hidden]", state="attached", timeout=20_000)
    wait_for_js(page, "document.querySelectorAll('#cases li.case').length === 2")
    assert Case.objects.filter(description="两户因排水沟堵塞发生争执").count() == 1
    assert Case.objects.count() == 2
    assert outbox(page) == []
    assert page.is_hidden("#relogin")
    page.screenshot(path=ARTIFACTS / "phone-login-again-sent.png", full_page=True)
    assert no_violations(page)
    assert errors == []
    context.close()


def test_the_page_starts_with_no_network(browser, live_server, territory):
    worker = territory.users["grid_worker"]
    api(worker).post("/api/cases/", case_payload(description="路灯损坏"), format="json")
    context, page, errors = phone(browser, live_server, worker)
    page.wait_for_selector("#cases li.case")
    page.evaluate("navigator.serviceWorker.ready")
    for _ in range(100):  # the worker stores the page once it is installed
        if page.evaluate("caches.match('/m/').then(Boolean)"):
            break
        time.sleep(0.05)
    ARTIFACTS.mkdir(exist_ok=True)

    served = []

    def record(sender, environ, **kwargs):
        served.append(environ["PATH_INFO"])

    request_started.connect(record)
    try:
        # Later, in a field with no signal, the worker opens the page again.
        context.set_offline(True)
        page.goto("/m/")
        page.wait_for_selector("#cases li.case")
        assert page.url.endswith("/m/")
        assert page.locator("#cases li.case").count() == 1  # the list as last loaded
        assert "离线" in page.text_content("#status")
        assert served == []  # it all came from the phone
        cached = page.evaluate(
            """async () => (await Promise.all((await caches.keys()).map(async (name) =>
                (await (await caches.open(name)).keys()).map((request) => request.url)))).flat()"""
        )
        assert any(url.endswith("/m/") for url in cached)
        assert not [url for url in cached if "/api/" in url]  # no answer with parties is kept
        page.screenshot(path=ARTIFACTS / "phone-offline-start.png", full_page=True)

        fill_report(page, "村道旁垃圾堆放，邻里争吵")
        page.click("button[type=submit]")
        page.wait_for_selector("#queue:not([hidden])")
        assert page.text_content("#queue-count") == "1"
        page.screenshot(path=ARTIFACTS / "phone-offline-queued.png", full_page=True)
        assert served == []
    finally:
        request_started.disconnect(record)

    context.set_offline(False)
    page.wait_for_selector("#queue[hidden]", state="attached", timeout=20_000)
    assert Case.objects.filter(description="村道旁垃圾堆放，邻里争吵").count() == 1
    assert Case.objects.count() == 2

    assert no_violations(page)

    # Logging out leaves nothing of this worker's page or list for the next one.
    page.click("#logout button")
    page.wait_for_url("**/login/")
    pages = page.evaluate("caches.keys()")
    assert pages and not [name for name in pages if name.startswith("grid-patrol-page-")]
    assert page.evaluate("localStorage.getItem('grid-patrol-cases')") is None
    assert errors == []
    context.close()
