"""Supervision of joint-meeting decisions (交办), like a case's time limit (督办).

Once a day: a decision not done whose due date is within DUE_SOON_DAYS tells
its assignee once (warned_at); one past its due date tells the assignee and the
meeting's own unit once (overdue_notified_at) and, if it is about a case, notes
it on the case's timeline (SUPERVISE). Running it again sends nothing twice.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from disputes.cases.deadlines import DUE_SOON_DAYS
from disputes.cases.models import Case, CaseEvent
from disputes.cases.services.events import event_record
from disputes.core.notes import system_note
from disputes.meetings import policies
from disputes.meetings.models import MeetingDecision
from disputes.meetings.services.meetings import decision_path, site_label
from disputes.oversight.services.notifications import notifications_create

MESSAGE_LENGTH = 200


def decisions_supervise(*, today=None) -> int:
    """Warn about decisions due soon and overdue that were not told yet; how many were told."""
    today = today or timezone.localdate()
    ids = list(
        MeetingDecision.objects.filter(
            done_at__isnull=True,
            due_date__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
        .filter(Q(warned_at__isnull=True) | Q(overdue_notified_at__isnull=True))
        .order_by("due_date", "pk")
        .values_list("pk", flat=True)
    )
    return sum(1 for decision_id in ids if _supervise(decision_id, today))


@transaction.atomic
def _supervise(decision_id: int, today) -> bool:
    decision = (
        MeetingDecision.objects.select_for_update(of=("self",))
        .select_related("meeting", "department", "township")
        .get(pk=decision_id)
    )
    if decision.done_at is not None:
        return False
    now = timezone.now()
    days = (today - decision.due_date).days
    values = {
        "text": decision.text[:80],
        "title": decision.meeting.title[:40],
        "due": decision.due_date.isoformat(),
        "days": days,
        "assignee": site_label(decision),
    }
    link = decision_path(decision.pk)
    if days > 0:
        if decision.overdue_notified_at is not None:
            return False
        users = list(policies.assignee_users(decision))
        users += [u for u in policies.meeting_unit_users(decision.meeting) if u not in users]
        message = system_note(
            gettext_noop(
                "Supervision (督办): the joint-meeting decision “%(text)s” is overdue by"
                " %(days)d days (due %(due)s, %(assignee)s)."
            ),
            **values,
        )
        notifications_create(users=users, message=message[:MESSAGE_LENGTH], link=link)
        decision.overdue_notified_at = now
        decision.warned_at = decision.warned_at or now  # no due-soon warning after this
        decision.save(update_fields=["overdue_notified_at", "warned_at"])
        if decision.case_id is not None:
            case = Case.objects.select_for_update(of=("self",)).get(pk=decision.case_id)
            event_record(
                case,
                None,
                CaseEvent.Action.SUPERVISE,
                system_note(
                    gettext_noop(
                        "Overdue by %(days)d days: the decision of the joint meeting"
                        " “%(title)s” was due %(due)s (%(assignee)s): %(text)s"
                    ),
                    **values,
                ),
            )
        return True
    if decision.warned_at is not None:
        return False
    message = system_note(
        gettext_noop(
            "Due soon: the joint-meeting decision “%(text)s” is due %(due)s (%(assignee)s)."
        ),
        **values,
    )
    notifications_create(
        users=list(policies.assignee_users(decision)), message=message[:MESSAGE_LENGTH], link=link
    )
    decision.warned_at = now
    decision.save(update_fields=["warned_at"])
    return True
