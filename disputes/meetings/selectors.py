"""Reads of joint meetings and their decisions, each scoped to what the user may see."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disputes.cases.deadlines import DUE_SOON_DAYS
from disputes.meetings import policies
from disputes.meetings.models import JointMeeting, MeetingDecision
from villages.models import Department, Township

STATES = ("open", "due_soon", "overdue", "done")
STATE_LABELS = {
    "open": _("open"),
    "due_soon": _("due soon"),
    "overdue": _("overdue"),
    "done": _("done"),
}
OFFICE = "office"


def decision_state(decision: MeetingDecision, today: date | None = None) -> str:
    """ "done", "overdue" (past its due date), "due_soon" (within DUE_SOON_DAYS) or "open"."""
    if decision.done_at is not None:
        return "done"
    today = today or timezone.localdate()
    if today > decision.due_date:
        return "overdue"
    if (decision.due_date - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return "open"


def state_q(state: str, today: date | None = None) -> Q:
    """Decisions in a state (one of STATES) on `today`."""
    today = today or timezone.localdate()
    if state == "done":
        return Q(done_at__isnull=False)
    open_ = Q(done_at__isnull=True)
    if state == "overdue":
        return open_ & Q(due_date__lt=today)
    if state == "due_soon":
        return open_ & Q(due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
    return open_


def assignee_label(decision: MeetingDecision) -> str:
    if decision.department_id is not None:
        return decision.department.name
    if decision.township_id is not None:
        return decision.township.name
    return str(_("the county office"))


def unit_label(meeting: JointMeeting) -> str:
    """Whose conference: the township's name, or the county's."""
    return meeting.township.name if meeting.township_id else meeting.county.name


def _decisions(queryset):
    return queryset.select_related(
        "department", "township", "meeting__township", "meeting__county", "case"
    )


def meetings_of_year(*, user, year: int):
    """The meetings the user may open, held in `year`, newest first, with decision counts."""
    return (
        JointMeeting.objects.filter(policies.meeting_seen_q(user), held_on__year=year)
        .select_related("county", "township")
        .annotate(
            decision_count=Count("decisions", distinct=True),
            open_count=Count("decisions", filter=Q(decisions__done_at__isnull=True), distinct=True),
            case_count=Count("cases", distinct=True),
        )
        .order_by("-held_on", "-id")
    )


def year_count(*, county_id, township_id, year: int) -> dict:
    """How many meetings a county's (township None) or a township's conference held in `year`.

    The target is settings.JOINT_MEETINGS_PER_YEAR for both (the documents: at least 6).
    """
    held = JointMeeting.objects.filter(
        county_id=county_id, township_id=township_id, held_on__year=year
    ).count()
    target = settings.JOINT_MEETINGS_PER_YEAR
    return {"held": held, "target": target, "met": held >= target}


def township_year_counts(*, county_id, year: int) -> list[dict]:
    """Each township of the county with its conference's meetings in `year`, by code."""
    counts = dict(
        JointMeeting.objects.filter(county_id=county_id, township__isnull=False, held_on__year=year)
        .values_list("township_id")
        .annotate(n=Count("id"))
    )
    target = settings.JOINT_MEETINGS_PER_YEAR
    return [
        {"township": township, "held": counts.get(township.pk, 0), "target": target}
        for township in Township.objects.filter(county_id=county_id).order_by("code")
    ]


def meeting_get(*, user, meeting_id: int) -> JointMeeting:
    """A meeting the user may open; Http404 for any other."""
    meeting = (
        JointMeeting.objects.filter(policies.meeting_seen_q(user), pk=meeting_id)
        .select_related("county", "township", "recorded_by")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def meeting_decisions(*, meeting: JointMeeting):
    return _decisions(meeting.decisions.all()).order_by("id")


def decision_get(*, user, decision_id: int) -> MeetingDecision:
    """A decision the user sees (their area's meetings', or assigned to them); Http404 else."""
    decision = (
        _decisions(MeetingDecision.objects.filter(policies.decision_seen_q(user)))
        .select_related("done_by")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        raise Http404
    return decision


def decisions_assigned(*, user, state: str = ""):
    """Decisions assigned to the user's unit (department, township, county office)."""
    rows = MeetingDecision.objects.filter(policies.assigned_to_q(user))
    if state:
        rows = rows.filter(state_q(state))
    return _decisions(rows).order_by("done_at", "due_date", "id")


def decisions_of_area(*, user, state: str = ""):
    """Decisions of the meetings of the user's area (whoever they were assigned to)."""
    rows = MeetingDecision.objects.filter(policies.meeting_area_q(user, "meeting__"))
    if state:
        rows = rows.filter(state_q(state))
    return _decisions(rows).order_by("done_at", "due_date", "id")


def decision_counts(rows) -> dict:
    """How many of `rows` are open (not done), overdue and done today."""
    today = timezone.localdate()
    return rows.aggregate(
        open=Count("id", filter=Q(done_at__isnull=True)),
        overdue=Count("id", filter=Q(done_at__isnull=True, due_date__lt=today)),
        done=Count("id", filter=Q(done_at__isnull=False)),
    )


def assignee_choices(*, county_id, township_id) -> list:
    """The select's choices of who a decision may be assigned to, grouped.

    A county meeting: the county office itself, a county department, a township;
    a township meeting: the township itself or one of its own stations. Keys:
    "office", "t<id>", "d<id>".
    """
    departments = Department.objects.filter(
        county_id=county_id, township_id=township_id, active=True
    ).order_by("name")
    department_group = (
        _("Departments") if township_id is None else _("Stations of the township"),
        [(f"d{d.pk}", d.name) for d in departments],
    )
    if township_id is None:
        townships = Township.objects.filter(county_id=county_id).order_by("code")
        return [
            (OFFICE, _("The county office itself")),
            department_group,
            (_("Townships"), [(f"t{t.pk}", t.name) for t in townships]),
        ]
    township = Township.objects.get(pk=township_id)
    return [
        (f"t{township.pk}", _("%(township)s itself") % {"township": township.name}),
        department_group,
    ]


def case_meetings(*, case) -> list[dict]:
    """The meetings that discussed the case, oldest first, each with its decisions about it."""
    today = timezone.localdate()
    meetings = list(case.joint_meetings.select_related("county", "township").order_by("held_on"))
    decisions = list(
        _decisions(MeetingDecision.objects.filter(case_id=case.pk)).order_by("due_date", "id")
    )
    rows = []
    for meeting in meetings:
        mine = [d for d in decisions if d.meeting_id == meeting.pk]
        for decision in mine:
            decision.state = decision_state(decision, today)
            decision.assignee = assignee_label(decision)
        rows.append({"meeting": meeting, "unit": unit_label(meeting), "decisions": mine})
    return rows
