"""A grid worker sees their notifications on the phone page: a leader's 督办 and a reminder
(real chromium); a tap on the notice opens its case, and "mark all read" clears the count."""

from disputes.models import Notification
from disputes.oversight.services.notifications import notifications_create
from disputes.oversight.services.supervision import notice_issue_by_hand
from tests.disputes.conftest import api, case_payload
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, phone_login, wait_for_js

pytestmark = BROWSER_MARKS


def test_notices_and_reminders_on_the_phone(browser, live_server, territory):
    worker = territory.users["grid_worker"]
    case_id = api(worker).post("/api/cases/", case_payload(), format="json").data["id"]
    notice_issue_by_hand(
        case_id=case_id, actor=territory.users["township_leader"], note="请三天内答复"
    )
    notifications_create(users=[worker], message="Today's zero report is not filed yet", link="/m/")
    assert Notification.objects.filter(user=worker, read_at=None).count() == 2

    context, page = phone_login(browser, live_server, worker)

    card = page.locator("#notices")
    card.wait_for()
    assert page.locator("#notices-unread").text_content() == "2"
    items = card.locator("li.notice.unread")
    assert items.count() == 2
    texts = items.all_text_contents()
    assert any(f"#{case_id}" in t and "请三天内答复" in t for t in texts)
    assert any("zero report is not filed" in t for t in texts)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "phone-notifications.png", full_page=True)

    card.locator("li", has_text=f"#{case_id}").tap()
    wait_for_js(
        page, f"document.getElementById('detail-title').textContent.startsWith('#{case_id} ')"
    )
    page.locator("#detail-close").tap()

    page.locator("#notices-read").tap()
    wait_for_js(page, "document.getElementById('notices-unread').textContent === '0'")
    assert card.locator("li.notice.unread").count() == 0
    assert not Notification.objects.filter(user=worker, read_at=None).exists()
    context.close()
