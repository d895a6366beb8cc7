"""包案's Celery task: thin, it calls one service (named as in disputes.tasks)."""

from celery import shared_task

from disputes.ownership.services import reminders


@shared_task(name="disputes.tasks.progress_reminders", acks_late=True, reject_on_worker_lost=True)
def progress_reminders() -> int:
    return reminders.progress_reminders_send()
