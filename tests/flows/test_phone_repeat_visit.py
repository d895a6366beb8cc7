"""The phone page on a slow network: what it loads first, and what it loads again.

The first screen (the worker's open cases, the tabs) comes with the page's one
script and style sheet; the map's library only when the Report tab opens. A second
visit soon after asks the server for the case list only: the page, its service
worker and its files come from the phone (the service worker's cache), the notices
and the zero-report card as kept ten minutes before. After a login the page is
asked for again.
"""

import pytest
from django.core.signals import request_started

from tests.disputes.conftest import XINGYANG_01, api, case_payload
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, phone_login, wait_for_js

pytestmark = BROWSER_MARKS


@pytest.fixture
def served():
    """The paths the server answered while the test records them."""
    paths = []

    def record(sender, environ, **kwargs):
        paths.append(environ["PATH_INFO"])

    request_started.connect(record)
    yield paths
    request_started.disconnect(record)


def test_the_list_comes_first_and_a_second_visit_loads_only_its_data(
    browser, live_server, territory, served
):
    worker = territory.users["grid_worker"]
    api(worker).post("/api/cases/", case_payload(description="路灯损坏"), format="json")
    phone = {
        "locale": "zh-CN",
        "geolocation": {"longitude": XINGYANG_01[0], "latitude": XINGYANG_01[1], "accuracy": 12},
        "permissions": ["geolocation"],
    }
    login, _page = phone_login(browser, live_server, worker, **phone)
    _page.wait_for_url("**/m/")
    state = login.storage_state()
    login.close()
    # A phone that never opened the page: nothing cached, no service worker.
    context = browser.new_context(
        storage_state=state,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
        **phone,
    )
    page = context.new_page()
    loaded = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto("/m/")
    page.wait_for_selector("#cases li.case")
    wait_for_js(page, "Number(document.documentElement.dataset.usableMs) > 0")
    assert page.is_enabled("[data-tab=report]")
    scripts = [url for url in loaded if url.endswith(".js") and "/static/" in url]
    assert [url.rsplit("/", 1)[1] for url in scripts] == ["phone.js"]  # one file, no modules
    assert not [url for url in loaded if "leaflet" in url]  # not before the map is shown
    # preloaded by the page and taken by the script: asked for once
    assert len([url for url in loaded if "/api/cases/?status=" in url]) == 1, loaded

    # The map's library comes when the worker opens the Report tab.
    page.click("[data-tab=report]")
    page.wait_for_selector(".leaflet-marker-icon")
    wait_for_js(page, "document.getElementById('position').textContent.includes('12')")
    assert [url for url in loaded if url.endswith("leaflet.js")]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "phone-map-loaded.png", full_page=True)

    page.evaluate("navigator.serviceWorker.ready")
    wait_for_js(page, "navigator.serviceWorker.controller !== null")

    # A few minutes later the worker opens the page again.
    served.clear()
    again = context.new_page()
    responses = []
    again.on("response", lambda response: responses.append(response))
    again.goto("/m/")
    again.wait_for_selector("#cases li.case")
    wait_for_js(again, "Number(document.documentElement.dataset.usableMs) > 0")
    assert again.text_content("#cases li.case").startswith("#")
    static = [r for r in responses if "/static/" in r.url]
    assert static and all(r.from_service_worker for r in static), [r.url for r in static]
    # The page, its service worker, its files, the notices and today's zero-report card
    # from the phone; only the case list asked for.
    assert served == ["/api/cases/"], served
    again.screenshot(path=ARTIFACTS / "phone-repeat-visit.png", full_page=True)

    # The report tab still works from the cached library.
    again.click("[data-tab=report]")
    again.wait_for_selector(".leaflet-marker-icon")
    assert not [path for path in served if path.startswith("/static/")], served

    # The login runs out and the worker logs in again: the login renews the CSRF
    # cookie, and the page kept from before it is not used; the server's is.
    context.clear_cookies(name="sessionid")
    served.clear()
    relogin = context.new_page()
    relogin.goto("/login/?next=/m/")
    relogin.fill("input[name=username]", worker.username)
    relogin.fill("input[name=password]", "phone-2026")
    relogin.click("button[type=submit]")
    relogin.wait_for_url("**/m/")
    relogin.wait_for_selector("#cases li.case")
    assert "/m/" in served, served
    context.close()
