"""The figures county reports quote, for an area, team or category over a period.

Every number comes from the daily roll-ups (CaseDayFigure) of the cases
reported in the period, so the page, the API, the bulletins and the exports
agree. Rates are fractions (None when nothing is counted below the line);
FIGURES says in words how each is made, and the page prints it beside it.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case, Category, Level
from disputes.core import areas
from disputes.core.areas import CHILD_LEVEL, in_unit_q, unit_in_area, units_below, user_units
from disputes.core.rates import ratio
from disputes.oversight.selectors.zero_reports import zero_report_compliance
from disputes.reporting.models import (
    COUNTERS,
    CaseDayCountyFigure,
    CaseDayFigure,
    CaseDayTownshipFigure,
)
from disputes.reporting.selectors.departments import department_ranking
from disputes.teams.models import Team
from disputes.teams.selectors import team_list
from grid.models import Grid
from villages.models import Staff

# key, label, formula; the order of the page.
FIGURES = [
    ("received", _("Cases received"), _("cases reported in the period")),
    ("people", _("People involved"), _("sum of the people involved in those cases")),
    ("amount", _("Money at stake (yuan)"), _("sum of the amounts at stake")),
    ("accepted", _("Accepted"), _("cases accepted (受理)")),
    ("not_accepted", _("Not accepted"), _("cases decided not to accept (不予受理)")),
    ("escalated", _("Escalated"), _("cases sent at least once to the level above")),
    ("settled", _("Settled"), _("cases resolved as settled")),
    ("partly_settled", _("Partly settled"), _("cases resolved as partly settled")),
    ("not_settled", _("Not settled"), _("cases resolved as not settled")),
    ("referred", _("Referred elsewhere"), _("cases referred to court or arbitration")),
    (
        "success_rate",
        _("Mediation success rate"),
        _("settled ÷ (settled + partly settled + not settled)"),
    ),
    ("on_time_rate", _("On-time rate"), _("resolved within the time limit ÷ resolved")),
    ("repeat_rate", _("Repeat rate"), _("repeats of an earlier case ÷ cases received")),
    (
        "satisfaction_rate",
        _("Satisfaction rate"),
        _("(satisfied + basically satisfied) ÷ cases followed up"),
    ),
    (
        "zero_report_rate",
        _("Zero-report compliance"),
        _("days reported ÷ days due (grids with a worker, up to the last cutoff)"),
    ),
]
RATES = ("success_rate", "on_time_rate", "repeat_rate", "satisfaction_rate", "zero_report_rate")
LEVELS = ("grid", "village", "township", "county")


@dataclass(frozen=True)
class Scope:
    """What the figures count: a unit of the user's area, optionally one team and one category."""

    level: str
    unit: object
    team: Team | None = None
    category: Category | None = None

    def rollups(self, by: str | None = None):
        """The roll-up rows of the scope; `by` names a unit level the rows must keep apart.

        A county or a region read the per-county roll-up (a row a day and category),
        whole townships the per-township one, villages, grids and teams the finer one.
        """
        if self.team is not None or {self.level, by} & {"village", "grid"}:
            model = CaseDayFigure
        elif self.level in ("county", "region") and by in (None, "county"):
            model = CaseDayCountyFigure
        else:
            model = CaseDayTownshipFigure
        rows = model.objects.filter(in_unit_q(self.level, self.unit))
        if self.team is not None:
            rows = rows.filter(team_id=self.team.pk)
        if self.category is not None:
            rows = rows.filter(category_id=self.category.pk)
        return rows

    def grids(self):
        if self.level == "grid":
            return Grid.objects.filter(pk=self.unit.pk)
        return Grid.objects.filter(in_unit_q(self.level, self.unit))


def figures_units(user) -> list[tuple[str, object]]:
    """The units whose figures the user may read, their own first; [] for none.

    A grid worker reads their grids; a village cadre, township leader, the
    county office or a region (city or province office) their unit and the units
    below it (a region's counties). Mediators read the case
    lists of their teams, not the figures of an area, so they have none here.
    """
    staff = areas.staff_of(user)
    if staff is not None and staff.role == Staff.Role.GRID_WORKER:
        return [("grid", grid) for grid in user.grids.order_by("code")]
    if staff is not None and staff.role == Staff.Role.MEDIATOR:
        return []
    level, home = user_units(user)
    if home is None:
        return []
    units = [(level, home)]
    child = CHILD_LEVEL.get(level)
    if child:
        units += [(child, unit) for unit in units_below(level, home)]
    return units


def _unit_for(user, level, code):
    """The named unit if the user may read its figures, else their own; Http404 outside."""
    units = figures_units(user)
    if not units:
        raise Http404
    if not (level and code):
        return units[0]
    staff = areas.staff_of(user)
    if staff is not None and staff.role == Staff.Role.GRID_WORKER:
        for unit_level, unit in units:
            if (unit_level, unit.code) == (level, code):
                return unit_level, unit
        raise Http404
    return level, unit_in_area(user, level, code)


def scope_for(*, user, level=None, code=None, team_id=None, category_code=None) -> Scope:
    """The user's own unit unless a unit of their area is named; Http404 outside it."""
    level, unit = _unit_for(user, level, code)
    team = category = None
    if team_id:
        team = team_list(user=user).filter(pk=team_id).first()
        if team is None:
            raise Http404
    if category_code:
        category = Category.objects.filter(code=category_code).first()
        if category is None:
            raise Http404
    return Scope(level, unit, team, category)


def _sums(rows) -> dict:
    totals = rows.aggregate(**{name: Sum(name) for name in COUNTERS})
    return {name: totals[name] or (Decimal(0) if name == "amount" else 0) for name in COUNTERS}


def derive(counts: dict, compliance: tuple[int, int] | None = None) -> dict:
    """Counters plus the rates made from them (compliance: days reported, days due)."""
    mediated = counts["settled"] + counts["partly_settled"] + counts["not_settled"]
    figures = dict(counts)
    figures["pending"] = counts["received"] - counts["accepted"] - counts["not_accepted"]
    figures["mediated"] = mediated
    figures["success_rate"] = ratio(counts["settled"], mediated)
    figures["on_time_rate"] = ratio(counts["resolved_on_time"], counts["resolved"])
    figures["repeat_rate"] = ratio(counts["repeats"], counts["received"])
    figures["satisfaction_rate"] = ratio(
        counts["satisfied"] + counts["basically_satisfied"], counts["followed_up"]
    )
    if compliance is not None:
        figures["days_reported"], figures["days_due"] = compliance
        figures["zero_report_rate"] = ratio(*compliance)
    else:
        figures["days_reported"] = figures["days_due"] = figures["zero_report_rate"] = None
    return figures


def period_figures(scope: Scope, start: date, end: date, *, now=None) -> dict:
    """All figures of the scope for the cases reported from `start` to `end` (both included)."""
    counts = _sums(scope.rollups().filter(day__range=(start, end)))
    compliance = None
    if scope.team is None and scope.category is None:
        compliance = zero_report_compliance(grids_qs=scope.grids(), start=start, end=end, now=now)
    return derive(counts, compliance)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """环比: the period of the same length just before; a whole month's is the month before."""
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        first = _add_months(start, -months)
        return first, start - timedelta(days=1)
    length = end - start
    return start - length - timedelta(days=1), start - timedelta(days=1)


def last_year_period(start: date, end: date) -> tuple[date, date]:
    """同比: the same dates a year earlier (29 February becomes the 28th)."""
    return _year_before(start), _year_before(end)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def change(current, before, *, rate: bool):
    """The change a report quotes: percent for counts, percentage points for rates."""
    if current is None or before is None:
        return None
    if rate:
        return round((current - before) * 100, 1)
    if not before:
        return None
    return round((float(current) - float(before)) / float(before) * 100, 2)


def by_category(scope: Scope, start: date, end: date) -> list[dict]:
    rows = (
        scope.rollups()
        .filter(day__range=(start, end))
        .values("category_id")
        .annotate(received=Sum("received"), settled=Sum("settled"), resolved=Sum("resolved"))
        .order_by("-received")
    )
    names = {c.pk: c for c in Category.objects.all()}
    return [
        {
            "code": names[row["category_id"]].code,
            "name": names[row["category_id"]].name,
            "received": row["received"],
            "settled": row["settled"],
            "resolved": row["resolved"],
        }
        for row in rows
    ]


def by_channel(figures: dict) -> list[dict]:
    return [
        {
            "code": channel.value,
            "name": str(channel.label),
            "received": figures[f"received_{channel.value}"],
        }
        for channel in Case.Channel
    ]


def by_level(figures: dict) -> list[dict]:
    return [
        {"code": level, "name": str(Level(level).label), "accepted": figures[f"level_{level}"]}
        for level in LEVELS
    ]


def ranking(scope: Scope, start: date, end: date, *, min_cases: int | None = None) -> dict:
    """The scope's child units (a region's counties too) by success, on-time and satisfaction rates.

    Units with fewer than `min_cases` (FIGURES_RANKING_MIN_CASES) cases are
    listed apart, unranked, so that one case cannot make a unit best or worst.
    """
    min_cases = settings.FIGURES_RANKING_MIN_CASES if min_cases is None else min_cases
    child = CHILD_LEVEL.get(scope.level)
    if child is None:
        return {"level": None, "min_cases": min_cases, "ranked": [], "left_out": []}
    rows = {
        row[f"{child}_id"]: row
        for row in scope.rollups(by=child)
        .filter(day__range=(start, end))
        .values(f"{child}_id")
        .annotate(**{name: Sum(name) for name in COUNTERS})
        .order_by()
    }
    units = units_below(scope.level, scope.unit)
    empty = dict.fromkeys(COUNTERS, 0)
    ranked, left_out = [], []
    for unit in units:
        figures = derive(
            {**empty, **{k: v for k, v in rows.get(unit.pk, {}).items() if k in COUNTERS}}
        )
        entry = {
            "code": unit.code,
            "name": getattr(unit, "name", unit.code),
            "received": figures["received"],
            "success_rate": figures["success_rate"],
            "on_time_rate": figures["on_time_rate"],
            "satisfaction_rate": figures["satisfaction_rate"],
            "repeat_rate": figures["repeat_rate"],
        }
        (ranked if figures["received"] >= min_cases else left_out).append(entry)
    ranked.sort(
        key=lambda e: (
            -(e["success_rate"] or 0),
            -(e["on_time_rate"] or 0),
            -(e["satisfaction_rate"] or 0),
            -e["received"],
            e["code"],
        )
    )
    for position, entry in enumerate(ranked, 1):
        entry["rank"] = position
    return {"level": child, "min_cases": min_cases, "ranked": ranked, "left_out": left_out}


def monthly_trend(scope: Scope, end: date, months: int = 12) -> list[dict]:
    """Cases received and resolved per month, for the `months` months ending with `end`'s."""
    first = _add_months(end.replace(day=1), -(months - 1))
    rows = {
        row["month"]: row
        for row in scope.rollups()
        .filter(day__range=(first, end))
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(received=Sum("received"), resolved=Sum("resolved"), settled=Sum("settled"))
        .order_by()
    }
    trend = []
    for i in range(months):
        month = _add_months(first, i)
        row = rows.get(month, {})
        trend.append(
            {
                "month": month.strftime("%Y-%m"),
                "received": row.get("received") or 0,
                "resolved": row.get("resolved") or 0,
                "settled": row.get("settled") or 0,
            }
        )
    return trend


def figures_report(scope: Scope, start: date, end: date, *, now=None) -> dict:
    """Everything the figures page, the API and the bulletins show, as plain data."""
    current = period_figures(scope, start, end, now=now)
    prev_start, prev_end = previous_period(start, end)
    year_start, year_end = last_year_period(start, end)
    previous = period_figures(scope, prev_start, prev_end, now=now)
    last_year = period_figures(scope, year_start, year_end, now=now)
    changes = {
        key: {
            "mom": change(current[key], previous[key], rate=key in RATES),
            "yoy": change(current[key], last_year[key], rate=key in RATES),
        }
        for key, _label, _formula in FIGURES
    }
    return {
        "unit": {"level": scope.level, "code": scope.unit.code, "name": _unit_name(scope.unit)},
        "team": {"id": scope.team.pk, "name": scope.team.name} if scope.team else None,
        "category": {"code": scope.category.code, "name": scope.category.name}
        if scope.category
        else None,
        "period": {"start": start, "end": end},
        "previous_period": {"start": prev_start, "end": prev_end},
        "last_year_period": {"start": year_start, "end": year_end},
        "figures": current,
        "previous": previous,
        "last_year": last_year,
        "changes": changes,
        "definitions": [
            {"key": key, "label": str(label), "formula": str(formula), "rate": key in RATES}
            for key, label, formula in FIGURES
        ],
        "by_channel": by_channel(current),
        "by_level": by_level(current),
        "by_category": by_category(scope, start, end),
        "ranking": ranking(scope, start, end),
        "departments": departments_ranking(scope, start, end),
        "trend": monthly_trend(scope, end),
    }


def departments_ranking(scope: Scope, start: date, end: date) -> dict | None:
    """A county's departments, or a township's stations, ranked; None for other scopes."""
    if scope.team is not None or scope.level not in ("county", "township"):
        return None
    county = scope.unit if scope.level == "county" else scope.unit.county
    township = scope.unit if scope.level == "township" else None
    return department_ranking(
        county=county, township=township, start=start, end=end, category=scope.category
    )


def _unit_name(unit) -> str:
    return getattr(unit, "name", None) or unit.code
