"""The county office sets up a department from the desk: adds it, maps a category to it,
and makes an account for its clerk, who then logs in with the temporary password.
"""

from disputes.departments.models import CategoryRoute
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS
from tests.flows.test_desk_loop import AXE, desk_login
from villages.models import Department, Staff

pytestmark = BROWSER_MARKS


def test_office_adds_a_department_maps_a_category_and_makes_its_clerk(
    browser, live_server, territory
):
    ARTIFACTS.mkdir(exist_ok=True)
    Department.objects.create(county=territory.county, name="县人力资源和社会保障局")
    Department.objects.create(county=territory.county, township=territory.tubu, name="司法所")
    office = territory.users["county_office"]
    context, page = desk_login(browser, live_server, office)

    page.click("nav >> a[href='/desk/departments/']")
    page.wait_for_selector("#departments")
    page.click("#departments-new")
    page.fill("#id_name", "县市场监督管理局")
    page.fill("#id_code", "11360425MB1234567X")
    page.screenshot(path=ARTIFACTS / "departments-new.png", full_page=True)
    page.click("#department-save")
    page.wait_for_selector("#departments")
    assert page.is_visible("#departments >> text=县市场监督管理局")
    market = Department.objects.get(name="县市场监督管理局")
    assert market.township is None and market.code == "11360425MB1234567X"

    # A taken name is refused on the form, in place.
    page.click("#departments-new")
    page.fill("#id_name", "县市场监督管理局")
    page.click("#department-save")
    page.wait_for_selector(".field-name .error")
    assert "县市场监督管理局" in page.inner_text(".field-name .error")
    assert Department.objects.filter(name="县市场监督管理局").count() == 1

    page.goto("/desk/departments/categories/")
    page.wait_for_selector("#category-map")
    page.check(f"#map-consumer input[value='{market.pk}']")
    page.screenshot(path=ARTIFACTS / "departments-categories.png", full_page=True)
    page.click("#category-map-save")
    page.wait_for_selector("#departments")
    row = page.locator(f"#departments tr[data-id='{market.pk}']")
    assert "消费纠纷" in row.inner_text()
    assert list(
        CategoryRoute.objects.filter(county=territory.county).values_list(
            "category__code", "department"
        )
    ) == [("consumer", market.pk)]
    page.screenshot(path=ARTIFACTS / "departments-list.png", full_page=True)

    page.goto("/desk/people/new/")
    page.fill("#id_full_name", "钱办事")
    page.fill("#id_mobile", "13907925001")
    page.select_option("#id_role", "department_staff")
    page.select_option("#id_department", str(market.pk))
    page.screenshot(path=ARTIFACTS / "departments-clerk-new.png", full_page=True)
    page.click("#person-save")
    page.wait_for_selector("#passwords")
    temporary = page.inner_text("#passwords code.password").strip()
    clerk = Staff.objects.get(mobile="13907925001")
    assert (clerk.role, clerk.department) == (Staff.Role.DEPARTMENT_STAFF, market)

    page.goto("/desk/departments/")
    row = page.locator(f"#departments tr[data-id='{market.pk}']")
    assert row.locator("td").nth(3).inner_text().strip() == "1"
    page.screenshot(path=ARTIFACTS / "departments-list-with-clerk.png", full_page=True)
    context.close()

    # The clerk logs in with the temporary password and must choose their own.
    own = browser.new_context(locale="zh-CN", base_url=live_server.url)
    desk = own.new_page()
    desk.goto("/")
    desk.fill("#id_username", "13907925001")
    desk.fill("#id_password", temporary)
    desk.click("button[type=submit]")
    desk.wait_for_url("**/password/")
    desk.screenshot(path=ARTIFACTS / "departments-clerk-login.png", full_page=True)
    own.close()


def test_axe_finds_nothing_serious_and_names_stay_text(browser, live_server, territory):
    markup = '<img src=x onerror="window.ran=1">局'
    odd = Department.objects.create(county=territory.county, name=markup)
    # axe is injected as a script: this context alone lifts the page's CSP for it.
    context, page = desk_login(
        browser, live_server, territory.users["county_office"], bypass_csp=True
    )
    for path in (
        "/desk/departments/",
        "/desk/departments/new/",
        "/desk/departments/categories/",
        f"/desk/departments/{odd.pk}/",
    ):
        page.goto(path)
        assert page.locator("main img").count() == 0, path
        assert page.evaluate("() => window.ran === undefined"), path
        if path == f"/desk/departments/{odd.pk}/":
            assert page.input_value("#id_name") == markup
        elif path != "/desk/departments/new/":
            assert markup in page.inner_text("main"), path
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
                 .filter(v => v.impact === "serious" || v.impact === "critical")
                 .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))"""
        )
        assert violations == [], f"{path}: {violations}"
    context.close()
