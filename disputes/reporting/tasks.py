"""Reporting's Celery tasks: thin, each loads by id and calls one service.

Names are those of disputes.tasks, where beat, the outbox and queued messages
find them; acks_late with reject_on_worker_lost puts a task back on the queue
when the worker dies in the middle of it; the services are safe to run again.
"""

from celery import shared_task

from disputes.reporting.models import Bulletin
from disputes.reporting.services import bulletins, exports, figures


@shared_task(name="disputes.tasks.figures_refresh", acks_late=True, reject_on_worker_lost=True)
def figures_refresh() -> int:
    return figures.figures_refresh()


@shared_task(name="disputes.tasks.export_run", acks_late=True, reject_on_worker_lost=True)
def export_run(export_id: int) -> str:
    return exports.export_run(export_id=export_id).status


@shared_task(name="disputes.tasks.bulletin_generate", acks_late=True, reject_on_worker_lost=True)
def bulletin_generate(bulletin_id: int, language: str | None = None) -> str:
    bulletin = Bulletin.objects.get(pk=bulletin_id)
    return bulletins.bulletin_generate(
        county_id=bulletin.county_id,
        township_id=bulletin.township_id,
        month=bulletin.month,
        requested_by=bulletin.requested_by,
        language=language,
    ).status


@shared_task(name="disputes.tasks.bulletins_monthly", acks_late=True, reject_on_worker_lost=True)
def bulletins_monthly() -> int:
    return bulletins.bulletins_monthly()


@shared_task(name="disputes.tasks.exports_expire", acks_late=True, reject_on_worker_lost=True)
def exports_expire() -> int:
    return exports.exports_expire()
