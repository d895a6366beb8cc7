"""The alerts' Celery task: thin, it calls the service (named as in disputes.tasks)."""

from celery import shared_task

from disputes.alerts.services import alerts


@shared_task(name="disputes.tasks.hotspot_alerts", acks_late=True, reject_on_worker_lost=True)
def hotspot_alerts() -> int:
    return len(alerts.alerts_run())
