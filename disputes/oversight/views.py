"""The leaders' oversight pages: supervision (督办), the area's cases due soon or overdue and notices by hand; the daily zero report (每天零报告), who has not reported and compliance."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from disputes.cases import policies, selectors
from disputes.cases.models import Case, Level
from disputes.core.areas import user_units
from disputes.core.errors import NotAllowed, TransitionRefused
from disputes.oversight.models import SupervisionNotice
from disputes.oversight.selectors import supervision as board
from disputes.oversight.selectors import zero_reports as zr
from disputes.oversight.services import notifications, supervision

NOTE_MAX_LENGTH = 2000
PAGE_SIZE = 50


def _home(user):
    level, unit = user_units(user)
    if unit is None:
        raise Http404
    return level, unit


def _filters(params: QueryDict) -> board.BoardFilters:
    case_id = params.get("case", "")
    return board.BoardFilters(
        stage=params.get("stage", "") if params.get("stage") in Case.DeadlineKind.values else "",
        level=params.get("level", "") if params.get("level") in Level.values else "",
        due=params.get("due", "") if params.get("due") in ("overdue", "soon") else "",
        case_id=int(case_id) if case_id.isdigit() else None,
        ordering=params.get("ordering", "")
        if params.get("ordering") in board.ORDERINGS
        else board.DEFAULT_ORDERING,
    )


def _page(request, params: QueryDict, *, error: str = "", status: int = 200):
    level, unit = _home(request.user)
    today = timezone.localdate()
    filters = _filters(params)
    cases = board.supervision_board(user=request.user, today=today, filters=filters)
    page = Paginator(cases, PAGE_SIZE).get_page(params.get("page"))
    rows = [
        {
            "case": case,
            "days_overdue": (today - case.due_date).days,
            "days_left": (case.due_date - today).days,
            "last_notice": SupervisionNotice.Kind(case.last_notice_kind).label
            if case.last_notice_kind
            else "",
            "may_issue": policies.leads_over(request.user, case),
        }
        for case in page
    ]
    recent = board.notifications_recent(user=request.user)
    unread = board.notifications_unread_count(user=request.user)
    # Opening the page is reading what it shows.
    notifications.notifications_read(
        user=request.user, ids=[n.pk for n in recent if n.read_at is None]
    )
    kept = params.copy()
    kept.pop("page", None)
    sort = params.copy()
    for key in ("ordering", "page"):
        sort.pop(key, None)
    return render(
        request,
        "disputes/supervision.html",
        {
            "home_level": level,
            "home": unit,
            "filters": filters,
            "rows": rows,
            "page": page,
            "query": kept.urlencode(),
            "sort_query": sort.urlencode(),
            "full_query": params.urlencode(),
            "stages": Case.DeadlineKind.choices,
            "levels": Level.choices,
            "notifications": [_notification_row(n) for n in recent],
            "unread": unread,
            "error": error,
        },
        status=status,
    )


def _notification_row(notification) -> dict:
    notice = notification.notice
    if notice is None:
        return {"item": notification, "text": notification.message, "link": notification.link}
    values = notifications.notice_values(notice)
    text = {
        SupervisionNotice.Kind.DUE_SOON: _(
            "Case #%(case)d is due soon: %(stage)s by %(due)s (%(unit)s)"
        ),
        SupervisionNotice.Kind.OVERDUE: _(
            "Case #%(case)d is overdue by %(days)d days: %(stage)s was due %(due)s (%(unit)s)"
        ),
        SupervisionNotice.Kind.MANUAL: _(
            "Case #%(case)d is supervised by a leader: %(stage)s due %(due)s (%(unit)s)"
        ),
    }[notice.kind] % values
    return {"item": notification, "text": text, "link": notifications.notice_path(notice)}


@require_GET
@login_required
def supervision_page(request):
    return _page(request, request.GET)


@require_POST
@login_required
def supervision_notice(request, case_id: int):
    """Issue a 督办单 by hand from the page (township leader or above over the case)."""
    _home(request.user)
    case = selectors.case_get(user=request.user, case_id=case_id)  # Http404 outside the area
    back = request.POST.get("next", "")
    params = QueryDict(back)
    note = request.POST.get("note", "").strip()
    if not note:
        return _page(request, params, error=_("A notice needs a note."), status=400)
    if len(note) > NOTE_MAX_LENGTH:
        return _page(
            request,
            params,
            error=_("A note is at most %(max)d characters.") % {"max": NOTE_MAX_LENGTH},
            status=400,
        )
    try:
        supervision.notice_issue_by_hand(case_id=case.pk, actor=request.user, note=note)
    except NotAllowed as refused:
        return _page(request, params, error=str(refused), status=403)
    except TransitionRefused as refused:
        return _page(request, params, error=str(refused), status=409)
    messages.success(
        request, _("Supervision notice issued for case #%(case)d.") % {"case": case.pk}
    )
    url = f"{reverse('supervision')}?{back}" if back else reverse("supervision")
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = reverse("supervision")
    return redirect(url)


COMPLIANCE_DAYS = 30


FIRST_DAY = date(2000, 1, 1)


def _day(value: str, today: date) -> date:
    """The day asked for, within 2000 to today; today for anything else."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return today
    return today if day < FIRST_DAY else min(day, today)


@require_GET
@login_required
def zero_reports_page(request):
    level, unit = zr.zero_report_area(request.user)
    if unit is None:
        raise Http404
    today = timezone.localdate()
    day = _day(request.GET.get("day", ""), today)
    start = day - timedelta(days=COMPLIANCE_DAYS - 1)
    grids = zr.zero_report_grids(user=request.user)
    reported, due = zr.zero_report_compliance(grids_qs=grids, start=start, end=day)
    villages = zr.zero_report_compliance_by_village(grids_qs=grids, start=start, end=day)
    for row in villages:
        row["percent"] = None if row["rate"] is None else 100 * row["rate"]
    return render(
        request,
        "disputes/zero_reports.html",
        {
            "home_level": level,
            "home": unit,
            "day": day,
            "today": today,
            "missing": zr.zero_report_missing(user=request.user, day=day),
            "start": start,
            "days_reported": reported,
            "days_due": due,
            "percent": 100 * reported / due if due else None,
            "villages": villages,
        },
    )
