"""Decisions supervised like case deadlines on a frozen clock; who sees which meetings."""

from datetime import date, timedelta

import pytest

from disputes.meetings.services.meetings import decision_done, meeting_record
from disputes.meetings.services.supervision import decisions_supervise
from disputes.models import CaseEvent, Notification
from disputes.tasks import decisions_supervise as supervise_task
from tests.disputes.meetings.conftest import at, client_of

pytestmark = pytest.mark.django_db
DAY = date(2026, 5, 11)


@pytest.fixture
def meeting(report, territory, departments):
    """A county meeting on DAY with a wage decision for 人社局 about a case, due DAY + 10."""
    with at(DAY):
        case_id = report().data["id"]
        return meeting_record(
            actor=territory.users["county_office"],
            held_on=DAY,
            title="县联席会议",
            units_present="县信访局、县人社局",
            case_ids=[case_id],
            decisions=[
                {
                    "text": "督促企业支付拖欠工资",
                    "assignee": f"d{departments.labour.pk}",
                    "due_date": DAY + timedelta(days=10),
                    "case_id": case_id,
                },
                {
                    "text": "自然资源局核实土地权属",
                    "assignee": f"d{departments.land.pk}",
                    "due_date": DAY + timedelta(days=60),
                },
            ],
        )


def notified(user):
    return list(Notification.objects.filter(user=user).values_list("message", flat=True))


def test_a_decision_is_warned_once_then_told_overdue_once(meeting, territory, departments):
    wage = meeting.decisions.get(department=departments.labour)
    case_id = wage.case_id
    clerk, office = departments.labour_clerk, territory.users["county_office"]
    with at(DAY + timedelta(days=5)):
        assert decisions_supervise() == 0  # due in 5 days: not yet
    with at(DAY + timedelta(days=7)):
        assert decisions_supervise() == 1
        assert decisions_supervise() == 0
    [warning] = notified(clerk)
    assert "督促企业支付拖欠工资" in warning
    assert notified(office) == []
    assert notified(departments.land_clerk) == []  # due much later
    with at(DAY + timedelta(days=12)):
        assert supervise_task.apply().get() == 1  # the beat's task
        assert decisions_supervise() == 0
    assert len(notified(clerk)) == 2
    assert len(notified(office)) == 1  # the meeting's unit is told it is overdue
    assert Notification.objects.filter(user=clerk).first().link == (
        f"/desk/meetings/decisions/{wage.pk}/"
    )
    [event] = CaseEvent.objects.filter(case_id=case_id, action=CaseEvent.Action.SUPERVISE)
    assert "县联席会议" in event.note and event.actor is None
    wage.refresh_from_db()
    assert wage.warned_at is not None and wage.overdue_notified_at is not None


def test_a_done_decision_is_not_supervised(meeting, departments):
    wage = meeting.decisions.get(department=departments.labour)
    with at(DAY + timedelta(days=2)):
        decision_done(decision_id=wage.pk, actor=departments.labour_clerk, note="已支付")
    with at(DAY + timedelta(days=30)):
        assert decisions_supervise() == 0
    assert not Notification.objects.exists()


def test_first_seen_overdue_tells_overdue_only(meeting, departments):
    with at(DAY + timedelta(days=11)):
        assert decisions_supervise() == 1
    with at(DAY + timedelta(days=12)):
        assert decisions_supervise() == 0
    assert len(notified(departments.labour_clerk)) == 1


def test_who_sees_which_meeting_and_decision(meeting, territory, departments, neighbour):
    wage = meeting.decisions.get(department=departments.labour)
    land = meeting.decisions.get(department=departments.land)
    with at(DAY + timedelta(days=1)):
        tubu_meeting = meeting_record(
            actor=territory.users["township_leader"],
            held_on=DAY,
            title="涂埠镇联席会议",
            units_present="镇综治办、司法所",
            decisions=[
                {
                    "text": "司法所组织调解",
                    "assignee": f"d{departments.tubu_justice.pk}",
                    "due_date": DAY + timedelta(days=5),
                }
            ],
        )
        station_task = tubu_meeting.decisions.get()
        expected = {
            # user: (county meeting, township meeting, wage decision, station task)
            territory.users["county_office"]: (200, 200, 200, 200),
            territory.users["township_leader"]: (404, 200, 404, 200),
            territory.users["other_township_leader"]: (404, 404, 404, 404),
            territory.users["village_cadre"]: (404, 404, 404, 404),
            territory.users["grid_worker"]: (404, 404, 404, 404),
            departments.labour_clerk: (200, 404, 200, 404),
            departments.land_clerk: (200, 404, 404, 404),
            departments.justice_clerk: (404, 200, 404, 200),
            neighbour.users["county_office"]: (404, 404, 404, 404),
            neighbour.users["city_office"]: (200, 200, 200, 200),
            neighbour.users["other_city_office"]: (404, 404, 404, 404),
        }
        got = {}
        for user in expected:
            client = client_of(user)
            got[user] = tuple(
                client.get(url).status_code
                for url in (
                    f"/desk/meetings/{meeting.pk}/",
                    f"/desk/meetings/{tubu_meeting.pk}/",
                    f"/desk/meetings/decisions/{wage.pk}/",
                    f"/desk/meetings/decisions/{station_task.pk}/",
                )
            )
        assert got == expected
        # A department's decision list: theirs only.
        text = client_of(departments.land_clerk).get("/desk/meetings/decisions/").content.decode()
        assert f'data-decision="{land.pk}"' in text and f'data-decision="{wage.pk}"' not in text
        listing = client_of(departments.labour_clerk).get("/desk/meetings/").content.decode()
        assert f'data-meeting="{meeting.pk}"' in listing
        assert f'data-meeting="{tubu_meeting.pk}"' not in listing
        assert "meetings this year" not in listing  # no target for a department
        # Only the recording units have the form; only the meeting's unit and the assignee act.
        assert client_of(departments.labour_clerk).get("/desk/meetings/new/").status_code == 404
        assert client_of(territory.users["village_cadre"]).get("/desk/meetings/").status_code == 404
        city = client_of(neighbour.users["city_office"])
        assert city.post(f"/desk/meetings/decisions/{wage.pk}/", {"note": "x"}).status_code == 403
        tubu = client_of(territory.users["township_leader"])
        assert tubu.post(f"/desk/meetings/decisions/{wage.pk}/", {"note": "x"}).status_code == 404


def test_beat_supervises_the_decisions_every_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["decisions-supervise"]
    assert entry["task"] == supervise_task.name == "disputes.tasks.decisions_supervise"
    assert entry["schedule"].hour == {7}
