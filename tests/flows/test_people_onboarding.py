"""The county office onboards a grid worker from the desk; the worker must choose a password.

The office opens 人员 from the bar, adds a grid worker of 兴杨村委会 with both of its
grids, resets the password, and the worker logs in with the temporary one and is
held on the password page until they choose their own; then the phone page opens.
"""

from grid.models import GridWorkerChange
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS
from tests.flows.test_desk_loop import desk_login
from villages.models import Staff

pytestmark = BROWSER_MARKS


def test_office_adds_a_grid_worker_who_then_chooses_a_password(browser, live_server, territory):
    ARTIFACTS.mkdir(exist_ok=True)
    office = territory.users["county_office"]
    context, page = desk_login(browser, live_server, office)
    page.click("nav >> text=人员")
    page.wait_for_selector("#people")
    page.screenshot(path=ARTIFACTS / "people-list.png", full_page=True)

    page.click("#people-new")
    page.fill("#id_full_name", "王小明")
    page.fill("#id_mobile", "13907920001")
    page.select_option("#id_role", "grid_worker")
    page.select_option("#id_village", str(territory.xingyang.pk))
    page.fill("#id_grid_codes", "360425100201-01 360425100201-02")
    page.screenshot(path=ARTIFACTS / "people-new.png", full_page=True)
    page.click("#person-save")
    page.wait_for_selector("#passwords")
    page.screenshot(path=ARTIFACTS / "people-new-password.png", full_page=True)
    staff = Staff.objects.get(mobile="13907920001")
    assert sorted(staff.user.grids.values_list("code", flat=True)) == [
        "360425100201-01",
        "360425100201-02",
    ]
    assert GridWorkerChange.objects.filter(user_id=staff.user_id).count() == 2

    # The first password was lost: the office resets it and reads the new one off the page.
    page.goto(f"/desk/people/{staff.pk}/")
    page.click("#person-password button[type=submit]")
    page.wait_for_selector("#passwords")
    temporary = page.inner_text("#passwords code.password").strip()
    page.screenshot(path=ARTIFACTS / "people-reset-password.png", full_page=True)
    context.close()

    worker = browser.new_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        base_url=live_server.url,
    )
    phone = worker.new_page()
    phone.goto("/m/")
    phone.fill("#id_username", "13907920001")
    phone.fill("#id_password", temporary)
    phone.click("button[type=submit]")
    phone.wait_for_url("**/password/")
    assert phone.is_visible("#must-change")
    phone.screenshot(path=ARTIFACTS / "people-must-change-password.png", full_page=True)
    phone.goto("/m/")
    phone.wait_for_url("**/password/")
    phone.fill("#id_old_password", temporary)
    phone.fill("#id_new_password1", "Poyang-lake-2026")
    phone.fill("#id_new_password2", "Poyang-lake-2026")
    phone.click("#password-form button[type=submit]")
    phone.wait_for_url("**/m/")
    phone.screenshot(path=ARTIFACTS / "people-worker-phone.png", full_page=True)
    staff.refresh_from_db()
    assert not staff.must_change_password
    worker.close()
