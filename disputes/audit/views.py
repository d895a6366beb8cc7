"""The county office's change history page: who changed what in a unit, and when."""

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from disputes.audit.selectors import history
from disputes.audit.selectors.entries import history_entries

PAGE_SIZE = 50
FIRST_DAY = date(1949, 10, 1)


class HistoryQuery(forms.Form):
    unit = forms.CharField(required=False, max_length=40)
    kind = forms.ChoiceField(
        required=False, choices=[("", ""), *((k, v) for k, v in history.KINDS.items())]
    )
    start = forms.DateField(required=False)
    end = forms.DateField(required=False)

    def _clean_day(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not FIRST_DAY <= day <= timezone.localdate():
            raise forms.ValidationError(
                _("A date between %(first)s and today.") % {"first": FIRST_DAY.isoformat()}
            )
        return day

    def clean_start(self):
        return self._clean_day("start")

    def clean_end(self):
        return self._clean_day("end")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period starts after it ends."))
        return data


@require_GET
@login_required
def history_page(request):
    county = history.history_county(request.user)
    if county is None:
        raise Http404
    query = HistoryQuery(request.GET)
    valid = query.is_valid()
    level, unit = history.history_unit(county=county, value=query.cleaned_data.get("unit", ""))
    page = entries = None
    if valid:
        filters = history.HistoryFilters(
            kind=query.cleaned_data["kind"],
            start=query.cleaned_data["start"],
            end=query.cleaned_data["end"],
        )
        rows = history.history_rows(level=level, unit=unit, filters=filters)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        entries = history_entries(page.object_list)
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "disputes/history.html",
        {
            "home_level": "county",
            "home": county,
            "unit": unit,
            "unit_value": f"{level}:{unit.code}",
            "units": [
                (value, f"{'—' * depth} {name}" if depth else name)
                for value, name, depth in history.history_unit_choices(
                    county=county, level=level, unit=unit
                )
            ],
            "kinds": history.KINDS.items(),
            "query": {key: request.GET.get(key, "") for key in ("kind", "start", "end")},
            "errors": [message for messages in query.errors.values() for message in messages],
            "page": page,
            "entries": entries,
            "page_query": kept.urlencode(),
        },
        status=200 if valid else 400,
    )
