"""Reads for 转办: where a case may be routed (suggested first, with each department's load),
a case's routing slips, and a department's work list.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disputes.cases.deadlines import due_state
from disputes.core.areas import staff_of
from disputes.departments.models import CategoryRoute, Routing
from disputes.departments.selectors.load import department_loads
from villages.models import Department, Staff

RECENT_REPLIES_SHOWN = 10
WORK_LIST_SHOWN = 50


def departments_routable(*, user, case, inactive: bool = False):
    """The active departments `user` may route `case` to, by name (`inactive`: those too,
    e.g. to withdraw a slip from a department closed since).

    The county office (or a superuser): every department of the case's county; a
    township leader: only their own township's stations (乡镇站所). Nobody else.
    """
    departments = Department.objects.filter(county_id=case.county_id)
    if not inactive:
        departments = departments.filter(active=True)
    if user.is_superuser:
        return departments.order_by("name", "pk")
    staff = staff_of(user)
    if staff is None:
        return departments.none()
    if staff.role == Staff.Role.COUNTY_OFFICE and staff.county_id == case.county_id:
        return departments.order_by("name", "pk")
    if staff.role == Staff.Role.TOWNSHIP_LEADER:
        return departments.filter(township_id=staff.township_id).order_by("name", "pk")
    return departments.none()


def routing_candidates(*, user, case) -> list[dict]:
    """[{department, suggested, open, overdue}]: those mapped to the case's category first.

    `suggested`: the county office maps the case's category to the department
    (CategoryRoute); `open` / `overdue`: its open slips and those past reply-by.
    """
    departments = list(departments_routable(user=user, case=case))
    mapped = set(
        CategoryRoute.objects.filter(
            county_id=case.county_id, category_id=case.category_id
        ).values_list("department_id", flat=True)
    )
    loads = department_loads([d.pk for d in departments])
    rows = [{"department": d, "suggested": d.pk in mapped, **loads[d.pk]} for d in departments]
    rows.sort(key=lambda row: not row["suggested"])  # stable: by name within each group
    return rows


def slip_overdue(slip: Routing, today) -> bool:
    """A slip past its date: not accepted by accept-by, or not replied by reply-by."""
    if slip.status == Routing.Status.PENDING and today > slip.accept_by:
        return True
    return slip.status in Routing.OPEN_STATUSES and today > slip.reply_by


def case_routings(*, case) -> list[dict]:
    """The case's slips, newest first: [{slip, overdue, due}] for its routing part."""
    today = timezone.localdate()
    slips = Routing.objects.filter(county_id=case.county_id, case_id=case.pk).select_related(
        "department", "routed_by", "replied_by"
    )
    return [
        {
            "slip": slip,
            "overdue": slip_overdue(slip, today),
            "due": due_state(slip.reply_by, today) if slip.status in Routing.OPEN_STATUSES else "",
        }
        for slip in slips
    ]


def open_slip_of(*, user, case) -> Routing | None:
    """The open slip (pending or accepted) of the user's department on the case, if any."""
    staff = staff_of(user)
    if staff is None or staff.role != Staff.Role.DEPARTMENT_STAFF:
        return None
    return (
        Routing.objects.filter(
            county_id=case.county_id,
            case_id=case.pk,
            department_id=staff.department_id,
            status__in=Routing.OPEN_STATUSES,
        )
        .select_related("department")
        .first()
    )


def open_slips(*, case) -> list[Routing]:
    """The case's open slips (pending or accepted), lead first."""
    slips = Routing.objects.filter(
        county_id=case.county_id, case_id=case.pk, status__in=Routing.OPEN_STATUSES
    ).select_related("department")
    return sorted(slips, key=lambda slip: (slip.role != Routing.Role.LEAD, slip.department.name))


def department_desk(*, user) -> dict | None:
    """A department's work list for its staff's desk home; None for anyone else.

    {department, sections: [{key, title, count, rows: [{slip, overdue}]}]}: slips to
    accept, in handling, overdue, co-handling requests waiting and recent replies,
    each with its case, newest first (overdue: earliest reply-by first).
    """
    staff = staff_of(user)
    if staff is None or staff.role != Staff.Role.DEPARTMENT_STAFF or staff.department_id is None:
        return None
    today = timezone.localdate()
    slips = Routing.objects.filter(department_id=staff.department_id).select_related(
        "case", "case__category", "case__township", "case__village"
    )
    lead, assist = Q(role=Routing.Role.LEAD), Q(role=Routing.Role.ASSIST)
    overdue = Q(status=Routing.Status.PENDING, accept_by__lt=today) | Q(
        status__in=Routing.OPEN_STATUSES, reply_by__lt=today
    )
    lists = {
        "to-accept": slips.filter(lead, status=Routing.Status.PENDING),
        "in-handling": slips.filter(lead, status=Routing.Status.ACCEPTED),
        "overdue": slips.filter(overdue).order_by("reply_by", "pk"),
        "assist": slips.filter(assist, status__in=Routing.OPEN_STATUSES),
        "replies": slips.filter(status=Routing.Status.DONE).order_by("-replied_at", "-pk"),
    }
    titles = {
        "to-accept": _("Waiting for your acceptance"),
        "in-handling": _("In handling"),
        "overdue": _("Overdue"),
        "assist": _("Co-handling requests waiting for your reply"),
        "replies": _("Recent replies"),
    }
    sections = []
    for key, rows in lists.items():
        shown = RECENT_REPLIES_SHOWN if key == "replies" else WORK_LIST_SHOWN
        sections.append(
            {
                "key": key,
                "title": titles[key],
                "count": rows.count(),
                "rows": [
                    {"slip": slip, "overdue": slip_overdue(slip, today)} for slip in rows[:shown]
                ],
            }
        )
    return {"department": staff.department, "sections": sections}


def assist_slips_overdue(*, county_id=None) -> list[Routing]:
    """Co-handling slips still open past their reply-by date (for the routing unit's eye)."""
    slips = Routing.objects.filter(
        role=Routing.Role.ASSIST,
        status__in=Routing.OPEN_STATUSES,
        reply_by__lt=timezone.localdate(),
    ).select_related("department", "case")
    if county_id is not None:
        slips = slips.filter(county_id=county_id)
    return list(slips.order_by("reply_by", "pk"))
