"""A township leader keeps the Tuesday reception day (领导接访日) in a real browser.

The leader sets up the schedule (three leaders in turn), makes the month's sessions,
books a grid worker's case into next Tuesday's session from the case page (the
complainant gets an SMS with the day, hours and place); on that Tuesday the desk
registers a walk-in visitor as a new case and the booked complainant's conversation
(笔录), and prints the session's ledger. Screenshots go to test-artifacts/reception-*.png.
"""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from config.sms import outbox
from disputes.cases.deadlines import WorkdayCalendar
from disputes.models import Case
from disputes.reception.models import Appointment, ReceptionSession, ReceptionVisit
from tests.disputes.conftest import XINGYANG_01, api, case_payload
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, wait_for_js
from tests.flows.test_desk_register import click_map_at, serious_violations

pytestmark = BROWSER_MARKS
PASSWORD = "jiefang-2026"
PLACE = "涂埠镇政府一楼群众接待室"


def next_tuesday(today):
    """The next Tuesday that is a working day (a holiday has no reception)."""
    day = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    while not WorkdayCalendar().is_workday(day):
        day += timedelta(days=7)
    return day


@pytest.fixture
def desk(browser, live_server, territory):
    leader = territory.users["township_leader"]
    leader.set_password(PASSWORD)
    leader.save()
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="en", base_url=live_server.url
    )
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/login/")
    page.fill("input[name=username]", leader.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/")
    ARTIFACTS.mkdir(exist_ok=True)
    outbox.clear()
    yield page, errors
    context.close()
    outbox.clear()


def test_a_leader_books_a_case_and_keeps_the_ledger_on_the_day(desk, territory):
    page, errors = desk
    booked = (
        api(territory.users["grid_worker"])
        .post("/api/cases/", case_payload(), format="json")
        .data["id"]
    )
    tuesday = next_tuesday(timezone.localdate())

    # The schedule: every Tuesday morning, three leaders in turn.
    page.click("nav >> text=Reception days")
    page.wait_for_url("**/desk/reception/")
    page.click("#go-schedules")
    page.select_option("#id_weekday", "1")
    page.fill("#id_starts_at", "09:00")
    page.fill("#id_ends_at", "11:30")
    page.fill("#id_place", PLACE)
    page.fill("#id_leaders", "王建国 镇党委书记\n李秀英 镇长\n陈志强 副镇长")
    page.fill("#id_capacity", "6")
    page.fill("#id_first_date", tuesday.isoformat())  # 王建国's week
    page.click("#schedule-form button[type=submit]")
    page.wait_for_selector("#schedules tr[data-schedule]")

    # The month's sessions, on the calendar.
    page.goto(f"/desk/reception/?month={tuesday:%Y-%m}")
    page.click("#generate")
    page.wait_for_selector(f"td[data-day='{tuesday.isoformat()}'] .slot")
    session = ReceptionSession.objects.get(date=tuesday)
    assert session.receiver == "王建国 镇党委书记"
    page.screenshot(path=ARTIFACTS / "reception-calendar.png", full_page=True)
    assert serious_violations(page) == []

    # 约访 from the case page.
    page.goto(f"/desk/cases/{booked}/")
    page.select_option("#book-session", str(session.pk))
    page.click("#book")
    page.wait_for_selector("#case-appointments li[data-status=booked]")
    assert [message.to for message in outbox] == ["13812345678"]
    assert tuesday.isoformat() in outbox[0].text and "09:00–11:30" in outbox[0].text
    assert PLACE in outbox[0].text
    page.screenshot(path=ARTIFACTS / "reception-booked.png", full_page=True)

    # On the Tuesday: a walk-in visitor is registered as a new case (来访) ...
    morning = datetime(
        tuesday.year, tuesday.month, tuesday.day, 9, 30, tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(morning, tick=True):
        page.goto(f"/desk/reception/sessions/{session.pk}/")
        page.click("#register-new")
        page.wait_for_url("**/desk/cases/new/")
        wait_for_js(page, "document.getElementById('register-map').dataset.ready === '1'")
        page.check("input[name=channel][value=visit]")
        page.fill("#place-search", "兴杨")
        page.wait_for_selector("#places .place-hit")
        page.click("#places .place-hit")
        click_map_at(page, XINGYANG_01[0] + 0.0004, XINGYANG_01[1])
        page.wait_for_selector("#place-found")
        page.select_option("select[name=category]", "neighbours")
        page.fill("textarea[name=description]", "邻居新建围墙占用共用通道，出行不便，请求协调")
        page.fill("input[name=party-0-name]", "赵六")
        page.fill("input[name=party-0-phone]", "13900002222")
        page.fill("input[name=party-1-name]", "钱七")
        page.click("#save")
        page.wait_for_selector("#receipt-link")
        walk_in = Case.objects.exclude(pk=booked).get()
        # ... and its conversation goes into the session's ledger.
        page.click(".visit-session")
        page.wait_for_url(f"**/desk/reception/sessions/{session.pk}/?case={walk_in.pk}")
        assert page.input_value("#id_visit-case_number") == str(walk_in.pk)
        page.fill("#id_visit-statement", "邻居新建围墙占用共用通道")
        page.fill("#id_visit-answer", "村委会三日内组织双方现场协商")
        page.fill("#id_visit-agreed", "周五上午现场协商")
        page.click("#visit-form button[type=submit]")
        page.wait_for_selector(f"#ledger tr[data-case='{walk_in.pk}']")

        # The booked complainant is received.
        page.fill("#id_visit-case_number", str(booked))
        page.fill("#id_visit-statement", "排水沟堵塞，雨天积水漫进院子")
        page.fill("#id_visit-answer", "镇里派水利站现场查看，一周内疏通")
        page.fill("#id_visit-agreed", "下周二前疏通排水沟")
        page.click("#visit-form button[type=submit]")
        page.wait_for_selector(f"#ledger tr[data-case='{booked}']")
        page.screenshot(path=ARTIFACTS / "reception-session.png", full_page=True)
        assert serious_violations(page) == []

        # The printable ledger.
        page.click("#go-ledger")
        page.wait_for_selector("#ledger")
        assert serious_violations(page) == []
        assert page.locator("#ledger tbody tr[data-case]").count() == 2
        page.emulate_media(media="print")
        assert page.locator("#print").is_hidden()
        page.screenshot(path=ARTIFACTS / "reception-ledger.png", full_page=True)
        page.emulate_media(media="screen")

    assert Appointment.objects.get(case_id=booked).status == "met"
    assert ReceptionVisit.objects.filter(session=session).count() == 2
    page.goto("/r/reception/")
    assert PLACE in page.text_content("main")
    page.screenshot(path=ARTIFACTS / "reception-resident-page.png", full_page=True)
    assert serious_violations(page) == []
    assert not errors, errors
