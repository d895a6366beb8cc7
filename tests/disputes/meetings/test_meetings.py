"""联席会议: recording a meeting with its decisions, validation, a decision done, the year's count."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused
from disputes.meetings.selectors import year_count
from disputes.meetings.services.meetings import decision_done, meeting_record
from disputes.models import CaseEvent, JointMeeting, MeetingDecision
from tests.disputes.conftest import WUCHENG_01
from tests.disputes.meetings.conftest import at, client_of

pytestmark = pytest.mark.django_db
DAY = date(2026, 5, 11)


def record(territory, departments, case_id, user_key="county_office", **overrides):
    values = {
        "actor": territory.users[user_key],
        "held_on": DAY - timedelta(days=1),
        "title": "县矛盾纠纷联席会议第二次会议",
        "units_present": "县信访局、县人社局、县自然资源局、涂埠镇",
        "minutes": "研究欠薪纠纷化解方案",
        "case_ids": [case_id],
        "decisions": [
            {
                "text": "县人社局督促企业十日内支付拖欠工资",
                "assignee": f"d{departments.labour.pk}",
                "due_date": DAY + timedelta(days=10),
                "case_id": case_id,
            },
            {
                "text": "涂埠镇做好当事人稳控和回访",
                "assignee": f"t{territory.tubu.pk}",
                "due_date": DAY + timedelta(days=20),
                "case_id": None,
            },
        ],
    }
    values.update(overrides)
    return meeting_record(**values)


def test_the_county_office_records_a_meeting_whose_cases_show_it(report, territory, departments):
    with at(DAY):
        case_id = report().data["id"]
        meeting = record(territory, departments, case_id)
    assert meeting.township_id is None
    assert list(meeting.cases.values_list("pk", flat=True)) == [case_id]
    decisions = list(meeting.decisions.order_by("id"))
    assert [(d.department_id, d.township_id) for d in decisions] == [
        (departments.labour.pk, None),
        (None, territory.tubu.pk),
    ]
    event = CaseEvent.objects.get(case_id=case_id, action=CaseEvent.Action.MEETING)
    assert event.on_date == DAY - timedelta(days=1)
    assert "县矛盾纠纷联席会议第二次会议" in event.note
    assert "县人社局督促企业十日内支付拖欠工资" in event.note
    assert "县人力资源和社会保障局" in event.note
    assert "稳控" not in event.note  # not about this case

    page = client_of(territory.users["county_office"]).get(f"/desk/cases/{case_id}/")
    text = page.content.decode()
    assert 'id="case-meetings"' in text and "县人社局督促企业" in text


def test_a_township_leader_records_for_their_township_and_assigns_its_stations(
    report, territory, departments
):
    with at(DAY):
        case_id = report().data["id"]
        meeting = record(
            territory,
            departments,
            case_id,
            user_key="township_leader",
            decisions=[
                {
                    "text": "司法所组织调解",
                    "assignee": f"d{departments.tubu_justice.pk}",
                    "due_date": DAY + timedelta(days=7),
                }
            ],
        )
        assert meeting.township_id == territory.tubu.pk
        # A county department is not the township's to assign.
        with pytest.raises(CaseInputError, match="Decision 1"):
            record(
                territory,
                departments,
                case_id,
                user_key="township_leader",
                decisions=[
                    {
                        "text": "县人社局处理",
                        "assignee": f"d{departments.labour.pk}",
                        "due_date": DAY + timedelta(days=7),
                    }
                ],
            )
        with pytest.raises(NotAllowed):
            record(territory, departments, case_id, user_key="village_cadre")


@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    [
        ("held_on", {"held_on": DAY + timedelta(days=1)}, "once it has been held"),
        ("held_on", {"held_on": DAY - timedelta(days=400)}, "last 12 months"),
        ("title", {"title": "  "}, "title"),
    ],
)
def test_bad_meetings_write_nothing(report, territory, departments, field, overrides, message):
    with at(DAY):
        case_id = report().data["id"]
        with pytest.raises(CaseInputError, match=message) as refused:
            record(territory, departments, case_id, **overrides)
    assert refused.value.field == field
    assert not JointMeeting.objects.exists()
    assert not CaseEvent.objects.filter(action=CaseEvent.Action.MEETING).exists()


def test_a_bad_decision_row_writes_nothing_and_names_its_row(report, territory, departments):
    with at(DAY):
        case_id = report().data["id"]
        good = {
            "text": "县人社局督促企业支付",
            "assignee": f"d{departments.labour.pk}",
            "due_date": DAY + timedelta(days=10),
        }
        for bad, message in [
            ({"due_date": DAY - timedelta(days=1)}, "Decision 2: the due date comes after"),
            ({"due_date": DAY + timedelta(days=400)}, "Decision 2: the due date is within a year"),
            ({"assignee": "d999999"}, "Decision 2: choose who"),
            ({"assignee": "office' OR 1=1"}, "Decision 2: choose who"),
            ({"case_id": case_id + 1000}, "Decision 2: case #"),
            ({"text": ""}, "Decision 2: say what"),
        ]:
            with pytest.raises(CaseInputError, match=message):
                record(territory, departments, case_id, decisions=[good, {**good, **bad}])
    assert not JointMeeting.objects.exists() and not MeetingDecision.objects.exists()


def test_a_case_outside_the_area_reads_as_unknown(report, territory, departments):
    with at(DAY):
        wucheng_case = report(user_key="county_office", point=WUCHENG_01, channel="visit")
        assert wucheng_case.status_code == 201, wucheng_case.data
        other_id = wucheng_case.data["id"]
        with pytest.raises(CaseInputError, match=f"Case #{other_id} is not known in your area"):
            record(territory, departments, other_id, user_key="township_leader", decisions=[])
        with pytest.raises(CaseInputError, match="not a case number"):
            record(territory, departments, "12abc", case_ids=["12abc"], decisions=[])
    assert not JointMeeting.objects.exists()


def test_the_form_answers_400_with_the_message_and_writes_nothing(report, territory, departments):
    client = client_of(territory.users["township_leader"])
    with at(DAY):
        wucheng_id = report(user_key="county_office", point=WUCHENG_01, channel="visit").data["id"]
        form = {
            "title": "涂埠镇联席会议",
            "held_on": "2026-05-10",
            "units_present": "镇综治办、司法所",
            "minutes": "",
            "case_numbers": f"{wucheng_id}",
            "decisions-TOTAL_FORMS": "1",
            "decisions-INITIAL_FORMS": "0",
            "decisions-MIN_NUM_FORMS": "0",
            "decisions-MAX_NUM_FORMS": "30",
            "decisions-0-text": "司法所组织调解",
            "decisions-0-assignee": f"d{departments.tubu_justice.pk}",
            "decisions-0-due_date": "2026-05-20",
            "decisions-0-case_number": "",
        }
        response = client.post("/desk/meetings/new/", form)
        assert response.status_code == 400
        assert f"Case #{wucheng_id} is not known in your area" in response.content.decode()
        for bad in ({"held_on": "2026-13-45"}, {"decisions-TOTAL_FORMS": "x"}, {"title": ""}):
            assert client.post("/desk/meetings/new/", {**form, **bad}).status_code == 400
        response = client.post(
            "/desk/meetings/new/",
            {**form, "case_numbers": "", "decisions-0-due_date": "2026-05-01"},
        )
        assert response.status_code == 400
        assert "Decision 1: the due date comes after the meeting" in response.content.decode()
        assert not JointMeeting.objects.exists()
        response = client.post("/desk/meetings/new/", {**form, "case_numbers": ""})
        assert response.status_code == 302
    meeting = JointMeeting.objects.get()
    assert response["Location"] == f"/desk/meetings/{meeting.pk}/"
    assert meeting.decisions.get().department_id == departments.tubu_justice.pk


def test_the_assignee_marks_a_decision_done_and_the_case_shows_it(report, territory, departments):
    with at(DAY):
        case_id = report().data["id"]
        meeting = record(territory, departments, case_id)
        wage, township_task = meeting.decisions.order_by("id")
        for other in ("land_clerk", "justice_clerk"):
            with pytest.raises(NotAllowed):
                decision_done(decision_id=wage.pk, actor=getattr(departments, other), note="已办")
        with pytest.raises(NotAllowed):
            decision_done(
                decision_id=wage.pk, actor=territory.users["other_township_leader"], note="已办"
            )
        with pytest.raises(CaseInputError):
            decision_done(decision_id=wage.pk, actor=departments.labour_clerk, note=" ")
        decision_done(
            decision_id=wage.pk, actor=departments.labour_clerk, note="企业已支付全部拖欠工资"
        )
        with pytest.raises(TransitionRefused):
            decision_done(decision_id=wage.pk, actor=departments.labour_clerk, note="again")
        # The township's own task: its leader; the meeting's unit (county office) may too.
        decision_done(
            decision_id=township_task.pk, actor=territory.users["township_leader"], note="已回访"
        )
    wage.refresh_from_db()
    assert wage.done_by == departments.labour_clerk and wage.done_note == "企业已支付全部拖欠工资"
    event = CaseEvent.objects.get(case_id=case_id, action=CaseEvent.Action.DECISION)
    assert "企业已支付全部拖欠工资" in event.note and event.actor == departments.labour_clerk
    # the township task had no case: no event for it
    assert CaseEvent.objects.filter(action=CaseEvent.Action.DECISION).count() == 1


def test_marking_done_through_the_pages(report, territory, departments):
    with at(DAY):
        case_id = report().data["id"]
        wage = record(territory, departments, case_id).decisions.order_by("id").first()
        land = client_of(departments.land_clerk)
        assert land.get(f"/desk/meetings/decisions/{wage.pk}/").status_code == 404
        assert land.post(f"/desk/meetings/decisions/{wage.pk}/", {"note": "x"}).status_code == 404
        clerk = client_of(departments.labour_clerk)
        page = clerk.get("/desk/meetings/decisions/")
        assert page.status_code == 200 and "县人社局督促企业" in page.content.decode()
        assert clerk.post(f"/desk/meetings/decisions/{wage.pk}/", {"note": ""}).status_code == 400
        response = clerk.post(
            f"/desk/meetings/decisions/{wage.pk}/",
            {"note": "已支付", "next": "https://evil.example/"},
        )
        assert response.status_code == 302
        assert response["Location"] == f"/desk/meetings/decisions/{wage.pk}/"
        again = clerk.post(f"/desk/meetings/decisions/{wage.pk}/", {"note": "again"})
        assert again.status_code == 409


def test_the_years_count_against_the_target(report, territory, departments, settings):
    settings.JOINT_MEETINGS_PER_YEAR = 6
    with at(DAY):
        case_id = report().data["id"]
        for days_ago in (1, 30, 60, 90):
            record(territory, departments, case_id, held_on=DAY - timedelta(days=days_ago))
        record(territory, departments, case_id, held_on=date(2025, 12, 30))  # last year
        record(territory, departments, case_id, user_key="township_leader", decisions=[])
        county = territory.county.pk
        assert year_count(county_id=county, township_id=None, year=2026) == {
            "held": 4,
            "target": 6,
            "met": False,
        }
        assert year_count(county_id=county, township_id=territory.tubu.pk, year=2026)["held"] == 1
        page = client_of(territory.users["county_office"]).get("/desk/meetings/")
        text = page.content.decode()
        assert page.status_code == 200
        assert "4 / 6 meetings this year" in text
        assert (
            client_of(territory.users["county_office"])
            .get("/desk/meetings/?year=2025")
            .content.decode()
            .count('data-meeting="')
            == 1
        )
        assert (
            client_of(territory.users["county_office"])
            .get("/desk/meetings/?year=99999999999")
            .status_code
            == 400
        )
        tubu = client_of(territory.users["township_leader"]).get("/desk/meetings/")
        assert "1 / 6 meetings this year" in tubu.content.decode()


def test_marking_done_from_the_case_page_comes_back_to_it(report, territory, departments):
    with at(DAY):
        case_id = report().data["id"]
        wage = record(territory, departments, case_id).decisions.order_by("id").first()
        clerk = client_of(departments.labour_clerk)
        # The clerk does not see the case (not routed to them): no case page, but the decision.
        assert clerk.get(f"/desk/cases/{case_id}/").status_code == 404
        office = client_of(territory.users["county_office"])
        page = office.get(f"/desk/cases/{case_id}/").content.decode()
        assert f'action="/desk/meetings/decisions/{wage.pk}/"' in page  # the meeting's unit
        response = office.post(
            f"/desk/meetings/decisions/{wage.pk}/",
            {"note": "县里已协调企业支付", "next": f"/desk/cases/{case_id}/"},
        )
        assert response.status_code == 302 and response["Location"] == f"/desk/cases/{case_id}/"
        page = office.get(f"/desk/cases/{case_id}/").content.decode()
        assert f'data-decision="{wage.pk}" data-state="done"' in page
        assert "县里已协调企业支付" in page


def test_the_decision_list_reads_in_a_fixed_number_of_queries(report, territory, departments):
    office = client_of(territory.users["county_office"])
    with at(DAY):
        case_id = report().data["id"]
        record(territory, departments, case_id)
        office.get("/desk/meetings/decisions/")  # sessions and caches warm
        with CaptureQueriesContext(connection) as few:
            assert office.get("/desk/meetings/decisions/").status_code == 200
        for _n in range(3):
            record(territory, departments, case_id)
        with CaptureQueriesContext(connection) as many:
            assert office.get("/desk/meetings/decisions/").status_code == 200
    assert len(many) == len(few)


def test_the_form_shows_more_decision_rows_on_demand(territory, departments):
    office = client_of(territory.users["county_office"])
    assert office.get("/desk/meetings/new/").content.decode().count('name="decisions-') == 5 * 4 + 4
    page = office.get("/desk/meetings/new/?rows=12").content.decode()
    assert 'name="decisions-11-text"' in page and 'name="decisions-12-text"' not in page
    assert "县人力资源和社会保障局" in page and "涂埠镇" in page  # departments and townships
    for bad in ("999999", "-3", "x"):
        assert office.get(f"/desk/meetings/new/?rows={bad}").status_code == 200
    tubu = client_of(territory.users["township_leader"]).get("/desk/meetings/new/").content
    assert "涂埠镇司法所" in tubu.decode() and "县人力资源和社会保障局" not in tubu.decode()
