"""The weekly reminder: backlog cases that lacked last week's progress note (每周上报推进情况)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from disputes.oversight.models import Notification
from disputes.oversight.services.notifications import notifications_create
from disputes.ownership.selectors.backlog import progress_missing_by_user, week_monday

# pg_advisory_xact_lock key: two runs at once remind once.
_LOCK_KEY = 0x42_41_43_4B  # "BACK"


def reminder_link(monday) -> str:
    """The backlog page for that week: also what makes the reminder once per week and user."""
    return f"{reverse('desk-backlog')}?week={monday.isoformat()}"


@transaction.atomic
def progress_reminders_send(*, now: datetime | None = None) -> int:
    """Tell each leader and holder of backlog cases without last week's note how many, once.

    "Last week" is the ISO week before the one of `now`. A user who already has
    the reminder of that week (same link) is not told again, so beat may run
    this any number of times. Returns how many notifications were created.
    """
    now = now or timezone.now()
    monday = week_monday(timezone.localdate(now)) - timedelta(weeks=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    counts = progress_missing_by_user(monday=monday, now=now)
    link = reminder_link(monday)
    told = set(
        Notification.objects.filter(link=link, user_id__in=counts).values_list("user_id", flat=True)
    )
    users = get_user_model().objects.filter(pk__in=set(counts) - told, is_active=True)
    created = 0
    for user in users:
        with translation.override(settings.LANGUAGE_CODE):
            message = ngettext(
                "%(count)d backlog case had no weekly progress note in the week of %(monday)s.",
                "%(count)d backlog cases had no weekly progress note in the week of %(monday)s.",
                counts[user.pk],
            ) % {"count": counts[user.pk], "monday": monday.isoformat()}
        created += len(notifications_create(users=[user], message=message[:200], link=link))
    return created
