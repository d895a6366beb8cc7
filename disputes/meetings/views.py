"""The joint-meeting pages under /desk/meetings/: thin, selectors read and services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from disputes.cases import policies as case_policies
from disputes.cases.models import Case
from disputes.core.errors import CaseInputError, NotAllowed, TransitionRefused
from disputes.meetings import policies, selectors
from disputes.meetings.forms import (
    EMPTY_ROWS,
    DecisionDoneForm,
    MeetingForm,
    decision_formset,
)
from disputes.meetings.services.meetings import MAX_DECISIONS, decision_done, meeting_record

FIRST_YEAR = 2000


def _meetings_user(request):
    if not policies.may_see_meetings(request.user):
        raise Http404


def _with_states(decisions):
    today = timezone.localdate()
    rows = list(decisions)
    for decision in rows:
        decision.state = selectors.decision_state(decision, today)
        decision.assignee = selectors.assignee_label(decision)
    return rows


@require_GET
@login_required
def meetings_page(request):
    _meetings_user(request)
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "")
    year, errors = this_year, []
    if raw:
        if raw.isdigit() and FIRST_YEAR <= int(raw) <= this_year:
            year = int(raw)
        else:
            errors.append(
                _("The year is a number from %(first)d to %(last)d.")
                % {"first": FIRST_YEAR, "last": this_year}
            )
    unit = policies.recording_unit(request.user)
    count = township_counts = None
    if unit is not None:
        count = selectors.year_count(county_id=unit[0], township_id=unit[1], year=year)
        if unit[1] is None:
            township_counts = selectors.township_year_counts(county_id=unit[0], year=year)
    meetings = list(selectors.meetings_of_year(user=request.user, year=year))
    for meeting in meetings:
        meeting.unit = selectors.unit_label(meeting)
    return render(
        request,
        "meetings/list.html",
        {
            "year": year,
            "years": range(this_year, max(FIRST_YEAR, this_year - 5) - 1, -1),
            "meetings": meetings,
            "count": count,
            "township_counts": township_counts,
            "may_record": unit is not None,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _decision_formset(request, unit, rows: int):
    assignees = selectors.assignee_choices(county_id=unit[0], township_id=unit[1])
    return decision_formset(rows)(
        request.POST or None, prefix="decisions", form_kwargs={"assignees": assignees}
    )


def _rows_wanted(request) -> int:
    """How many empty decision rows to show (?rows=, bounded); a bad value gives the default."""
    raw = request.GET.get("rows", "")
    return min(int(raw), MAX_DECISIONS) if raw.isdigit() and len(raw) < 4 else EMPTY_ROWS


@require_http_methods(["GET", "POST"])
@login_required
def meeting_new_page(request):
    unit = policies.recording_unit(request.user)
    if unit is None:
        raise Http404
    form = MeetingForm(request.POST or None)
    shown = _rows_wanted(request)
    formset = _decision_formset(request, unit, shown)
    errors = []
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            rows = [row for row in (f.row() for f in formset.forms) if row is not None]
            try:
                meeting = meeting_record(
                    actor=request.user,
                    held_on=form.cleaned_data["held_on"],
                    title=form.cleaned_data["title"],
                    units_present=form.cleaned_data["units_present"],
                    minutes=form.cleaned_data["minutes"],
                    case_ids=form.cleaned_data["case_numbers"],
                    decisions=rows,
                )
            except CaseInputError as refused:
                field = {"case_ids": "case_numbers"}.get(refused.field, refused.field)
                if field in form.fields:
                    form.add_error(field, refused.message)
                else:
                    errors.append(refused.message)
            except NotAllowed as refused:
                errors.append(str(refused))
            else:
                messages.success(request, _("The meeting is recorded."))
                return redirect("meeting", meeting_id=meeting.pk)
        errors += [str(e) for e in formset.non_form_errors()]
    return render(
        request,
        "meetings/new.html",
        {
            "form": form,
            "formset": formset,
            "errors": errors,
            "more_rows": min(shown + EMPTY_ROWS, MAX_DECISIONS) if shown < MAX_DECISIONS else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@login_required
def meeting_page(request, meeting_id: int):
    _meetings_user(request)
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    decisions = _with_states(selectors.meeting_decisions(meeting=meeting))
    for decision in decisions:
        decision.may_mark_done = policies.may_mark_done(request.user, decision)
    cases = list(meeting.cases.select_related("category").order_by("pk"))
    visible = set(
        Case.objects.filter(
            case_policies.case_scope_q(request.user), pk__in=[c.pk for c in cases]
        ).values_list("pk", flat=True)
    )
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "unit": selectors.unit_label(meeting),
            "decisions": decisions,
            "cases": [{"case": case, "visible": case.pk in visible} for case in cases],
            "done_form": DecisionDoneForm(),
        },
    )


STATE_FILTERS = ("", *selectors.STATES)


@require_GET
@login_required
def decisions_page(request):
    _meetings_user(request)
    state = request.GET.get("state", "")
    errors = []
    if state not in STATE_FILTERS:
        errors.append(_("Unknown state: choose open, due soon, overdue or done."))
        state = ""
    assigned = _with_states(selectors.decisions_assigned(user=request.user, state=state)[:500])
    for decision in assigned:
        decision.may_mark_done = policies.may_mark_done(request.user, decision)
    area = []
    if policies.covers_meetings(request.user):
        area = _with_states(selectors.decisions_of_area(user=request.user, state=state)[:500])
        for decision in area:
            decision.may_mark_done = policies.may_mark_done(request.user, decision)
    return render(
        request,
        "meetings/decisions.html",
        {
            "state": state,
            "states": [(key, selectors.STATE_LABELS[key]) for key in selectors.STATES],
            "assigned": assigned,
            "area": area,
            "has_area": policies.covers_meetings(request.user),
            "done_form": DecisionDoneForm(),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _back_to(request, fallback):
    target = request.POST.get("next", "")
    if target.startswith("/desk/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@require_http_methods(["GET", "POST"])
@login_required
def decision_page(request, decision_id: int):
    _meetings_user(request)
    decision = selectors.decision_get(user=request.user, decision_id=decision_id)
    form = DecisionDoneForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                decision_done(
                    decision_id=decision.pk, actor=request.user, note=form.cleaned_data["note"]
                )
            except CaseInputError as refused:
                form.add_error("note", refused.message)
            except (NotAllowed, TransitionRefused) as refused:
                form.add_error(None, str(refused))
                status = 409 if isinstance(refused, TransitionRefused) else 403
            else:
                messages.success(request, _("The decision is marked done."))
                return _back_to(request, reverse("meeting-decision", args=[decision.pk]))
        decision = selectors.decision_get(user=request.user, decision_id=decision_id)
    decision.state = selectors.decision_state(decision)
    decision.assignee = selectors.assignee_label(decision)
    case_visible = (
        decision.case_id is not None
        and Case.objects.filter(
            case_policies.case_scope_q(request.user), pk=decision.case_id
        ).exists()
    )
    return render(
        request,
        "meetings/decision.html",
        {
            "decision": decision,
            "meeting": decision.meeting,
            "unit": selectors.unit_label(decision.meeting),
            "may_mark_done": policies.may_mark_done(request.user, decision),
            "case_visible": case_visible,
            "form": form,
        },
        status=status,
    )
