"""A resident on a phone: reports with a photo and a GPS pin, gets the number and query
code (by SMS too), tracks the case, reads the reply the village wrote on the desk,
rates 不满意 and asks for a review. Then someone guessing codes is throttled.
"""

import re

import pytest
from django.core.cache import cache
from PIL import Image

from config.sms import outbox
from disputes.models import Case
from tests.disputes.conftest import NANZHOU_01
from tests.flows.conftest import ARTIFACTS, BROWSER_MARKS, wait_for_js
from tests.flows.test_desk_loop import desk_login, do
from tests.flows.test_desk_register import serious_violations

pytestmark = BROWSER_MARKS
PHONE = "13812345678"
SIX_DIGITS = re.compile(r"(?<!\d)(\d{6})(?!\d)")


@pytest.fixture
def resident(browser, live_server, territory):
    """A 390×844 touch phone on the resident pages, standing in 南洲村 with GPS on."""
    cache.clear()
    outbox.clear()
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        base_url=live_server.url,
        geolocation={"longitude": NANZHOU_01[0], "latitude": NANZHOU_01[1], "accuracy": 12},
        permissions=["geolocation"],
    )
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )  # nothing may leave this server
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, errors
    context.close()
    outbox.clear()


def test_a_resident_reports_tracks_reads_the_reply_rates_and_asks_for_a_review(
    resident, browser, live_server, territory, tmp_path
):
    page, errors = resident
    picture = tmp_path / "drain.jpg"
    Image.new("RGB", (320, 240), (90, 120, 60)).save(picture, format="JPEG")

    page.goto("/r/")
    page.screenshot(path=ARTIFACTS / "resident-home.png", full_page=True)
    page.click("#go-report")
    wait_for_js(page, "document.getElementById('pin-map').dataset.ready === '1'")
    page.select_option("#id_category", label="邻里纠纷")
    page.fill("#id_description", "邻居家排水沟堵塞，污水流进我家院子，已经一个月了。")
    page.click("#locate")  # GPS
    wait_for_js(page, "document.getElementById('id_point').value !== ''")
    page.set_input_files("#id_photo1", str(picture))
    page.fill("#id_name", "王小明")
    page.fill("#id_phone", PHONE)
    page.click("button.send-code")
    page.wait_for_selector(".code-status[data-ok='1']")
    assert outbox[-1].to == PHONE
    page.fill("#id_code", SIX_DIGITS.search(outbox[-1].text)[1])
    page.screenshot(path=ARTIFACTS / "resident-report.png", full_page=True)
    page.click("#send")
    page.wait_for_selector("#query-code")
    page.screenshot(path=ARTIFACTS / "resident-answer.png", full_page=True)
    number = int(page.text_content("#case-number").strip().lstrip("#"))
    code = page.text_content("#query-code").strip()
    case = Case.objects.get(pk=number)
    assert case.channel == "web" and case.village == territory.nanzhou
    assert case.attachments.count() == 1
    assert f"#{number}" in outbox[-1].text and code in outbox[-1].text

    # another day, another browser: track with the number and the code
    page.context.clear_cookies()
    page.goto("/r/track/")
    page.fill("#id_c-number", str(number))
    page.fill("#id_c-query_code", code.lower().replace("-", " "))
    page.click("#track-code")
    page.wait_for_selector("#status")
    assert "已登记，等待受理" in page.text_content("#status")

    # the village (no grid worker in 南洲's grid) accepts on the desk with a reply
    context, desk = desk_login(browser, live_server, territory.users["other_village_cadre"])
    desk.goto(f"/desk/cases/{number}/")
    do(
        desk,
        "accept",
        {"reply": "您反映的排水沟问题已受理，村里将在一周内疏通。", "note": "内部：两户有旧怨"},
    )
    desk.wait_for_selector(".flash.success")

    page.reload()
    assert "已受理，正在办理" in page.text_content("#status")
    assert "村里将在一周内疏通" in page.text_content("#steps")
    assert "旧怨" not in page.content()
    page.screenshot(path=ARTIFACTS / "resident-case-accepted.png", full_page=True)

    do(
        desk,
        "resolve",
        {"note": "已疏通", "reply": "排水沟已于本周疏通完毕。"},
        selects={"outcome": "settled"},
    )
    desk.wait_for_selector(".flash.success")
    context.close()

    page.reload()
    assert "已办结，请评价" in page.text_content("#status")
    page.check("#rate input[value=not_satisfied]")
    page.fill("#id_comment", "疏通后第二天又堵了")
    page.screenshot(path=ARTIFACTS / "resident-rate.png", full_page=True)
    page.click("#send-rating")
    page.wait_for_selector("#review")
    page.fill("#id_reason", "排水沟又堵了，请再来看看。")
    page.click("#ask-review")
    page.wait_for_selector(".flash.success")
    assert "复查中" in page.text_content("#status")
    page.screenshot(path=ARTIFACTS / "resident-review.png", full_page=True)
    case.refresh_from_db()
    assert case.status == Case.Status.IN_REVIEW and case.reviews == 1
    assert errors == []


def test_guessing_the_query_code_20_times_is_throttled(resident, territory):
    from captcha.models import CaptchaStore

    from tests.disputes.residents.conftest import resident_report

    page, _errors = resident
    case, code = resident_report()
    page.goto("/r/track/")
    for attempt in range(20):
        page.fill("#id_c-number", str(case.pk))
        page.fill(
            "#id_c-query_code", f"2222-3333-{attempt:04d}".replace("0", "2").replace("1", "3")
        )
        if attempt >= 3:
            key = page.input_value("input[name='c-captcha_0']")
            page.fill("#id_c-captcha_1", CaptchaStore.objects.get(hashkey=key).response)
        if attempt == 3:
            page.screenshot(path=ARTIFACTS / "resident-track-captcha.png", full_page=True)
        page.click("#track-code")
        page.wait_for_selector("#by-code .flash.error")
    page.fill("#id_c-number", str(case.pk))
    page.fill("#id_c-query_code", code)
    page.fill("#id_c-captcha_1", "whatever")
    page.click("#track-code")
    page.wait_for_selector("#too-many")
    assert "请一小时后再试" in page.text_content("#too-many")
    page.screenshot(path=ARTIFACTS / "resident-throttled.png", full_page=True)
    page.goto(f"/r/cases/{case.pk}/")
    assert "404" in page.title() or page.locator("#status").count() == 0


def test_axe_finds_nothing_serious_on_the_resident_pages(resident, territory):
    page, _errors = resident
    for path in ("/r/", "/r/report/", "/r/track/", "/r/mailbox/"):
        page.goto(path)
        assert serious_violations(page, exclude=[".leaflet-container"]) == [], path
