"""Reads about 包案 leaders: who may be named, who leads a case, what a leader leads."""

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from disputes.cases.models import Case, CaseEvent
from disputes.ownership.models import CaseLeader
from disputes.ownership.selectors.backlog import backlog_summary
from villages.models import Staff

# The leader's "three in person" and the weekly note, as case events.
STEPS = (
    CaseEvent.Action.MEET,
    CaseEvent.Action.PLAN,
    CaseEvent.Action.CHECK,
    CaseEvent.Action.PROGRESS,
)


def eligible_leaders(case: Case):
    """The users who may be made the case's 包案 leader.

    Active township leaders of the case's township, and the county office's staff of
    its county (the county's leaders work there), ordered by role then name.
    """
    township = Q(staff__role=Staff.Role.TOWNSHIP_LEADER, staff__township_id=case.township_id)
    county = Q(staff__role=Staff.Role.COUNTY_OFFICE, staff__county_id=case.county_id)
    if case.township_id is None:
        township = Q(pk__in=[])
    return (
        get_user_model()
        .objects.filter(township | county, is_active=True)
        .select_related("staff__township")
        .order_by("-staff__role", "last_name", "first_name", "username")
    )


def leader_label(user) -> str:
    """ "张三 · 涂埠镇" for a township leader, the name alone for a county leader."""
    name = user.get_full_name() or user.get_username()
    staff = getattr(user, "staff", None)
    if staff is not None and staff.township_id is not None:
        return f"{name} · {staff.township.name}"
    return name


def case_leader_active(case: Case) -> CaseLeader | None:
    return (
        CaseLeader.objects.filter(county_id=case.county_id, case_id=case.pk, ended_at__isnull=True)
        .select_related("leader", "named_by")
        .first()
    )


def case_leaders_earlier(case: Case) -> list[CaseLeader]:
    return list(
        CaseLeader.objects.filter(
            county_id=case.county_id, case_id=case.pk, ended_at__isnull=False
        ).select_related("leader")
    )


def case_steps_last(case: Case) -> dict[str, CaseEvent]:
    """The newest event of each leader step of the case: {"meet": event, "plan": ..., ...}."""
    newest = {}
    events = (
        CaseEvent.objects.filter(county_id=case.county_id, case_id=case.pk, action__in=STEPS)
        .select_related("actor")
        .order_by("-at", "-id")
    )
    for event in events:
        newest.setdefault(event.action, event)
    return newest


def leader_cases(*, user) -> list[dict]:
    """The open cases `user` leads now (active 包案), oldest first.

    Each: {"case", "days_open" (local days since it was reported), "last": the
    newest event's action display and time}.
    """
    if not user.is_authenticated:
        return []
    last = CaseEvent.objects.filter(case_id=OuterRef("pk")).order_by("-at", "-id")
    cases = (
        Case.objects.filter(
            leaders__leader=user, leaders__ended_at__isnull=True, status__in=Case.OPEN_STATUSES
        )
        .select_related("category", "township", "village")
        .annotate(
            last_action=Subquery(last.values("action")[:1]),
            last_at=Subquery(last.values("at")[:1]),
        )
        .order_by("reported_at", "pk")
    )
    today = timezone.localdate()
    labels = dict(CaseEvent.Action.choices)
    return [
        {
            "case": case,
            "days_open": (today - timezone.localdate(case.reported_at)).days,
            "last_action": labels.get(case.last_action, case.last_action),
            "last_at": case.last_at,
        }
        for case in cases
    ]


def desk_home_part(*, user) -> dict:
    """What the desk home shows of 包案 (ownership/_desk_home.html): the cases the user
    leads, and for area leaders their backlog's summary (backlog.backlog_summary)."""
    return {"led_cases": leader_cases(user=user), "backlog_summary": backlog_summary(user=user)}
