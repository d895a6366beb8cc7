"""Retention: what is deleted after how long, run nightly by Celery beat.

Each kind has its purge step, `<kind>_purge(now=...) -> rows deleted`, in
its own transaction; `retention_run()` runs every step in PURGE_STEPS. Cases,
parties, attachments, case events, supervision notices, bulletins, zero
reports and the figures are records of the county's work and are kept.
Exports expire on their own schedule (exports.exports_expire,
EXPORT_KEEP_DAYS).
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from knox.models import AuthToken

from disputes.cases.models import PartyAccessLog
from disputes.oversight.models import Notification

logger = logging.getLogger(__name__)


def party_access_logs_purge(*, now: datetime) -> int:
    """Delete the reads of unmasked parties older than PARTY_ACCESS_LOG_KEEP_DAYS.

    The access log is append-only: its trigger allows a DELETE only in a
    transaction that has set grid.purge first, as this one does. It sets it
    back before its block ends, so that, run inside an outer transaction, it
    leaves no other delete allowed.
    """
    cutoff = now - timedelta(days=settings.PARTY_ACCESS_LOG_KEEP_DAYS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('grid.purge', 'on', true)")
        deleted, _by_model = PartyAccessLog.objects.filter(at__lt=cutoff).delete()
        cursor.execute("SELECT set_config('grid.purge', 'off', true)")
    return deleted


def notifications_purge(*, now: datetime) -> int:
    """Delete notifications read more than NOTIFICATION_KEEP_DAYS ago; unread ones stay."""
    cutoff = now - timedelta(days=settings.NOTIFICATION_KEEP_DAYS)
    with transaction.atomic():
        deleted, _by_model = Notification.objects.filter(read_at__lt=cutoff).delete()
    return deleted


def sessions_purge(*, now: datetime) -> int:
    """Delete expired login sessions, as `manage.py clearsessions` does.

    Sessions kept elsewhere than in the database (a cache) expire by
    themselves; their backend's clear_expired() runs and 0 is counted.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if hasattr(store, "get_model_class"):
        deleted, _by_model = store.get_model_class().objects.filter(expire_date__lt=now).delete()
        return deleted
    store.clear_expired()
    return 0


def api_tokens_purge(*, now: datetime) -> int:
    """Delete API tokens past their expiry (knox deletes one only when it is next presented)."""
    deleted, _by_model = AuthToken.objects.filter(expiry__lt=now).delete()
    return deleted


def login_records_purge(*, now: datetime) -> int:
    """Delete django-axes' records of logins older than LOGIN_RECORD_KEEP_DAYS.

    Failure counts (AccessAttempt) are kept only while they can still lock someone out
    (AXES_COOLOFF_TIME); the logs of logins and of failed ones, LOGIN_RECORD_KEEP_DAYS.
    """
    cutoff = now - timedelta(days=settings.LOGIN_RECORD_KEEP_DAYS)
    deleted = AccessAttempt.objects.filter(
        attempt_time__lt=now - settings.AXES_COOLOFF_TIME
    ).delete()[0]
    deleted += AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    deleted += AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return deleted


# (name, step) in the order they run.
PURGE_STEPS: list[tuple[str, Callable[..., int]]] = [
    ("party_access_logs", party_access_logs_purge),
    ("notifications", notifications_purge),
    ("sessions", sessions_purge),
    ("api_tokens", api_tokens_purge),
    ("login_records", login_records_purge),
]


def retention_run(*, now: datetime | None = None) -> dict[str, int]:
    """Run every purge step; the rows each deleted.

    A step that fails does not stop the others: after all have run, the
    first failure is raised again (so the task shows as failed).
    """
    now = now or timezone.now()
    counts = {}
    failures = []
    for name, step in PURGE_STEPS:
        try:
            counts[name] = step(now=now)
        except Exception as exc:
            logger.exception("retention: the %s purge failed", name)
            failures.append(exc)
    logger.info("retention: deleted %s", counts)
    if failures:
        raise failures[0]
    return counts
