"""The leaders' reporting pages: figures (报) with their CSV, monthly bulletins (月度通报) with their PDF and XLSX, and case exports."""

import csv
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from disputes.cases.models import Case, Category
from disputes.core.areas import staff_of, user_units
from disputes.core.errors import CaseInputError, NotAllowed
from disputes.core.private_files import private_file_response
from disputes.core.spreadsheet_text import csv_text
from disputes.reporting.api import DepartmentFiguresQuery, FiguresQuery, figures_report_for
from disputes.reporting.formatting import figure, figure_rows
from disputes.reporting.models import AssessmentTarget, Export, JobStatus
from disputes.reporting.selectors import figures as figure_selectors
from disputes.reporting.selectors.assessment import assessment, measures_for
from disputes.reporting.selectors.bulletins import bulletin_get, bulletin_list, bulletin_units
from disputes.reporting.selectors.departments import (
    DEPARTMENT_FIGURES,
    DEPARTMENT_RATES,
    department_figures,
    department_for,
)
from disputes.reporting.services import bulletins as bulletin_services
from disputes.reporting.services.assessment import targets_save
from disputes.reporting.services.bulletin_files import bulletin_context
from disputes.reporting.services.bulletin_xlsx import XLSX_TYPE
from disputes.teams.selectors import team_list
from villages.models import Staff, Township


def _report(request):
    """(query, report or None, errors) for the page's GET parameters."""
    # The page's form sends the fields left empty; the API refuses empty values.
    query = FiguresQuery(data={key: value for key, value in request.GET.items() if value != ""})
    if not query.is_valid():
        return query, None, query.errors
    return query, figures_report_for(request.user, query.validated_data), None


def _error_lines(errors) -> list[str]:
    return [str(message) for messages in errors.values() for message in messages]


def _form_values(query, report) -> dict:
    """What the form shows: the period computed (defaults included), else what was typed."""
    keys = ("level", "code", "start", "end", "team", "category")
    values = {key: query.data.get(key, "") for key in keys}
    if report:
        values["start"], values["end"] = report["period"]["start"], report["period"]["end"]
        values["level"], values["code"] = report["unit"]["level"], report["unit"]["code"]
    return values


@require_GET
@login_required
def figures_page(request):
    units = figure_selectors.figures_units(request.user)
    if not units:
        raise Http404
    home_level, home = units[0]
    query, report, errors = _report(request)
    return render(
        request,
        "disputes/figures.html",
        {
            "home_level": home_level,
            "home": home,
            "units": units,
            "teams": team_list(user=request.user).order_by("name"),
            "categories": Category.objects.filter(active=True),
            "query": _form_values(query, report),
            "errors": _error_lines(errors) if errors else [],
            "report": report,
            "rows": figure_rows(report) if report else [],
            "trend_max": max([m["received"] for m in report["trend"]] + [1]) if report else 1,
        },
        status=400 if errors else 200,
    )


@require_GET
@login_required
def department_figures_page(request):
    """A department's own figures (转办): its staff's, or one the county or township looks at."""
    query = DepartmentFiguresQuery(
        data={key: value for key, value in request.GET.items() if value != ""}
    )
    if not query.is_valid():
        context = {"department": None, "errors": _error_lines(query.errors), "query": request.GET}
        return render(request, "disputes/department_figures.html", context, status=400)
    data = query.validated_data
    department = department_for(request.user, data.get("department"))
    context = {"department": department, "errors": [], "query": request.GET}
    figures = department_figures(department=department, start=data["start"], end=data["end"])
    context["period"] = {"start": data["start"], "end": data["end"]}
    context["rows"] = [
        {
            "key": key,
            "label": label,
            "formula": formula,
            "value": figure(figures[key], key in DEPARTMENT_RATES),
        }
        for key, label, formula in DEPARTMENT_FIGURES
    ]
    return render(request, "disputes/department_figures.html", context)


@require_GET
@login_required
def figures_csv(request):
    _query, report, errors = _report(request)
    if errors:
        return HttpResponse(
            "\n".join(_error_lines(errors)), status=400, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="figures-{report["unit"]["code"]}-{report["period"]["start"]}-{report["period"]["end"]}.csv"'
    )
    response.write("\ufeff")  # Excel reads UTF-8 Chinese only with the mark
    writer = csv.writer(response)
    writer.writerow(
        [csv_text(report["unit"]["name"]), report["period"]["start"], report["period"]["end"]]
    )
    writer.writerow(
        [
            _("Figure"),
            _("Value"),
            _("Formula"),
            _("Previous period"),
            _("Change on previous period"),
            _("Same period last year"),
            _("Change on last year"),
        ]
    )
    for row in figure_rows(report):
        writer.writerow(
            [
                row["label"],
                row["value"],
                row["formula"],
                row["previous"],
                row["mom"],
                row["last_year"],
                row["yoy"],
            ]
        )
    return response


class BulletinRequestForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("Unit"))
    month = forms.CharField(
        label=gettext_lazy("Month"), widget=forms.DateInput(attrs={"type": "month"})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        many = len(units) > 1
        self.fields["unit"].choices = [
            (f"{county_id}:{township_id or ''}", f"— {name}" if township_id and many else name)
            for county_id, township_id, name in units
        ]

    def clean_month(self) -> date:
        value = self.cleaned_data["month"]
        try:
            return date.fromisoformat(f"{value}-01")
        except ValueError:
            raise forms.ValidationError(_("Give a month as YYYY-MM.")) from None

    def unit_ids(self) -> tuple[int, int | None]:
        county, township = self.cleaned_data["unit"].split(":")
        return int(county), int(township) if township else None


def _frame(request) -> dict:
    """What maps/base.html shows in its bar."""
    home_level, home = user_units(request.user)
    return {"home_level": home_level, "home": home}


@require_http_methods(["GET", "POST"])
@login_required
def bulletins_page(request):
    units = bulletin_units(user=request.user)
    if not units:
        raise Http404
    last_month = bulletin_services.last_month(timezone.localdate())
    form = BulletinRequestForm(
        request.POST or None,
        units=units,
        initial={"month": last_month.strftime("%Y-%m")},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            county_id, township_id = form.unit_ids()
            try:
                bulletin_services.bulletin_request(
                    user=request.user,
                    county_id=county_id,
                    township_id=township_id,
                    month=form.cleaned_data["month"],
                )
            except NotAllowed:
                raise Http404 from None
            except bulletin_services.MonthNotAllowed as error:
                form.add_error("month", str(error))
            else:
                messages.success(request, _("The bulletin is being made; this page shows when."))
                return redirect("bulletins")
        status = 400
    items = list(bulletin_list(user=request.user)[:200])
    pending = any(b.status in (JobStatus.QUEUED, JobStatus.RUNNING) for b in items)
    return render(
        request,
        "disputes/bulletin_list.html",
        {**_frame(request), "form": form, "bulletins": items, "pending": pending},
        status=status,
    )


@require_GET
@login_required
def bulletin_page(request, bulletin_id: int):
    bulletin = bulletin_get(user=request.user, bulletin_id=bulletin_id)
    context = bulletin_context(bulletin) if bulletin.content else {"bulletin": bulletin}
    return render(request, "disputes/bulletin.html", {**_frame(request), **context})


def _download(request, bulletin_id: int, kind: str):
    bulletin = bulletin_get(user=request.user, bulletin_id=bulletin_id)
    file = getattr(bulletin, kind)
    if not file:
        raise Http404
    unit = bulletin.township or bulletin.county
    return private_file_response(
        file.open("rb"),
        filename=f"bulletin-{unit.code}-{bulletin.month:%Y-%m}.{kind}",
        content_type="application/pdf" if kind == "pdf" else XLSX_TYPE,
    )


@require_GET
@login_required
def bulletin_pdf(request, bulletin_id: int):
    return _download(request, bulletin_id, "pdf")


@require_GET
@login_required
def bulletin_xlsx(request, bulletin_id: int):
    return _download(request, bulletin_id, "xlsx")


@login_required
def exports_page(request):
    """The user's exports with their progress, and a form to start one."""
    _level, home = user_units(request.user)
    return render(
        request,
        "disputes/exports.html",
        {
            "home": home,
            "exports": Export.objects.filter(user=request.user)[:50],
            "formats": Export.Format.choices,
            "statuses": Case.Status.choices,
            "categories": Category.objects.filter(active=True),
            "export_texts": {
                "download": _("Download"),
                "started": _("The export runs in the background; it appears in the list below."),
                "downloaded": _("The file is downloading."),
                "failed": _("The export could not be started."),
            },
        },
    )


# --- 考核: assessment against the county's targets -------------------------------------


class AssessmentQuery(forms.Form):
    kind = forms.ChoiceField(choices=AssessmentTarget.UnitKind.choices, required=False)
    month = forms.CharField(required=False, max_length=7)
    township = forms.CharField(required=False, max_length=9)

    def clean_month(self) -> date:
        value = self.cleaned_data["month"]
        today = timezone.localdate()
        if not value:
            return today.replace(day=1)
        try:
            month = date.fromisoformat(f"{value}-01")
        except ValueError:
            raise forms.ValidationError(_("Give a month as YYYY-MM.")) from None
        if not 2000 <= month.year <= today.year + 1:
            raise forms.ValidationError(_("Give a month from 2000 to next year."))
        return month


def _assessment_area(user):
    """(county, township or None, the kinds of unit the user may see); Http404 for others."""
    staff = staff_of(user)
    if staff is not None and staff.role == Staff.Role.COUNTY_OFFICE:
        return staff.county, None, list(AssessmentTarget.UnitKind.values)
    if staff is not None and staff.role == Staff.Role.TOWNSHIP_LEADER:
        kinds = [AssessmentTarget.UnitKind.VILLAGE, AssessmentTarget.UnitKind.DEPARTMENT]
        return staff.county, staff.township, kinds
    raise Http404


@require_GET
@login_required
def assessment_page(request):
    county, own_township, kinds = _assessment_area(request.user)
    query = AssessmentQuery(request.GET)
    context = {"kinds": [(k, AssessmentTarget.UnitKind(k).label) for k in kinds], "errors": []}
    if not query.is_valid():
        context["errors"] = _error_lines(query.errors)
        return render(request, "disputes/assessment.html", context, status=400)
    kind = query.cleaned_data["kind"] or kinds[0]
    if kind not in kinds:
        raise Http404
    township = own_township
    code = query.cleaned_data["township"]
    if code and own_township is None:
        township = Township.objects.filter(county=county, code=code).first()
        if township is None:
            raise Http404
    report = assessment(
        county=county, kind=kind, month=query.cleaned_data["month"], township=township
    )
    context.update(
        {
            "report": report,
            "kind": kind,
            "township": township,
            "townships": county.townships.order_by("code") if own_township is None else [],
            "may_set": own_township is None,
        }
    )
    return render(request, "disputes/assessment.html", context)


@require_http_methods(["POST"])
@login_required
def assessment_targets(request):
    """The county office sets a year's targets for one kind of unit (percent in the form)."""
    county, own_township, _kinds = _assessment_area(request.user)
    if own_township is not None:
        raise Http404
    kind = request.POST.get("kind", "")
    year = request.POST.get("year", "")
    if kind not in AssessmentTarget.UnitKind.values or not year.isdigit():
        return HttpResponse(_("Give the kind of unit and the year."), status=400)
    values = {}
    for measure in measures_for(kind):
        raw = request.POST.get(measure.key, "").strip()
        try:
            values[measure.key] = float(raw) / 100
        except ValueError:
            values[measure.key] = None
    try:
        targets_save(county=county, year=int(year), kind=kind, values=values, actor=request.user)
    except CaseInputError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Targets saved."))
    return redirect(f"{reverse('assessment')}?kind={kind}&month={year}-{timezone.localdate():%m}")
