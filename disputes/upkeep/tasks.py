"""Upkeep's Celery task: the nightly retention run, under its name in disputes.tasks."""

from celery import shared_task

from disputes.upkeep.services import retention


@shared_task(name="disputes.tasks.retention_run", acks_late=True, reject_on_worker_lost=True)
def retention_run() -> dict[str, int]:
    return retention.retention_run()
