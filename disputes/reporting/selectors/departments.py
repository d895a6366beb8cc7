"""Departments' figures: what was routed to them (转办) and how they answered, and their ranking.

Counted from the routing slips (disputes.departments.models.Routing) routed in
the period, a few thousand rows a year in a county, so read directly rather
than from a roll-up. A slip counts for the department it was sent to, as lead
(主办) or co-handling (协办). Satisfaction is of the cases a department led
that have had their return visit.
"""

from datetime import date

from django.conf import settings
from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case
from disputes.core.areas import staff_of
from disputes.core.rates import ratio
from disputes.departments.models import Routing
from villages.models import Department, Staff

# key, label, formula; the order of the page.
DEPARTMENT_FIGURES = [
    ("received", _("Routed to the department"), _("routing slips sent in the period")),
    ("lead", _("As lead (主办)"), _("slips asking the department to handle the case")),
    ("assist", _("As co-handling (协办)"), _("slips asking the department for its input")),
    ("accepted", _("Accepted"), _("slips the department accepted")),
    ("returned", _("Returned"), _("slips the department sent back with a reason")),
    (
        "replied",
        _("Replied"),
        _("cases resolved by the department as lead, and co-handling replies"),
    ),
    ("on_time", _("Replied on time"), _("replies by the reply-by date")),
    (
        "overdue_open",
        _("Open past their date"),
        _("slips not yet replied whose reply-by date has passed"),
    ),
    (
        "on_time_rate",
        _("On-time rate"),
        _("replied on time ÷ (replied + open past their date)"),
    ),
    ("return_rate", _("Return rate"), _("returned ÷ routed")),
    (
        "satisfaction_rate",
        _("Satisfaction rate"),
        _("(satisfied + basically satisfied) ÷ cases led and followed up"),
    ),
]
DEPARTMENT_RATES = ("on_time_rate", "return_rate", "satisfaction_rate")
SATISFIED = (Case.Satisfaction.SATISFIED, Case.Satisfaction.BASICALLY_SATISFIED)


def _counters(today: date) -> dict:
    done = Q(status=Routing.Status.DONE)
    lead = Q(role=Routing.Role.LEAD)
    return {
        "received": Count("pk"),
        "lead": Count("pk", filter=lead),
        "assist": Count("pk", filter=Q(role=Routing.Role.ASSIST)),
        "accepted": Count("pk", filter=Q(accepted_at__isnull=False)),
        "returned": Count("pk", filter=Q(status=Routing.Status.RETURNED)),
        "replied": Count("pk", filter=done),
        "on_time": Count("pk", filter=done & Q(replied_at__date__lte=F("reply_by"))),
        "overdue_open": Count("pk", filter=Q(status__in=Routing.OPEN_STATUSES, reply_by__lt=today)),
        "followed_up": Count("pk", filter=lead & done & ~Q(case__satisfaction="")),
        "satisfied": Count("pk", filter=lead & done & Q(case__satisfaction__in=SATISFIED)),
    }


COUNTS = (
    "received",
    "lead",
    "assist",
    "accepted",
    "returned",
    "replied",
    "on_time",
    "overdue_open",
    "followed_up",
    "satisfied",
)


def derive(counts: dict) -> dict:
    """The counts with the rates made from them (None where nothing is below the line)."""
    figures = dict(counts)
    figures["on_time_rate"] = ratio(counts["on_time"], counts["replied"] + counts["overdue_open"])
    figures["return_rate"] = ratio(counts["returned"], counts["received"])
    figures["satisfaction_rate"] = ratio(counts["satisfied"], counts["followed_up"])
    return figures


def _slips(start: date, end: date, category=None):
    slips = Routing.objects.filter(routed_at__date__range=(start, end))
    if category is not None:
        slips = slips.filter(case__category_id=category.pk)
    return slips


def department_figures(*, department: Department, start: date, end: date, today=None) -> dict:
    """One department's figures for the slips routed to it from `start` to `end`."""
    today = today or timezone.localdate()
    counts = _slips(start, end).filter(department_id=department.pk).aggregate(**_counters(today))
    return derive(counts)


def department_ranking(
    *, county, start: date, end: date, township=None, category=None, min_cases=None, today=None
) -> dict:
    """The departments of a county (or a township's stations) ranked like townships.

    By on-time rate, then satisfaction, then the fewest returns; departments with
    fewer than `min_cases` (FIGURES_RANKING_MIN_CASES) slips are listed apart,
    unranked. Inactive departments appear only if something was routed to them.
    """
    today = today or timezone.localdate()
    min_cases = settings.FIGURES_RANKING_MIN_CASES if min_cases is None else min_cases
    departments = Department.objects.filter(county_id=county.pk).select_related("township")
    if township is not None:
        departments = departments.filter(township_id=township.pk)
    rows = {
        row["department_id"]: row
        for row in _slips(start, end, category)
        .filter(department__in=departments)
        .values("department_id")
        .annotate(**_counters(today))
        .order_by()
    }
    empty = dict.fromkeys(COUNTS, 0)
    ranked, left_out = [], []
    # County departments first, then the townships' stations.
    for department in departments.order_by(F("township__code").asc(nulls_first=True), "name"):
        row = rows.get(department.pk)
        if row is None and not department.active:
            continue
        figures = derive({**empty, **{k: v for k, v in (row or {}).items() if k in COUNTS}})
        entry = {
            "id": department.pk,
            "name": department.name,
            "township": department.township.name if department.township_id else "",
            **{key: figures[key] for key in ("received", "returned", "replied", "overdue_open")},
            **{key: figures[key] for key in DEPARTMENT_RATES},
        }
        (ranked if figures["received"] >= min_cases else left_out).append(entry)
    ranked.sort(
        key=lambda e: (
            -(e["on_time_rate"] or 0),
            -(e["satisfaction_rate"] or 0),
            e["return_rate"] or 0,
            -e["received"],
            e["name"],
        )
    )
    for position, entry in enumerate(ranked, 1):
        entry["rank"] = position
    return {"min_cases": min_cases, "ranked": ranked, "left_out": left_out}


def department_for(user, department_id=None) -> Department:
    """The department whose figures the user may read; Http404 outside their area.

    Department staff read their own; the county office any of its county's; a
    township leader their township's stations; an administrator any.
    """
    staff = staff_of(user)
    if staff is not None and staff.role == Staff.Role.DEPARTMENT_STAFF:
        if department_id not in (None, staff.department_id):
            raise Http404
        return staff.department
    if department_id is None:
        raise Http404
    departments = Department.objects.filter(pk=department_id)
    if not user.is_superuser:
        if staff is None:
            raise Http404
        if staff.role == Staff.Role.COUNTY_OFFICE:
            departments = departments.filter(county_id=staff.county_id)
        elif staff.role == Staff.Role.TOWNSHIP_LEADER:
            departments = departments.filter(township_id=staff.township_id)
        else:
            raise Http404
    department = departments.select_related("county", "township").first()
    if department is None:
        raise Http404
    return department
