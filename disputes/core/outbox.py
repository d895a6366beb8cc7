"""Sending Celery tasks for committed changes so that none is lost (the outbox pattern).

`task_after_commit` writes an OutboxTask row in the caller's transaction and,
once it commits, sends the task by name and deletes the row. If the broker is
down then, or the process dies before sending, the row stays and
`outbox_sweep` (Celery beat, every minute) sends it. Once the broker has a
task, Celery's own guarantees (acks_late, retries) carry it.

Work tried first where it arises (forgetting cached map tiles, in the web
process) leaves a row with `task_for_the_sweep` only when it fails.

Sending by name keeps services from importing the tasks modules, which
import them. `task_send` sends by name at once, without a row, for work that
may be lost because beat repeats it.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.celery_app import app
from disputes.core.models import OutboxTask

logger = logging.getLogger(__name__)

# A row this old was not sent after its commit: the sweep sends it.
SWEEP_AFTER = timedelta(minutes=1)
SWEEP_BATCH = 500


def _send(row_id: int, task: str, args: list) -> None:
    if app.conf.task_always_eager:  # tests and scripts that run tasks in place
        app.tasks[task].apply(args=args, throw=True)
    else:
        app.send_task(task, args=args)
    OutboxTask.objects.filter(pk=row_id).delete()


def task_after_commit(task: str, *args) -> None:
    """Queue `task` (a dotted Celery task name) with `args` once the current transaction commits.

    Call inside the transaction of the change. The task must be safe to run twice.
    """
    row = OutboxTask.objects.create(task=task, args=list(args))
    # robust: a broker that is down leaves the row for the sweep; the change stands.
    transaction.on_commit(lambda: _send(row.pk, task, list(args)), robust=True)


def task_send(task: str, *args, countdown: int | None = None) -> None:
    """Send `task` (a dotted Celery task name) now, in `countdown` seconds; lost if the broker is down."""
    if app.conf.task_always_eager:
        app.tasks[task].apply_async(args=args, countdown=countdown)
    else:
        app.send_task(task, args=args, countdown=countdown)


def task_for_the_sweep(task: str, *args) -> None:
    """Leave a task for the sweep to send: work that failed where it was tried first."""
    OutboxTask.objects.create(task=task, args=list(args))


def outbox_sweep(*, older_than: timedelta = SWEEP_AFTER) -> int:
    """Send what is still owed; stop at the first send that fails. Returns how many were sent."""
    cutoff = timezone.now() - older_than
    sent = 0
    with transaction.atomic():
        # Rows another sweep is sending are skipped, not sent twice.
        due = OutboxTask.objects.select_for_update(skip_locked=True).filter(created_at__lte=cutoff)
        for row in due.order_by("pk")[:SWEEP_BATCH]:
            try:
                with transaction.atomic():
                    _send(row.pk, row.task, row.args)
            except Exception:
                OutboxTask.objects.filter(pk=row.pk).update(failed_sends=F("failed_sends") + 1)
                logger.warning("outbox: the broker is still away; %s waits", row)
                break
            sent += 1
    return sent
