"""A case's history: each change appends one event, marks its day's figures out of date,
and is announced to the maps once committed.

The roll-up mark (FigureDirtyDay) is inserted in the change's transaction;
the refresh that rebuilds the marked days (disputes.reporting.services.figures)
is queued by task name after the commit, and beat runs it every minute too.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from disputes.cases.models import Case, CaseEvent, FigureDirtyDay
from disputes.cases.signals import case_changed
from disputes.core.outbox import task_send


def event_record(
    case: Case,
    actor,
    action: str,
    note: str = "",
    *,
    from_status=None,
    from_level=None,
    reply: str = "",
    on_date=None,
):
    """Append one event to the case's history; `from_*` default to the case as it is now.

    `note` is internal; `reply` is what the complainant reads (their tracking page,
    Open311's status_notes).

    `on_date` is the day a step recorded afterwards happened (a meeting, a referral).

    `actor` is None for what the platform does by itself. Map tiles showing the
    case are refreshed once the change is committed (case_changed); the roll-up of
    its day is marked for a rebuild.
    """
    lon, lat = case.location.x, case.location.y
    transaction.on_commit(lambda: case_changed.send(sender=Case, lon=lon, lat=lat), robust=True)
    day_mark_dirty(case)
    return CaseEvent.objects.create(
        case=case,
        county_id=case.county_id,
        actor=actor,
        action=action,
        from_status=case.status if from_status is None else from_status,
        to_status=case.status,
        from_level=case.level if from_level is None else from_level,
        to_level=case.level,
        note=note,
        reply=reply.strip(),
        on_date=on_date,
    )


def day_mark_dirty(case: Case) -> None:
    """Mark the case's report day for a rebuild; call inside the transaction that changes it."""
    day = timezone.localdate(case.reported_at) if case.reported_at else timezone.localdate()
    FigureDirtyDay.objects.create(county_id=case.county_id, day=day)
    # robust: with the broker down the change still stands; beat's refresh catches up.
    transaction.on_commit(_queue_refresh, robust=True)


def _queue_refresh() -> None:
    # One queued refresh for a burst of changes: it rebuilds every day marked by then.
    if cache.add("figures:refresh-queued", 1, timeout=5):
        task_send("disputes.tasks.figures_refresh", countdown=5)
