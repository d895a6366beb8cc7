"""Celery tasks: thin, each loads by id and calls one service.

acks_late with reject_on_worker_lost puts a task back on the queue when the
worker dies in the middle of it; the services are safe to run again.
"""

from celery import shared_task

from disputes.core import outbox
from disputes.oversight.tasks import (  # noqa: F401  registered under their names
    notification_email,
    supervision_run,
    zero_reminders,
)
from disputes.services import figures
from disputes.teams.tasks import (  # noqa: F401  registered under their names
    assignments_expire,
    team_proposals_sweep,
    team_propose,
)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def outbox_sweep() -> int:
    return outbox.outbox_sweep()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def figures_refresh() -> int:
    return figures.figures_refresh()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def export_run(export_id: int) -> str:
    from disputes.services import exports

    return exports.export_run(export_id=export_id).status


@shared_task(acks_late=True, reject_on_worker_lost=True)
def bulletin_generate(bulletin_id: int, language: str | None = None) -> str:
    from disputes.models import Bulletin
    from disputes.services import bulletins

    bulletin = Bulletin.objects.get(pk=bulletin_id)
    return bulletins.bulletin_generate(
        county_id=bulletin.county_id,
        township_id=bulletin.township_id,
        month=bulletin.month,
        requested_by=bulletin.requested_by,
        language=language,
    ).status


@shared_task(acks_late=True, reject_on_worker_lost=True)
def bulletins_monthly() -> int:
    from disputes.services import bulletins

    return bulletins.bulletins_monthly()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def exports_expire() -> int:
    from disputes.services import exports

    return exports.exports_expire()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def retention_run() -> dict[str, int]:
    from disputes.services import retention

    return retention.retention_run()
