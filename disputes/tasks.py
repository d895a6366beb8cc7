"""Every Celery task of the app, under the names beat, the outbox and queued messages use.

The tasks live with their capability (disputes/<capability>/tasks.py) and keep
their names "disputes.tasks.<name>"; this module imports them so that Celery's
autodiscovery registers them all. Each is thin: it calls one service.
acks_late with reject_on_worker_lost puts a task back on the queue when the
worker dies in the middle of it; the services are safe to run again.
"""

from celery import shared_task

from disputes.alerts.tasks import hotspot_alerts  # noqa: F401  registered under its name
from disputes.core import outbox
from disputes.departments.tasks import routing_assist_overdue  # noqa: F401  by its name
from disputes.meetings.tasks import decisions_supervise  # noqa: F401  registered under its name
from disputes.oversight.tasks import (  # noqa: F401  registered under their names
    notification_email,
    supervision_run,
    zero_reminders,
)
from disputes.ownership.tasks import progress_reminders  # noqa: F401  registered under its name
from disputes.reporting.tasks import (  # noqa: F401  registered under their names
    bulletin_generate,
    bulletins_monthly,
    export_run,
    exports_expire,
    figures_refresh,
)
from disputes.teams.tasks import (  # noqa: F401  registered under their names
    assignments_expire,
    team_proposals_sweep,
    team_propose,
)
from disputes.upkeep.tasks import retention_run  # noqa: F401  registered under its name


@shared_task(acks_late=True, reject_on_worker_lost=True)
def outbox_sweep() -> int:
    return outbox.outbox_sweep()
