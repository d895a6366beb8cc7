"""`/desk/people/import/`: a sheet of people, checked whole, written all or nothing."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from disputes.people.forms import ImportForm
from disputes.people.policies import people_county_or_404
from disputes.people.services.import_check import (
    AREA,
    DEPARTMENT,
    GRID,
    MOBILE,
    NAME,
    ROLE,
    TEAM,
)
from disputes.people.services.import_write import people_import
from villages.services.report import ImportFailed

PROBLEMS_SHOWN = 200


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def staff_import_page(request):
    county = people_county_or_404(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems, more, status = [], 0, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = people_import(county=county, data=form.cleaned_data["file"].read())
            except ImportFailed as failed:
                problems = failed.problems[:PROBLEMS_SHOWN]
                more = len(failed.problems) - len(problems)
            else:
                return render(
                    request,
                    "disputes/people/passwords.html",
                    {"county": county, "rows": result.created, "updated": result.updated},
                    status=201,
                )
    return render(
        request,
        "disputes/people/import.html",
        {
            "county": county,
            "form": form,
            "problems": problems,
            "more": more,
            "columns": [NAME, MOBILE, ROLE, AREA, GRID, TEAM, DEPARTMENT],
        },
        status=status,
    )
