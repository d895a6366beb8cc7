"""The joint meetings' Celery task: thin, it calls one service (named as in disputes.tasks)."""

from celery import shared_task

from disputes.meetings.services import supervision


@shared_task(name="disputes.tasks.decisions_supervise", acks_late=True, reject_on_worker_lost=True)
def decisions_supervise() -> int:
    return supervision.decisions_supervise()
