"""Legal time limits (信访工作条例, 2022), in calendar or working days.

Working days follow the official holiday calendar of the `chinese_calendar`
package. For a year it does not know, holidays entered in the admin
(disputes.Holiday) are used, and with none entered for that year only
weekends count; the returned note says which.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar
from django.conf import settings
from django.utils.translation import gettext as _

from disputes.cases.models import Holiday

ACCEPTANCE_DAYS = 15
HANDLING_DAYS = 60
MAX_EXTENSION_DAYS = 30
REVIEW_DAYS = 30
DUE_SOON_DAYS = 3


@dataclass(frozen=True)
class Deadline:
    due: date
    # Years counted without the official calendar: {"admin": [...], "weekends": [...]}
    basis: dict = field(default_factory=dict)

    @property
    def note(self) -> str:
        return deadline_note(self.basis)


def deadline_after(start: date, days: int) -> Deadline:
    """The date `days` calendar or working days (settings.CASE_DEADLINE_DAYS) after `start`."""
    if settings.CASE_DEADLINE_DAYS != "working":
        return Deadline(start + timedelta(days=days))
    calendar = WorkdayCalendar()
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if calendar.is_workday(day):
            counted += 1
    return Deadline(day, calendar.basis())


class WorkdayCalendar:
    """Whether a date is a working day, remembering which years needed a fallback."""

    def __init__(self):
        self._admin_years: dict[int, dict[date, bool]] = {}
        self.admin_years: set[int] = set()
        self.weekend_years: set[int] = set()

    def is_workday(self, day: date) -> bool:
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            pass
        entered = self._entered(day.year)
        if entered:
            self.admin_years.add(day.year)
            return entered.get(day, day.weekday() < 5)
        self.weekend_years.add(day.year)
        return day.weekday() < 5

    def _entered(self, year: int) -> dict[date, bool]:
        if year not in self._admin_years:
            self._admin_years[year] = dict(
                Holiday.objects.filter(date__year=year).values_list("date", "is_workday")
            )
        return self._admin_years[year]

    def basis(self) -> dict:
        basis = {}
        if self.admin_years:
            basis["admin"] = sorted(self.admin_years)
        if self.weekend_years:
            basis["weekends"] = sorted(self.weekend_years)
        return basis


def basis_merge(*bases: dict) -> dict:
    merged: dict[str, list[int]] = {}
    for basis in bases:
        for key, years in (basis or {}).items():
            merged[key] = sorted(set(merged.get(key, [])) | set(years))
    return merged


def deadline_note(basis: dict) -> str:
    """Says, in the active language, which years were counted without the official calendar."""
    notes = []
    if basis.get("admin"):
        notes.append(
            _("holidays of %(years)s as entered in the admin")
            % {"years": ", ".join(map(str, basis["admin"]))}
        )
    if basis.get("weekends"):
        notes.append(
            _("no holiday calendar for %(years)s: weekends only")
            % {"years": ", ".join(map(str, basis["weekends"]))}
        )
    return "; ".join(notes)


def due_state(due: date | None, today: date) -> str:
    """ "overdue" (red), "due_soon" (yellow, within DUE_SOON_DAYS) or "" for a due date."""
    if due is None:
        return ""
    if today > due:
        return "overdue"
    if (due - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return ""
