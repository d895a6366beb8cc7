"""Departments' Celery tasks: thin, each calls one service (names are those of disputes.tasks)."""

from celery import shared_task

from disputes.departments.services import routing


@shared_task(
    name="disputes.tasks.routing_assist_overdue", acks_late=True, reject_on_worker_lost=True
)
def routing_assist_overdue() -> int:
    return routing.routing_assist_overdue_notify()
