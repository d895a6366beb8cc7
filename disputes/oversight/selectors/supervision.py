"""Reads for the supervision (督办) page: the area's cases due soon or overdue, and notifications."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.db.models import Count, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from disputes.cases import policies
from disputes.cases.deadlines import DUE_SOON_DAYS
from disputes.cases.models import Case
from disputes.cases.selectors import UNIT_BOUNDARIES, UNITS
from disputes.cases.services.lifecycle import ACTIVE
from disputes.core.areas import user_county_ids
from disputes.oversight.models import Notification, SupervisionNotice

# The statuses with a running time limit: a resolved case awaits its return visit.
SUPERVISED = (*ACTIVE, Case.Status.RESOLVED)

# ?ordering= value -> the columns it sorts by; most overdue first is the earliest due date.
ORDERINGS = {
    "-days_overdue": ("due_date", "pk"),
    "days_overdue": ("-due_date", "-pk"),
    "due_date": ("due_date", "pk"),
    "-due_date": ("-due_date", "-pk"),
    "unit": ("unit_name", "due_date", "pk"),
    "-unit": ("-unit_name", "due_date", "pk"),
}
DEFAULT_ORDERING = "-days_overdue"


@dataclass(frozen=True)
class BoardFilters:
    stage: str = ""
    level: str = ""
    due: str = ""  # "overdue", "soon" or both
    case_id: int | None = None
    ordering: str = DEFAULT_ORDERING


def supervision_board(*, user, today: date, filters: BoardFilters = BoardFilters()):
    """The cases of the user's area whose time limit runs out within DUE_SOON_DAYS or has.

    Each comes with `unit_name` (the unit holding it), `notices_count` (all its
    supervision notices), and its latest notice's `last_notice_kind` and
    `last_notice_at`. Days overdue are `today - due_date`.
    """
    notices = SupervisionNotice.objects.filter(case=OuterRef("pk"))
    latest = notices.order_by("-issued_at", "-id")
    cases = (
        Case.objects.filter(
            policies.case_scope_q(user),
            status__in=SUPERVISED,
            due_date__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
        .select_related("category", *UNITS)
        .defer(*UNIT_BOUNDARIES)
        .annotate(
            unit_name=models.Case(
                When(level="grid", grid__isnull=False, then=F("grid__name")),
                When(level="village", village__isnull=False, then=F("village__name")),
                When(level="township", township__isnull=False, then=F("township__name")),
                default=F("county__name"),
            ),
            notices_count=Coalesce(
                Subquery(notices.order_by().values("case").annotate(n=Count("pk")).values("n")[:1]),
                Value(0),
            ),
            last_notice_kind=Subquery(latest.values("kind")[:1]),
            last_notice_at=Subquery(latest.values("issued_at")[:1]),
        )
    )
    if filters.stage:
        cases = cases.filter(deadline_kind=filters.stage)
    if filters.level:
        cases = cases.filter(level=filters.level)
    if filters.due == "overdue":
        cases = cases.filter(due_date__lt=today)
    elif filters.due == "soon":
        cases = cases.filter(due_date__gte=today)
    if filters.case_id is not None:
        cases = cases.filter(pk=filters.case_id)
    return cases.order_by(*ORDERINGS.get(filters.ordering, ORDERINGS[DEFAULT_ORDERING]))


def notifications_recent(*, user, limit: int = 20) -> list[Notification]:
    """The user's newest notifications, with what the page shows of their notices.

    Notifications are kept by user and notices by county (docs/scale.md), so the two
    are not joined: the notices are read by the user's counties and their ids.
    """
    recent = list(Notification.objects.filter(user=user).order_by("-created_at", "-id")[:limit])
    wanted = {n.notice_id for n in recent if n.notice_id is not None}
    if not wanted:
        return recent
    notices = SupervisionNotice.objects.filter(county_id__in=user_county_ids(user)).in_bulk(wanted)
    if len(notices) < len(wanted):  # the user has changed county since: rare
        notices |= SupervisionNotice.objects.in_bulk(wanted - notices.keys())
    for notification in recent:
        if notification.notice_id in notices:
            notification.notice = notices[notification.notice_id]
    return recent


def notifications_unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()


def notice_list(*, user):
    """Supervision notices of the cases the user may see, most overdue first."""
    return (
        SupervisionNotice.objects.filter(case__in=Case.objects.filter(policies.case_scope_q(user)))
        .select_related("case__category", "issued_by")
        .order_by("-days_overdue", "-issued_at", "-id")
    )


def notification_list(*, user):
    """The user's in-app notifications, newest first."""
    return (
        Notification.objects.filter(user=user)
        .select_related("notice__case__category")
        .order_by("-created_at", "-id")
    )
