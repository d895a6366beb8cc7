"""约访 across December: booked from the case page, told by SMS, slots counted, moved, cancelled."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.sms import outbox
from disputes.models import Case, CaseEvent, Level
from disputes.reception.models import Appointment, ReceptionSession
from tests.disputes.conftest import WUCHENG_01
from tests.disputes.reception.conftest import COUNTY_PLACE, TODAY, TUBU_PLACE, client_of

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


def tubu_session(reception, day):
    return ReceptionSession.objects.get(schedule=reception.tubu, date=date(2026, 12, day))


def book(client, case_id, session, **extra):
    return client.post(f"/desk/reception/cases/{case_id}/book/", {"session": session.pk, **extra})


@pytest.fixture
def cases(report, travel, reception):
    travel(TODAY)
    return [report().data["id"] for _ in range(3)]


@pytest.fixture
def leader(territory):
    return client_of(territory.users["township_leader"])


def test_a_booking_texts_the_complainant_the_day_time_and_place(
    territory, reception, cases, leader, django_capture_on_commit_callbacks
):
    session = tubu_session(reception, 8)
    page = leader.get(f"/desk/cases/{cases[0]}/").content.decode()
    assert 'id="book-form"' in page and f'value="{session.pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = book(leader, cases[0], session)
    assert response.status_code == 302
    assert [message.to for message in outbox] == [PHONE]
    text = outbox[0].text
    assert "2026-12-08" in text and "09:00–11:30" in text and TUBU_PLACE in text
    assert f"#{cases[0]}" in text
    assert "张三" not in text and "李秀英" not in text  # no one's name, the complainant's neither
    appointment = Appointment.objects.get(case_id=cases[0])
    assert (appointment.session_id, appointment.status, appointment.texted) == (
        session.pk,
        "booked",
        True,
    )
    note = CaseEvent.objects.filter(case_id=cases[0], action="note").latest("pk").note
    assert "2026-12-08" in note and TUBU_PLACE in note


def test_the_slots_of_a_session_are_counted_and_a_case_is_booked_once(
    reception, cases, leader, django_capture_on_commit_callbacks
):
    session = tubu_session(reception, 8)  # two slots
    with django_capture_on_commit_callbacks(execute=True):
        assert book(leader, cases[0], session).status_code == 302
        twice = book(leader, cases[0], session)
        assert book(leader, cases[1], session).status_code == 302
        full = book(leader, cases[2], session)
    assert twice.status_code == 409
    assert "is booked into this reception day already" in twice.content.decode()
    assert full.status_code == 409
    assert "no free slot left" in full.content.decode()
    assert len(outbox) == 2
    # A session is not offered again to a case booked into it, nor once full.
    page = leader.get(f"/desk/cases/{cases[0]}/").content.decode()
    assert f'<option value="{session.pk}"' not in page.split('id="book-session"')[1]
    # The full session is no longer offered; the next Tuesday is.
    page = leader.get(f"/desk/cases/{cases[2]}/").content.decode()
    assert f'<option value="{session.pk}"' not in page
    assert f'<option value="{tubu_session(reception, 15).pk}"' in page


def test_refusals_are_clear(territory, reception, cases, leader, report):
    cancelled = tubu_session(reception, 22)
    cancelled.status = ReceptionSession.Status.CANCELLED
    cancelled.save(update_fields=["status"])
    assert book(leader, cases[0], cancelled).status_code == 409
    response = leader.post(f"/desk/reception/cases/{cases[0]}/book/", {"session": "x"})
    assert response.status_code == 400
    assert "Choose a reception day." in response.content.decode()
    # A 吴城镇 case is not the 涂埠镇 leader's: it does not exist for them.
    wucheng_case = report("county_office", point=WUCHENG_01).data["id"]
    assert book(leader, wucheng_case, tubu_session(reception, 8)).status_code == 404
    # The county office may book it into the county centre, not into 涂埠镇's day.
    office = client_of(territory.users["county_office"])
    assert book(office, wucheng_case, tubu_session(reception, 8)).status_code == 400
    centre = ReceptionSession.objects.get(schedule=reception.county, date=date(2026, 12, 9))
    assert book(office, wucheng_case, centre).status_code == 302


def test_moving_and_cancelling_text_the_complainant_again(
    reception, cases, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(leader, cases[0], tubu_session(reception, 8))
        appointment = Appointment.objects.get(case_id=cases[0])
        moved = leader.post(
            f"/desk/reception/appointments/{appointment.pk}/move/",
            {"session": tubu_session(reception, 15).pk, "next": "case"},
        )
        assert moved.status_code == 302 and moved["Location"] == f"/desk/cases/{cases[0]}/"
        again = leader.post(
            f"/desk/reception/appointments/{appointment.pk}/move/",
            {"session": tubu_session(reception, 22).pk},
        )
        assert again.status_code == 409  # the old booking was moved already
        current = Appointment.objects.get(case_id=cases[0], status="booked")
        assert (
            leader.post(
                f"/desk/reception/appointments/{current.pk}/cancel/", {"reason": ""}
            ).status_code
            == 400
        )
        cancelled = leader.post(
            f"/desk/reception/appointments/{current.pk}/cancel/", {"reason": "当事人已达成和解"}
        )
    assert cancelled.status_code == 302
    texts = [message.text for message in outbox]
    assert len(texts) == 3
    assert "moved to 2026-12-15" in texts[1] and TUBU_PLACE in texts[1]
    assert "cancelled" in texts[2] and "2026-12-15" in texts[2]
    statuses = dict(
        Appointment.objects.filter(case_id=cases[0]).values_list("session__date", "status")
    )
    assert statuses == {date(2026, 12, 8): "moved", date(2026, 12, 15): "cancelled"}


def test_a_cancelled_reception_day_texts_its_booked_complainants(
    territory, reception, cases, leader, django_capture_on_commit_callbacks
):
    session = tubu_session(reception, 8)
    with django_capture_on_commit_callbacks(execute=True):
        book(leader, cases[0], session)
        response = leader.post(
            f"/desk/reception/sessions/{session.pk}/cancel/", {"cancel-reason": "全镇防汛"}
        )
    assert response.status_code == 302
    assert len(outbox) == 2 and "cancelled" in outbox[1].text
    assert Appointment.objects.get(case_id=cases[0]).status == "cancelled"


def test_the_month_shows_the_booked_cases_with_names_masked(
    territory, reception, cases, leader, django_capture_on_commit_callbacks
):
    office = client_of(territory.users["county_office"])
    with django_capture_on_commit_callbacks(execute=True):
        book(leader, cases[0], tubu_session(reception, 8))
        book(leader, cases[1], tubu_session(reception, 15))
    page = office.get("/desk/reception/?month=2026-12").content.decode()
    assert f"#{cases[0]} 张*" in page and f"#{cases[1]} 张*" in page
    assert "张三" not in page
    assert "1 of 2 slots booked" in page
    assert COUNTY_PLACE not in page  # the calendar names the receivers, the session page the place
    assert "县人力资源和社会保障局" in page


def test_the_month_reads_in_a_fixed_number_of_queries(
    territory, reception, report, travel, leader, django_capture_on_commit_callbacks
):
    travel(TODAY)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert leader.get("/desk/reception/?month=2026-12").status_code == 200
        return len(captured)

    book(leader, report().data["id"], tubu_session(reception, 8))
    few = queries()
    for day in (8, 15, 22):
        for _ in range(2 if day != 8 else 1):
            book(leader, report().data["id"], tubu_session(reception, day))
    assert Appointment.objects.filter(status="booked").count() == 6
    assert queries() == few


def test_a_complainant_without_a_mobile_number_is_booked_and_the_desk_told(
    reception, report, travel, leader, django_capture_on_commit_callbacks
):
    travel(TODAY)
    parties = [{"role": "complainant", "name": "王五"}, {"role": "respondent", "name": "李四"}]
    case_id = report(parties=parties).data["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = book(leader, case_id, tubu_session(reception, 8))
    assert response.status_code == 302
    assert outbox == []  # the respondent is never texted
    assert Appointment.objects.get(case_id=case_id).texted is False
    page = leader.get(response["Location"]).content.decode()
    assert "The complainant has no mobile number" in page


def test_a_county_level_case_is_booked_into_the_county_centre_only(
    territory, reception, report, travel
):
    travel(TODAY)
    case_id = report().data["id"]
    Case.objects.filter(pk=case_id).update(level=Level.COUNTY)
    office = client_of(territory.users["county_office"])
    refused = book(office, case_id, tubu_session(reception, 8))
    assert refused.status_code == 400
    assert "reception day" in refused.content.decode()
    centre = ReceptionSession.objects.get(schedule=reception.county, date=date(2026, 12, 9))
    assert book(office, case_id, centre).status_code == 302
