"""Oversight's Celery tasks: thin, each calls one service.

Names are those of disputes.tasks, where beat, the outbox and queued messages
find them; acks_late with reject_on_worker_lost puts a task back on the queue
when the worker dies in the middle of it; the services are safe to run again.
"""

from celery import shared_task
from django.db import OperationalError

from disputes.oversight.services import notifications, supervision, zero_reports


@shared_task(name="disputes.tasks.supervision_run", acks_late=True, reject_on_worker_lost=True)
def supervision_run() -> int:
    return supervision.supervision_run()


@shared_task(
    name="disputes.tasks.notification_email",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError, OperationalError),  # smtplib's errors are OSErrors
    retry_backoff=60,
    max_retries=5,
)
def notification_email(notification_id: int) -> bool:
    return notifications.notification_email_send(notification_id=notification_id)


@shared_task(name="disputes.tasks.zero_reminders", acks_late=True, reject_on_worker_lost=True)
def zero_reminders() -> int:
    return zero_reports.zero_reminders_send()
