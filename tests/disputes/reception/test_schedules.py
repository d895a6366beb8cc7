"""A unit's schedule makes a month's sessions: leaders in rotation, holidays skipped, changes."""

from datetime import date, time

import pytest

from disputes.reception.models import ReceptionSession
from disputes.reception.services.schedules import schedule_create, sessions_generate
from disputes.reception.services.session_changes import session_cancel, session_change
from tests.disputes.reception.conftest import COUNTY_PLACE, TODAY, TUBU_PLACE, at, client_of

pytestmark = pytest.mark.django_db


def test_december_has_a_session_every_tuesday_with_the_leaders_taking_turns(territory, reception):
    sessions = ReceptionSession.objects.filter(schedule=reception.tubu).order_by("date")
    assert [(s.date, s.leader_name) for s in sessions] == [
        (date(2026, 12, 1), "王建国"),
        (date(2026, 12, 8), "李秀英"),
        (date(2026, 12, 15), "陈志强"),
        (date(2026, 12, 22), "王建国"),
        (date(2026, 12, 29), "李秀英"),
    ]
    first = sessions[0]
    assert (first.township_id, first.place, first.capacity) == (territory.tubu.pk, TUBU_PLACE, 2)
    assert (first.starts_at, first.ends_at) == (time(9), time(11, 30))
    assert first.receiver == "王建国 镇党委书记"


def test_the_county_centre_has_its_stationed_department_on_wednesdays(territory, reception):
    sessions = ReceptionSession.objects.filter(schedule=reception.county)
    assert [s.date.day for s in sessions] == [2, 9, 16, 23, 30]
    assert {(s.township_id, s.place, s.receiver) for s in sessions} == {
        (None, COUNTY_PLACE, "县人力资源和社会保障局")
    }


def test_making_the_month_again_adds_nothing_and_keeps_changes(territory, reception):
    leader = territory.users["township_leader"]
    with at(TODAY):
        session = ReceptionSession.objects.get(schedule=reception.tubu, date=date(2026, 12, 8))
        session_change(
            actor=leader,
            session_id=session.pk,
            leader_name="陈志强",
            leader_title="副镇长",
            note="李秀英镇长外出学习，由陈志强副镇长接访",
        )
        assert sessions_generate(actor=leader, year=2026, month=12) == []
    session.refresh_from_db()
    assert session.receiver == "陈志强 副镇长"
    assert ReceptionSession.objects.filter(schedule=reception.tubu).count() == 5


def test_a_public_holiday_has_no_session(territory):
    leader = territory.users["township_leader"]
    with at(date(2026, 9, 20)):
        schedule_create(
            actor=leader,
            weekday=3,  # Thursday: 1 October 2026 is National Day
            starts_at=time(9),
            ends_at=time(11),
            place=TUBU_PLACE,
            leaders=[{"name": "王建国", "title": "镇党委书记"}],
            department_id=None,
            capacity=6,
            first_date=date(2026, 9, 1),
        )
        made = sessions_generate(actor=leader, year=2026, month=10)
    assert [s.date.day for s in made] == [8, 15, 22, 29]  # 1 October is National Day


def test_a_cancelled_session_shows_on_the_desk_and_the_resident_pages(client, territory, reception):
    with at(TODAY):
        session = ReceptionSession.objects.get(schedule=reception.tubu, date=date(2026, 12, 15))
        session_cancel(
            actor=territory.users["township_leader"],
            session_id=session.pk,
            reason="镇里召开防汛会议",
        )
        desk = client_of(territory.users["township_leader"]).get("/desk/reception/?month=2026-12")
        public = client.get("/r/reception/", HTTP_ACCEPT_LANGUAGE="en")
    assert desk.status_code == 200
    assert f'class="slot cancelled" data-session="{session.pk}"' in desk.content.decode()
    page = public.content.decode()
    assert "2026-12-15" in page and "镇里召开防汛会议" in page and "cancelled" in page


def test_month_parameters_are_bounded(territory, reception):
    office = client_of(territory.users["county_office"])
    with at(TODAY):
        assert office.get("/desk/reception/?month=2026-13").status_code == 400
        assert office.get("/desk/reception/?month=x" * 50).status_code == 400
        assert office.post("/desk/reception/generate/", {"month": "2031-01"}).status_code == 400
        assert office.post("/desk/reception/generate/", {"month": "bad"}).status_code == 400
        assert office.post("/desk/reception/generate/", {"month": "2027-01"}).status_code == 302
    assert ReceptionSession.objects.filter(schedule=reception.county, date__year=2027).count() == 4


def test_a_schedule_is_set_up_on_the_desk(territory):
    leader = client_of(territory.users["township_leader"])
    with at(TODAY):
        response = leader.post(
            "/desk/reception/schedules/",
            {
                "weekday": "1",
                "starts_at": "09:00",
                "ends_at": "11:30",
                "place": TUBU_PLACE,
                "leaders": "王建国 镇党委书记\n李秀英 镇长\n",
                "capacity": "6",
                "first_date": "2026-12-01",
            },
        )
        assert response.status_code == 302
        refused = leader.post(
            "/desk/reception/schedules/",
            {
                "weekday": "1",
                "starts_at": "11:00",
                "ends_at": "09:00",
                "place": TUBU_PLACE,
                "leaders": "",
                "capacity": "6",
                "first_date": "2026-12-01",
            },
        )
    assert refused.status_code == 400
    assert "The reception ends after it starts." in refused.content.decode()


def test_two_leaders_swap_their_weeks(territory, reception, client):
    leader = client_of(territory.users["township_leader"])
    with at(TODAY):
        first = ReceptionSession.objects.get(schedule=reception.tubu, date=date(2026, 12, 8))
        second = ReceptionSession.objects.get(schedule=reception.tubu, date=date(2026, 12, 15))
        response = leader.post(
            f"/desk/reception/sessions/{first.pk}/swap/", {"swap-other": second.pk}
        )
        assert response.status_code == 302
        centre = ReceptionSession.objects.filter(schedule=reception.county).first()
        office = client_of(territory.users["county_office"])
        refused = office.post(
            f"/desk/reception/sessions/{first.pk}/swap/", {"swap-other": centre.pk}
        )
        assert refused.status_code == 400
        assert "same unit" in refused.content.decode()
        public = client.get("/r/reception/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.receiver, second.receiver) == ("陈志强 副镇长", "李秀英 镇长")
    assert first.change_note == "swapped with 2026-12-15"
    assert "swapped with 2026-12-08" in public
