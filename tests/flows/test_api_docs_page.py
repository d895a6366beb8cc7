"""The API docs page runs under the Content-Security-Policy: Swagger UI's start-up
script is a file of its own, so nothing inline has to be allowed."""

from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS
from tests.flows.test_no_script_injection import log_in, watched_context

pytestmark = BROWSER_MARKS


def test_the_docs_page_shows_the_api_with_nothing_blocked(browser, live_server, territory):
    page = watched_context(browser, live_server).new_page()
    page.goto("/api/docs/")
    assert "/login/?next=/api/docs/" in page.url  # not logged in: to the login first
    log_in(page, territory.users["grid_worker"])
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "api-docs.png")
    assert page.locator(".swagger-ui .opblock").count() > 20
    assert page.evaluate("window.__violations") == []
