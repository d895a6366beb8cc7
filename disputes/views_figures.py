"""The figures page and its downloads: the numbers of /api/figures/ for people."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from disputes import selectors_figures
from disputes.api.figures import FiguresQuery, figures_report_for
from disputes.core.spreadsheet_text import csv_text
from disputes.models import Category
from disputes.teams.selectors import team_list
from disputes.templatetags.figures import figure_rows


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
    units = selectors_figures.figures_units(request.user)
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
