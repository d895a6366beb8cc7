"""A grid worker files the daily zero report from the phone page with one tap (real chromium).

A case was reported in their grid today, so the button offers to report the
day's findings; one tap files the report with that case linked, and the card
then shows it reported, with the time.
"""

from django.utils import timezone

from disputes.models import Case, ZeroReport
from tests.disputes.conftest import api, case_payload
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, phone_login

pytestmark = BROWSER_MARKS


def test_one_tap_files_the_days_report(browser, live_server, territory):
    worker = territory.users["grid_worker"]
    case_id = api(worker).post("/api/cases/", case_payload(), format="json").data["id"]
    context, page = phone_login(browser, live_server, worker)

    grid = territory.grids["xingyang-01"]
    card = page.locator(f"#zero li[data-grid='{grid.pk}']")
    button = card.locator("button")
    button.wait_for()
    assert "(1)" in button.text_content()  # the case reported today
    assert not ZeroReport.objects.exists()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "phone-zero-report.png", full_page=True)

    button.tap()
    card.locator(".zero-status.ok").wait_for()
    report = ZeroReport.objects.get()
    assert (report.grid_id, report.day, report.nothing_found) == (
        grid.pk,
        timezone.localdate(),
        False,
    )
    assert list(report.cases.values_list("pk", flat=True)) == [case_id]
    filed = timezone.localtime(report.filed_at).strftime("%H:%M")
    assert filed in card.locator(".zero-status").text_content()
    assert card.locator("button").count() == 0  # nothing new to report
    page.screenshot(path=ARTIFACTS / "phone-zero-reported.png", full_page=True)
    assert Case.objects.count() == 1
    context.close()
