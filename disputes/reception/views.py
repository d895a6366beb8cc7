"""The reception pages under /desk/reception/: thin, selectors read and services write."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused
from disputes.reception import policies, selectors
from disputes.reception.forms import (
    ReasonForm,
    ScheduleForm,
    SessionChangeForm,
    SwapForm,
    VisitForm,
    month_parse,
)
from disputes.reception.services import ledger, schedules, session_changes
from villages.models import Department


def _keeper(request):
    if not policies.may_keep(request.user):
        raise Http404


def _status(refused) -> int:
    if isinstance(refused, TransitionRefused):
        return 409
    if isinstance(refused, NotAllowed):
        return 403
    return 400


def _message(refused) -> str:
    return refused.message if isinstance(refused, CaseInputError) else str(refused)


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@require_GET
@login_required
def calendar_page(request):
    _keeper(request)
    today = timezone.localdate()
    raw = request.GET.get("month", "")
    parsed = month_parse(raw) if raw else (today.year, today.month)
    errors = []
    if parsed is None:
        errors.append(_("The month is written YYYY-MM, e.g. 2026-12."))
        parsed = (today.year, today.month)
    year, month = parsed
    sessions = selectors.sessions_of_month(user=request.user, year=year, month=month)
    return render(
        request,
        "reception/calendar.html",
        {
            "month": f"{year:04d}-{month:02d}",
            "first_day": date(year, month, 1),
            "previous": _shift(year, month, -1),
            "next": _shift(year, month, 1),
            "weeks": selectors.month_weeks(year, month, sessions),
            "sessions": sessions,
            "has_schedules": selectors.schedules_of_unit(user=request.user).exists(),
            "errors": errors,
            "today": today,
        },
        status=400 if errors else 200,
    )


def _departments(user):
    county_id, township_id = policies.keeping_unit(user)
    departments = Department.objects.filter(county_id=county_id, active=True)
    if township_id is not None:
        departments = departments.filter(township__isnull=True) | departments.filter(
            township_id=township_id
        )
    return departments.order_by("township_id", "name")


@require_http_methods(["GET", "POST"])
@login_required
def schedules_page(request):
    _keeper(request)
    form = ScheduleForm(
        request.POST or None,
        departments=_departments(request.user),
        initial={"first_date": timezone.localdate(), "capacity": 6},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                schedules.schedule_create(
                    actor=request.user,
                    weekday=data["weekday"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data["place"],
                    leaders=data["leaders"],
                    department_id=data["department"],
                    capacity=data["capacity"],
                    first_date=data["first_date"],
                )
            except CaseInputError as refused:
                form.add_error(
                    refused.field if refused.field in form.fields else None, refused.message
                )
            except NotAllowed as refused:
                form.add_error(None, str(refused))
                status = 403
            else:
                messages.success(request, _("The reception schedule is saved."))
                return redirect("reception-schedules")
    return render(
        request,
        "reception/schedules.html",
        {"form": form, "schedules": selectors.schedules_of_unit(user=request.user)},
        status=status,
    )


@require_POST
@login_required
def schedule_stop(request, schedule_id: int):
    _keeper(request)
    if not selectors.schedules_of_unit(user=request.user).filter(pk=schedule_id).exists():
        raise Http404
    schedules.schedule_stop(actor=request.user, schedule_id=schedule_id)
    messages.success(request, _("No more sessions will be made from this schedule."))
    return redirect("reception-schedules")


@require_POST
@login_required
def generate(request):
    _keeper(request)
    parsed = month_parse(request.POST.get("month", ""))
    if parsed is None:
        return _refused(request, _("The month is written YYYY-MM, e.g. 2026-12."), 400)
    try:
        made = schedules.sessions_generate(actor=request.user, year=parsed[0], month=parsed[1])
    except (CaseInputError, NotAllowed) as refused:
        return _refused(request, _message(refused), _status(refused))
    messages.success(
        request,
        ngettext(
            "%(n)d reception session is made for this month.",
            "%(n)d reception sessions are made for this month.",
            len(made),
        )
        % {"n": len(made)},
    )
    return redirect(reverse("reception") + f"?month={parsed[0]:04d}-{parsed[1]:02d}")


def _refused(request, message, status, back=None):
    return render(
        request,
        "reception/refused.html",
        {"message": message, "back": back or reverse("reception")},
        status=status,
    )


def _session_page(request, session, *, forms=None, errors=(), status=200):
    forms = forms or {}
    return render(
        request,
        "reception/session.html",
        {
            "session": session,
            "bookings": selectors.session_bookings(user=request.user, session=session),
            "ledger": selectors.session_ledger(user=request.user, session=session),
            "cancel_form": forms.get("cancel") or ReasonForm(prefix="cancel"),
            "change_form": forms.get("change")
            or SessionChangeForm(
                prefix="change",
                initial={"leader_name": session.leader_name, "leader_title": session.leader_title},
            ),
            "visit_form": forms.get("visit")
            or VisitForm(
                prefix="visit",
                initial={"received_by": session.receiver, "case_number": _case_asked(request)},
            ),
            "swap_form": forms.get("swap") or SwapForm(prefix="swap"),
            "move_sessions": selectors.sessions_after(user=request.user, session=session),
            "today": timezone.localdate(),
            "errors": errors,
        },
        status=status,
    )


def _case_asked(request):
    raw = request.GET.get("case", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@require_GET
@login_required
def session_page(request, session_id: int):
    _keeper(request)
    session = selectors.session_get(user=request.user, session_id=session_id)
    return _session_page(request, session)


def _session_post(request, session_id, name, form_class, call):
    _keeper(request)
    session = selectors.session_get(user=request.user, session_id=session_id)
    form = form_class(request.POST, prefix=name)
    if not form.is_valid():
        return _session_page(request, session, forms={name: form}, status=400)
    try:
        done = call(session, form.cleaned_data)
    except (CaseInputError, NotAllowed, TransitionRefused) as refused:
        field = getattr(refused, "field", None)
        form.add_error(field if field in form.fields else None, _message(refused))
        session = selectors.session_get(user=request.user, session_id=session_id)
        return _session_page(request, session, forms={name: form}, status=_status(refused))
    messages.success(request, done)
    return redirect("reception-session", session_id=session.pk)


@require_POST
@login_required
def session_cancel(request, session_id: int):
    def call(session, data):
        session_changes.session_cancel(
            actor=request.user, session_id=session.pk, reason=data["reason"]
        )
        return _("The reception day is cancelled; the booked complainants are told by SMS.")

    return _session_post(request, session_id, "cancel", ReasonForm, call)


@require_POST
@login_required
def session_change(request, session_id: int):
    def call(session, data):
        session_changes.session_change(
            actor=request.user,
            session_id=session.pk,
            leader_name=data["leader_name"],
            leader_title=data["leader_title"],
            note=data["note"],
        )
        return _("Another leader receives on this day.")

    return _session_post(request, session_id, "change", SessionChangeForm, call)


@require_POST
@login_required
def session_swap(request, session_id: int):
    def call(session, data):
        session_changes.session_swap(
            actor=request.user, session_id=session.pk, other_id=data["other"]
        )
        return _("The two reception days exchange their leaders.")

    return _session_post(request, session_id, "swap", SwapForm, call)


@require_POST
@login_required
def session_visit(request, session_id: int):
    def call(session, data):
        visit = ledger.visit_record(
            actor=request.user,
            session_id=session.pk,
            case_id=data["case_number"],
            received_by=data["received_by"],
            visitors=data["visitors"],
            statement=data["statement"],
            answer=data["answer"],
            agreed=data["agreed"],
        )
        return _("Case #%(case)s is registered in the ledger.") % {"case": visit.case_id}

    return _session_post(request, session_id, "visit", VisitForm, call)


@require_GET
@login_required
def ledger_page(request, session_id: int):
    _keeper(request)
    session = selectors.session_get(user=request.user, session_id=session_id)
    return render(
        request,
        "reception/ledger.html",
        {
            "session": session,
            "ledger": selectors.session_ledger(user=request.user, session=session),
            "printed_at": timezone.localtime(),
        },
    )
