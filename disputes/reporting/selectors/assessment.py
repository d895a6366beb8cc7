"""考核: each township, village or department scored against the county's yearly targets.

The values are the figures' own (same formulas, stated in MEASURES), computed
per unit for a month and for the year to date in a few grouped queries: the
roll-ups for counts, the cases for first petitions, the zero reports, and the
departments' routing slips. A unit meets a target when its value is on the
right side of it; its score is the share of targets met among those it has a
value for. Units with fewer than FIGURES_RANKING_MIN_CASES cases are scored
but not ranked, as in the rankings.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case
from disputes.core.rates import ratio
from disputes.oversight.selectors.zero_reports import zero_report_compliance_by
from disputes.reporting.models import AssessmentTarget, CaseDayFigure, CaseDayTownshipFigure
from disputes.reporting.selectors.departments import department_ranking
from disputes.reporting.selectors.figures import last_year_period
from grid.models import Grid
from villages.models import Township, Village

Kind = AssessmentTarget.UnitKind


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    formula: str
    at_least: bool  # met when the value is at least the target (else: at most)
    default: float  # the documents' example target
    kinds: tuple[str, ...]


MEASURES = [
    Measure(
        "on_time_rate",
        _("On-time rate"),
        _(
            "resolved within the time limit ÷ resolved; departments: replied on time ÷ "
            "(replied + open past their date)"
        ),
        True,
        1.0,
        (Kind.TOWNSHIP, Kind.VILLAGE, Kind.DEPARTMENT),
    ),
    Measure(
        "first_resolution_rate",
        _("First petitions resolved"),
        _("cases that repeat no earlier case, resolved ÷ received"),
        True,
        1.0,
        (Kind.TOWNSHIP, Kind.VILLAGE),
    ),
    Measure(
        "cases_change",
        _("Cases, change on last year"),
        _("(cases received − same period last year) ÷ same period last year"),
        False,
        -0.10,
        (Kind.TOWNSHIP, Kind.VILLAGE),
    ),
    Measure(
        "zero_report_rate",
        _("Zero-report compliance"),
        _("days reported ÷ days due"),
        True,
        0.98,
        (Kind.TOWNSHIP, Kind.VILLAGE),
    ),
    Measure(
        "satisfaction_rate",
        _("Satisfaction rate"),
        _("(satisfied + basically satisfied) ÷ cases followed up"),
        True,
        0.90,
        (Kind.TOWNSHIP, Kind.VILLAGE, Kind.DEPARTMENT),
    ),
    Measure(
        "return_rate",
        _("Return rate"),
        _("returned ÷ routed"),
        False,
        0.10,
        (Kind.DEPARTMENT,),
    ),
]
BY_KEY = {m.key: m for m in MEASURES}


def measures_for(kind: str) -> list[Measure]:
    return [m for m in MEASURES if kind in m.kinds]


def targets_for(*, county, year: int, kind: str) -> dict[str, float]:
    """{measure: target} of the county's year for the kind, the documents' examples where unset."""
    stored = dict(
        AssessmentTarget.objects.filter(county=county, year=year, unit_kind=kind).values_list(
            "measure", "value"
        )
    )
    return {m.key: stored.get(m.key, m.default) for m in measures_for(kind)}


def met(measure: Measure, value, target) -> bool | None:
    if value is None:
        return None
    return value >= target - 1e-9 if measure.at_least else value <= target + 1e-9


def _bounds(start: date, end: date):
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def _territorial_values(county, kind, start, end, township=None, now=None) -> dict[int, dict]:
    """{unit id: {"name", "code", "received", measure: value}} for townships or villages."""
    field = f"{kind}_id"
    units = (Township if kind == Kind.TOWNSHIP else Village).objects.filter(county=county)
    if township is not None:
        units = units.filter(
            **({"pk": township.pk} if kind == Kind.TOWNSHIP else {"township": township})
        )
    units = {u.pk: u for u in units.defer("boundary").order_by("code")}
    model = CaseDayTownshipFigure if kind == Kind.TOWNSHIP else CaseDayFigure
    sums = (
        "received",
        "resolved",
        "resolved_on_time",
        "followed_up",
        "satisfied",
        "basically_satisfied",
    )

    def counters(first, last):
        return {
            row[field]: row
            for row in model.objects.filter(
                county=county, day__range=(first, last), **{f"{field}__in": units}
            )
            .values(field)
            .annotate(**{name: Sum(name) for name in sums})
            .order_by()
        }

    now_rows = counters(start, end)
    before_rows = counters(*last_year_period(start, end))
    lower, upper = _bounds(start, end)
    first = {
        row[field]: row
        for row in Case.objects.filter(
            county=county,
            reported_at__gte=lower,
            reported_at__lt=upper,
            repeat_of__isnull=True,
            **{f"{field}__in": units},
        )
        .values(field)
        .annotate(n=Count("pk"), resolved=Count("pk", filter=Q(resolved_at__isnull=False)))
        .order_by()
    }
    zero = zero_report_compliance_by(
        grids_qs=Grid.objects.filter(**{f"{field}__in": units}),
        start=start,
        end=end,
        unit=kind,
        now=now,
    )
    values = {}
    for pk, unit in units.items():
        row = now_rows.get(pk, {})
        received = row.get("received") or 0
        before = (before_rows.get(pk) or {}).get("received") or 0
        firsts = first.get(pk, {})
        reported, due = zero.get(pk, (0, 0))
        values[pk] = {
            "name": unit.name,
            "code": unit.code,
            "received": received,
            "on_time_rate": ratio(row.get("resolved_on_time") or 0, row.get("resolved") or 0),
            "first_resolution_rate": ratio(firsts.get("resolved", 0), firsts.get("n", 0)),
            "cases_change": ratio(received - before, before),
            "zero_report_rate": ratio(reported, due),
            "satisfaction_rate": ratio(
                (row.get("satisfied") or 0) + (row.get("basically_satisfied") or 0),
                row.get("followed_up") or 0,
            ),
        }
    return values


def _department_values(county, start, end, township=None) -> dict[int, dict]:
    ranking = department_ranking(county=county, township=township, start=start, end=end)
    return {
        e["id"]: {
            "name": e["name"] + (f" ({e['township']})" if e["township"] else ""),
            "code": "",
            **{k: e[k] for k in ("received", "on_time_rate", "satisfaction_rate", "return_rate")},
        }
        for e in ranking["ranked"] + ranking["left_out"]
    }


def assessment(*, county, kind: str, month: date, township=None, now=None) -> dict:
    """The kind's units scored for `month` and for the year to its end, ranked by the year's score."""
    month = month.replace(day=1)
    month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    year_start = month.replace(month=1)
    targets = targets_for(county=county, year=month.year, kind=kind)
    measures = measures_for(kind)
    periods = {"month": (month, month_end), "year": (year_start, month_end)}
    values = {
        name: (
            _department_values(county, *bounds, township=township)
            if kind == Kind.DEPARTMENT
            else _territorial_values(county, kind, *bounds, township=township, now=now)
        )
        for name, bounds in periods.items()
    }
    min_cases = settings.FIGURES_RANKING_MIN_CASES
    rows = []
    for pk, year_values in values["year"].items():
        month_values = values["month"].get(pk, {})
        row = {"id": pk, "name": year_values["name"], "code": year_values["code"]}
        for period, period_values in (("month", month_values), ("year", year_values)):
            cells = [
                {
                    "key": m.key,
                    "value": period_values.get(m.key),
                    "met": met(m, period_values.get(m.key), targets[m.key]),
                }
                for m in measures
            ]
            judged = [c for c in cells if c["met"] is not None]
            row[period] = {
                "received": period_values.get("received", 0),
                "cells": cells,
                "met": sum(1 for c in judged if c["met"]),
                "judged": len(judged),
                "score": ratio(sum(1 for c in judged if c["met"]), len(judged)),
            }
        row["ranked"] = row["year"]["received"] >= min_cases
        rows.append(row)
    ranked = sorted(
        (r for r in rows if r["ranked"]),
        key=lambda r: (-(r["year"]["score"] or 0), -r["year"]["met"], r["code"] or r["name"]),
    )
    for position, row in enumerate(ranked, 1):
        row["rank"] = position
    left_out = [r for r in rows if not r["ranked"]]
    return {
        "kind": kind,
        "month": month,
        "periods": {name: {"start": a, "end": b} for name, (a, b) in periods.items()},
        "measures": [
            {
                "key": m.key,
                "label": str(m.label),
                "formula": str(m.formula),
                "at_least": m.at_least,
                "target": targets[m.key],
                "target_percent": round(targets[m.key] * 100, 1),
            }
            for m in measures
        ],
        "min_cases": min_cases,
        "rows": ranked + left_out,
    }
