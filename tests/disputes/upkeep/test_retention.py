"""Retention: on a frozen clock, the nightly run deletes what is old and keeps what is recent."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connection, transaction

from disputes import tasks
from disputes.models import Case, Notification, PartyAccessLog
from disputes.upkeep.services import retention

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NIGHT = datetime(2026, 3, 2, 3, 45, tzinfo=SHANGHAI)

# The agreed contract of the access log's append-only trigger: DELETE only after grid.purge is set.
APPEND_ONLY_UNLESS_PURGE = """
CREATE FUNCTION test_access_log_append_only() RETURNS trigger AS $$
BEGIN
  IF current_setting('grid.purge', true) IS DISTINCT FROM 'on' THEN
    RAISE EXCEPTION 'the party access log is append-only';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER test_access_log_append_only BEFORE DELETE ON disputes_partyaccesslog
  FOR EACH ROW EXECUTE FUNCTION test_access_log_append_only();
"""


def frozen(moment=NIGHT):
    return time_machine.travel(moment, tick=False)


def days_ago(days, hours=0):
    return NIGHT - timedelta(days=days, hours=hours)


@pytest.fixture
def case(report):
    return Case.objects.get(pk=report().data["id"])


def access_read(case, user, at):
    with frozen(at):
        return PartyAccessLog.objects.create(case=case, county_id=case.county_id, user=user)


def test_access_logs_older_than_the_keeping_days_go_and_the_rest_stay(case, territory, settings):
    settings.PARTY_ACCESS_LOG_KEEP_DAYS = 1095
    worker = territory.users["grid_worker"]
    reported = set(PartyAccessLog.objects.values_list("pk", flat=True))  # the reporter saw them
    old = access_read(case, worker, days_ago(1095, hours=1))
    kept = [access_read(case, worker, days_ago(1094)), access_read(case, worker, days_ago(0))]
    with connection.cursor() as cursor:
        cursor.execute(APPEND_ONLY_UNLESS_PURGE)

    with frozen():
        counts = retention.retention_run()

    assert counts["party_access_logs"] == 1
    assert not PartyAccessLog.objects.filter(pk=old.pk).exists()
    assert set(PartyAccessLog.objects.values_list("pk", flat=True)) == reported | {
        log.pk for log in kept
    }
    # The trigger let the purge through because it set grid.purge, and only the purge.
    with pytest.raises(DatabaseError), transaction.atomic():
        PartyAccessLog.objects.filter(pk=kept[0].pk).delete()


def test_read_notifications_go_after_the_keeping_days_and_unread_ones_stay(territory, settings):
    settings.NOTIFICATION_KEEP_DAYS = 180
    user = territory.users["grid_worker"]

    def notification(created, read=None):
        with frozen(created):
            return Notification.objects.create(user=user, message="今日零报告未报", read_at=read)

    read_long_ago = notification(days_ago(400), read=days_ago(181))
    read_recently = notification(days_ago(400), read=days_ago(179))
    never_read = notification(days_ago(400))

    with frozen():
        counts = retention.retention_run()

    assert counts["notifications"] == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {
        read_recently.pk,
        never_read.pk,
    }
    assert not Notification.objects.filter(pk=read_long_ago.pk).exists()


def test_expired_sessions_go_and_live_ones_stay():
    Session.objects.create(session_key="e" * 32, session_data="", expire_date=days_ago(0, 1))
    Session.objects.create(session_key="l" * 32, session_data="", expire_date=days_ago(-1))

    with frozen():
        counts = retention.retention_run()

    assert counts["sessions"] == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["l" * 32]


def test_a_failing_step_does_not_stop_the_others(monkeypatch):
    Session.objects.create(session_key="e" * 32, session_data="", expire_date=days_ago(0, 1))

    def broken(*, now):
        raise RuntimeError("tokens table missing")

    monkeypatch.setattr(retention, "PURGE_STEPS", [("tokens", broken), *retention.PURGE_STEPS])

    with frozen(), pytest.raises(RuntimeError, match="tokens table missing"):
        retention.retention_run()

    assert not Session.objects.exists()


def test_the_nightly_task_runs_every_step(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["retention-nightly"]
    assert entry["task"] == tasks.retention_run.name == "disputes.tasks.retention_run"
    schedule = entry["schedule"]
    assert schedule.hour == {3} and schedule.minute == {45}

    with frozen():
        assert tasks.retention_run() == {
            "party_access_logs": 0,
            "notifications": 0,
            "sessions": 0,
            "api_tokens": 0,
            "login_records": 0,
        }
