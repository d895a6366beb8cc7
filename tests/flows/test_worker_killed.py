"""A Celery worker killed (SIGKILL) in the middle of proposing a team, and a new one.

The proposal task is held inside its transaction by a row lock this test
takes on the team; the worker is killed while it waits, PostgreSQL rolls
its transaction back, the unacknowledged task goes back to the queue, and a
new worker finishes it: the case ends with exactly one assignment.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from config.celery_app import app as celery_app
from disputes.cases.services import lifecycle
from disputes.models import Assignment, Case, Team
from tests.disputes.conftest import api, case_payload, tubu_committee

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def start_worker(log):
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgis://{db['USER']}@/{db['HOST']}/{db['NAME']}",
        "CELERY_VISIBILITY_TIMEOUT": "3",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config.celery_app",
            "worker",
            "--pool",
            "solo",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-l",
            "info",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def waiting_on_team_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query ILIKE '%%disputes_team%%' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_mid_task_leaves_exactly_one_assignment(territory, tmp_path):
    celery_app.control.purge()
    team = tubu_committee(territory)
    case_id = (
        api(territory.users["grid_worker"])
        .post("/api/cases/", case_payload(), format="json")
        .data["id"]
    )
    lifecycle.case_accept(
        case_id=case_id, actor=territory.users["grid_worker"]
    )  # queues team_propose

    db = settings.DATABASES["default"]
    holder = psycopg2.connect(host=db["HOST"], user=db["USER"], dbname=db["NAME"])
    with holder.cursor() as cursor:
        cursor.execute("SELECT id FROM disputes_team WHERE id = %s FOR UPDATE", [team.pk])

    log = (tmp_path / "worker.log").open("w")
    first = start_worker(log)
    try:
        wait_for(waiting_on_team_lock, 60, "the task to wait on the team's row")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        holder.rollback()
        holder.close()
    assert not Assignment.objects.filter(case_id=case_id).exists()

    # The task the dead worker held becomes visible again after the visibility
    # timeout (3 s here); a worker starting after that puts it back on the queue.
    time.sleep(4)
    second = start_worker(log)
    try:
        wait_for(
            lambda: Assignment.objects.filter(case_id=case_id).exists(), 60, "the task to run again"
        )
        time.sleep(1)  # a duplicate delivery would show up now
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)
        log.close()

    assert Assignment.objects.filter(case_id=case_id).count() == 1, (
        tmp_path / "worker.log"
    ).read_text()
    assert Assignment.objects.get(case_id=case_id).status == "proposed"
    assert Team.objects.get(pk=team.pk).load == 1
    assert Case.objects.get(pk=case_id).events.filter(action="team").count() == 1
