"""On the day: visitors registered with the conversation (笔录); the ledger, printable."""

from datetime import date

import pytest

from disputes.models import CaseEvent
from disputes.reception.models import Appointment, ReceptionSession, ReceptionVisit
from tests.disputes.reception.conftest import TODAY, client_of

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 8)


def visit(client, session, case_id, **overrides):
    values = {
        "visit-case_number": case_id,
        "visit-received_by": "",
        "visit-visitors": 1,
        "visit-statement": "邻居修建围墙占用了我家排水沟，雨天院子积水",
        "visit-answer": "镇里三日内派国土所和村委会现场勘查，依法处理",
        "visit-agreed": "12月11日上午现场勘查，村委会通知双方到场",
    }
    values.update(overrides)
    return client.post(f"/desk/reception/sessions/{session.pk}/visit/", values)


@pytest.fixture
def day(report, travel, reception, territory, django_capture_on_commit_callbacks):
    """A booked case and a walk-in's case, the clock on the session's day."""
    travel(TODAY)
    booked, walk_in = report().data["id"], report().data["id"]
    session = ReceptionSession.objects.get(schedule=reception.tubu, date=DAY)
    leader = client_of(territory.users["township_leader"])
    with django_capture_on_commit_callbacks(execute=True):
        leader.post(f"/desk/reception/cases/{booked}/book/", {"session": session.pk})
    travel(DAY, hour=9)
    return session, booked, walk_in, leader


def test_the_desk_registers_the_booked_and_the_walk_in_visitors(day):
    session, booked, walk_in, leader = day
    assert visit(leader, session, booked).status_code == 302
    assert visit(leader, session, walk_in, **{"visit-visitors": 3}).status_code == 302
    appointment = Appointment.objects.get(case_id=booked)
    assert appointment.status == "met"
    rows = list(ReceptionVisit.objects.filter(session=session).order_by("pk"))
    assert [(row.case_id, row.appointment_id, row.visitors) for row in rows] == [
        (booked, appointment.pk, 1),
        (walk_in, None, 3),
    ]
    assert rows[0].received_by == "李秀英 镇长"  # the session's leader unless another is named
    event = CaseEvent.objects.filter(case_id=booked, action="note").latest("pk")
    assert event.on_date == DAY
    assert "by appointment" in event.note and "12月11日上午现场勘查" in event.note
    walk_in_note = CaseEvent.objects.filter(case_id=walk_in, action="note").latest("pk").note
    assert "walk-in visit" in walk_in_note

    ledger = leader.get(f"/desk/reception/sessions/{session.pk}/ledger/")
    assert ledger.status_code == 200
    page = ledger.content.decode()
    assert "reception/reception.css" in page and "data-print" in page
    assert page.count("邻居修建围墙占用了我家排水沟") == 2
    assert "2 visitors registered." in page
    # The case is held in its grid: the township leader reads the complainant masked.
    assert "张*" in page and "张三" not in page
    timeline = leader.get(f"/desk/cases/{booked}/").content.decode()
    assert 'id="case-appointments"' in timeline and "received" in timeline


def test_a_visit_is_refused_clearly(day, travel):
    session, booked, walk_in, leader = day
    assert visit(leader, session, booked, **{"visit-statement": ""}).status_code == 400
    assert visit(leader, session, booked).status_code == 302
    twice = visit(leader, session, booked)
    assert twice.status_code == 409
    assert "ledger already" in twice.content.decode()
    unknown = visit(leader, session, 999999)
    assert (
        unknown.status_code == 400 and "No case #999999 in your area." in unknown.content.decode()
    )
    later = ReceptionSession.objects.get(schedule=session.schedule, date=date(2026, 12, 15))
    early = visit(leader, later, walk_in)
    assert early.status_code == 409
    assert "on the reception day, not before" in early.content.decode()


def test_a_complainant_who_did_not_come_is_marked_on_the_timeline(day, travel):
    session, booked, _walk_in, leader = day
    appointment = Appointment.objects.get(case_id=booked)
    travel(TODAY)
    early = leader.post(f"/desk/reception/appointments/{appointment.pk}/missed/")
    assert early.status_code == 409
    travel(DAY, hour=12)
    page = leader.get(f"/desk/reception/sessions/{session.pk}/").content.decode()
    assert f'id="missed-{appointment.pk}"' in page
    assert leader.post(f"/desk/reception/appointments/{appointment.pk}/missed/").status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "missed"
    event = CaseEvent.objects.filter(case_id=booked, action="note").latest("pk")
    assert "did not come" in event.note and event.on_date == DAY
    again = leader.post(f"/desk/reception/appointments/{appointment.pk}/missed/")
    assert again.status_code == 409
