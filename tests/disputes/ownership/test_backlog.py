"""积案 on a frozen clock: detection, the must-have-a-leader list, weekly progress, the
backlog week by week (against a hand-worked fixture), the Monday reminder, and
supervision notices that reach the leader."""

from datetime import date, datetime, timedelta

import pytest
from django.db.models import Q

from config.celery_app import app
from disputes.cases.services import lifecycle
from disputes.models import Case, Notification
from disputes.oversight.services.supervision import supervision_run
from disputes.ownership.selectors import backlog
from disputes.ownership.services import leaders
from disputes.ownership.services.reminders import progress_reminders_send
from disputes.tasks import progress_reminders
from tests.disputes.ownership.conftest import SHANGHAI, at

pytestmark = pytest.mark.django_db


def area(territory):
    return Q(township_id=territory.tubu.pk)


def name(case, territory, leader="township_leader"):
    return leaders.leader_name(
        case_id=case.pk,
        actor=territory.users["county_office"],
        leader_id=territory.users[leader].pk,
        unit="涂埠镇人民政府",
        person="王主任",
    )


def test_a_case_is_backlog_after_more_than_backlog_days(reported, territory, settings):
    settings.BACKLOG_DAYS = 90
    case = reported(date(2026, 1, 5))
    reported_at = case.reported_at
    now_89 = reported_at + timedelta(days=89)
    now_91 = reported_at + timedelta(days=91)
    assert not Case.objects.filter(backlog.backlog_q(now_89), pk=case.pk).exists()
    assert Case.objects.filter(backlog.backlog_q(now_91), pk=case.pk).exists()
    assert backlog.backlog_and_key_cases(area=area(territory), now=now_89) == []
    rows = backlog.backlog_and_key_cases(area=area(territory), now=now_91)
    assert [(row["case"].pk, row["backlog"], row["key"], row["leader"]) for row in rows] == [
        (case.pk, True, False, None)
    ]
    assert rows[0]["days_open"] == 91
    # Resolved (awaiting its return visit): no longer backlog.
    worker = territory.users["grid_worker"]
    lifecycle.case_accept(case_id=case.pk, actor=worker, reply="已受理")
    lifecycle.case_resolve(case_id=case.pk, actor=worker, outcome="settled", note="调解成功")
    assert backlog.backlog_and_key_cases(area=area(territory), now=now_91) == []


def test_marked_and_key_cases_must_have_a_leader(reported, territory):
    fresh = reported(date(2026, 3, 2))
    key = reported(date(2026, 3, 3))
    office = territory.users["county_office"]
    with at(date(2026, 3, 10)):
        assert not backlog.cases_without_leader(area=area(territory)).exists()
        leaders.case_mark(case_id=fresh.pk, actor=office, key=False, backlog=True)
        leaders.case_mark(case_id=key.pk, actor=office, key=True, backlog=False)
        rows = backlog.backlog_and_key_cases(area=area(territory))
        assert [(r["case"].pk, r["backlog"], r["key"]) for r in rows] == [
            (fresh.pk, True, False),
            (key.pk, False, True),
        ]
        assert list(backlog.cases_without_leader(area=area(territory))) == [fresh, key]
        name(fresh, territory)
        assert list(backlog.cases_without_leader(area=area(territory))) == [key]
        # Another township's area does not list them.
        assert not backlog.cases_without_leader(area=Q(township_id=territory.wucheng.pk)).exists()


@pytest.fixture
def history(reported, territory, settings):
    """The hand-worked fixture, BACKLOG_DAYS = 14; weeks begin on Mondays 05-25 … 06-15 2026.

    A  reported 05-04 → backlog from 05-18, unresolved; progress 06-10 and 06-16
    B  reported 05-13 → backlog from 05-27; resolved 06-03
    C  reported 05-20 → backlog from 06-03, unresolved; progress 06-16
    D  reported 06-01 → marked backlog by the county on 06-10, unresolved
    E  reported 05-25 → resolved 06-05, before it would have turned backlog (06-08)
    F  reported 06-03 → backlog from 06-17 09:00
    G  reported 06-04 → would be backlog from 06-18: after `now`
    H  reported 04-27 → backlog from 05-11; not accepted (cleared) 06-09
    now: Wednesday 06-17 12:00
    """
    settings.BACKLOG_DAYS = 14
    worker, office = territory.users["grid_worker"], territory.users["county_office"]
    cases = {
        key: reported(day)
        for key, day in {
            "A": date(2026, 5, 4),
            "B": date(2026, 5, 13),
            "C": date(2026, 5, 20),
            "D": date(2026, 6, 1),
            "E": date(2026, 5, 25),
            "F": date(2026, 6, 3),
            "G": date(2026, 6, 4),
            "H": date(2026, 4, 27),
        }.items()
    }

    def resolve(case, day):
        with at(day):
            lifecycle.case_accept(case_id=case.pk, actor=worker, reply="已受理")
            lifecycle.case_resolve(case_id=case.pk, actor=worker, outcome="settled", note="调解")

    resolve(cases["B"], date(2026, 6, 3))
    resolve(cases["E"], date(2026, 6, 5))
    with at(date(2026, 6, 9)):
        lifecycle.case_reject(case_id=cases["H"].pk, actor=worker, reason="不属于受理范围")
    with at(date(2026, 6, 1), hour=15):
        name(cases["A"], territory)
    with at(date(2026, 6, 10)):
        leaders.case_mark(case_id=cases["D"].pk, actor=office, key=False, backlog=True)
        leaders.progress_report(
            case_id=cases["A"].pk, actor=territory.users["township_leader"], progress="第1周"
        )
    with at(date(2026, 6, 16)):
        leaders.progress_report(
            case_id=cases["A"].pk, actor=territory.users["township_leader"], progress="第2周"
        )
        leaders.progress_report(case_id=cases["C"].pk, actor=worker, progress="约谈双方")
    return cases


NOW = datetime(2026, 6, 17, 12, tzinfo=SHANGHAI)


def test_the_backlog_week_by_week_against_the_hand_worked_fixture(history, territory):
    weeks = backlog.backlog_over_time(area=area(territory), weeks=4, now=NOW)
    assert [(week["monday"], week["opened"], week["cleared"], week["end"]) for week in weeks] == [
        (date(2026, 5, 25), 1, 0, 3),  # B in; A, B, H
        (date(2026, 6, 1), 1, 1, 3),  # C in, B out; A, C, H
        (date(2026, 6, 8), 1, 1, 3),  # D marked in, H out; A, C, D
        (date(2026, 6, 15), 1, 0, 4),  # F in (Wednesday 09:00); A, C, D, F until now
    ]
    # Another township has none of it.
    other = backlog.backlog_over_time(area=Q(township_id=territory.wucheng.pk), weeks=4, now=NOW)
    assert {(w["opened"], w["cleared"], w["end"]) for w in other} == {(0, 0, 0)}


def test_weekly_progress_compliance_across_two_weeks(history, territory):
    this_week, last_week = backlog.progress_weeks(area=area(territory), weeks=1, now=NOW)
    assert this_week["monday"] == date(2026, 6, 15)
    # Due this week: backlog since before Monday and not cleared: A, C, D (F entered Wednesday).
    assert (this_week["due"], this_week["reported"]) == (3, 2)
    assert [row["case"].pk for row in this_week["missing"]] == [history["D"].pk]
    assert this_week["missing"][0]["leader"] is None
    # Last week: A and C were due (H was cleared Tuesday, D marked Wednesday); C had no note.
    assert last_week["monday"] == date(2026, 6, 8)
    assert (last_week["due"], last_week["reported"]) == (2, 1)
    assert [row["case"].pk for row in last_week["missing"]] == [history["C"].pk]


def test_the_monday_reminder_goes_once_to_leaders_and_holders(history, territory):
    worker, leader = territory.users["grid_worker"], territory.users["township_leader"]
    monday = datetime(2026, 6, 22, 8, 5, tzinfo=SHANGHAI)
    with at(date(2026, 6, 22), hour=8):
        # Last week (06-15): A and C have notes; D has none: its holder (the grid worker) is told.
        assert progress_reminders_send(now=monday) == 1
        assert progress_reminders_send(now=monday + timedelta(hours=1)) == 0
    reminder = Notification.objects.get(link__startswith="/desk/backlog/")
    assert reminder.user == worker
    assert reminder.link == "/desk/backlog/?week=2026-06-15"
    assert "有 1 件积案" in reminder.message  # 1 backlog case had no weekly progress note
    # The next Monday none of A (led by the township leader), C, D, F and G had a note.
    with at(date(2026, 6, 29), hour=8):
        assert progress_reminders_send() == 2
    week = "/desk/backlog/?week=2026-06-22"
    assert Notification.objects.get(user=leader, link=week).message.endswith(
        "有 1 件积案未上报推进情况。"
    )
    assert Notification.objects.get(user=worker, link=week).message.endswith(
        "有 5 件积案未上报推进情况。"
    )


def test_supervision_notices_reach_the_leader(reported, territory, settings):
    settings.SUPERVISION_ESCALATE_AFTER_DAYS = 7
    case = reported(date(2026, 3, 2))  # acceptance due 2026-03-17
    name(case, territory, leader="county_office")
    Notification.objects.all().delete()
    with at(date(2026, 3, 15)):
        supervision_run()
    told = set(Notification.objects.filter(notice__isnull=False).values_list("user", flat=True))
    assert told == {territory.users["grid_worker"].pk, territory.users["county_office"].pk}


def test_beat_runs_the_reminder_on_monday_mornings(db, settings):
    entry = settings.CELERY_BEAT_SCHEDULE["backlog-progress-reminders"]
    assert entry["task"] == "disputes.tasks.progress_reminders"
    assert entry["task"] in app.tasks
    assert entry["schedule"].day_of_week == {1} and min(entry["schedule"].hour) == 8
    assert progress_reminders() == 0  # nothing is backlog: nobody is told
