"""Reads for the change history page: what was changed in a unit, by whom and when.

The county office reads it for its county or any township, village or grid of
it. The rows come from the history tables that database triggers fill
(config/history.py): the unit's cases, their parties (that they changed, never
how), the teams based there and their members, the unit's staff, the workers of
its grids and the accounts of its staff. An object belongs to the unit if any
of its recorded states did, so a staff member moved away still shows where
they were. disputes.audit.selectors.entries turns a page of the rows into
what the page shows.
"""

import operator
from dataclasses import dataclass
from datetime import date
from functools import reduce

from django.db.models import CharField, Q, QuerySet, Value
from django.http import Http404
from django.utils.translation import pgettext_lazy

from disputes.audit.models import CaseChange, PartyChange, TeamChange, TeamMemberChange
from disputes.cases.models import Case
from disputes.core import areas
from disputes.core.areas import UNIT_MODELS
from disputes.core.local_days import day_bounds
from disputes.teams.models import Team
from grid.models import Grid, GridWorker, GridWorkerChange
from villages.models import (
    AccountChange,
    AccountGroupChange,
    AccountPermissionChange,
    County,
    Staff,
    StaffChange,
    Township,
    Village,
)

KINDS = {
    "case": pgettext_lazy("history kind", "Cases"),
    "party": pgettext_lazy("history kind", "Parties"),
    "team": pgettext_lazy("history kind", "Teams"),
    "member": pgettext_lazy("history kind", "Team members"),
    "staff": pgettext_lazy("history kind", "Staff"),
    "grid_worker": pgettext_lazy("history kind", "Grid workers"),
    "account": pgettext_lazy("history kind", "Accounts"),
}

# Each history table, and the kind of change the page files it under.
SOURCES = {
    "case": (CaseChange, "case"),
    "party": (PartyChange, "party"),
    "team": (TeamChange, "team"),
    "member": (TeamMemberChange, "member"),
    "staff": (StaffChange, "staff"),
    "grid_worker": (GridWorkerChange, "grid_worker"),
    "account": (AccountChange, "account"),
    "account_group": (AccountGroupChange, "account"),
    "account_permission": (AccountPermissionChange, "account"),
}

# What a created or deleted row shows; an update shows every column that changed.
KEY_FIELDS = {
    "case": ["category", "status", "level"],
    "party": ["role"],
    "team": ["kind", "township", "village", "active"],
    "member": ["user", "is_leader"],
    "staff": ["role", "township", "village", "mobile"],
    "grid_worker": ["user"],
    "account": ["is_active", "is_staff", "is_superuser"],
    "account_group": ["group"],
    "account_permission": ["permission"],
}
# Never shown: a case's idempotency key and request hash say nothing to a person.
HIDDEN_FIELDS = {"uuid", "request_hash"}
# A party's identity is recorded only as masked and hashed columns; the page says that it
# changed, never what it was or became.
PARTY_IDENTITY_FIELDS = {"id_number_masked", "id_number_hash", "name_phone_hash"}
MEMBERSHIP_SOURCES = {"member", "grid_worker", "account_group", "account_permission"}
# Tables whose rows point to their object, so that a change is the difference from the
# object's previous row; the other memberships are only ever added or removed.
WITH_OBJECT = {
    source
    for source, (model, _kind) in SOURCES.items()
    if any(f.name == "pgh_obj" for f in model._meta.fields)
}
TEXT_MAX_CHARS = 200


@dataclass(frozen=True)
class HistoryFilters:
    kind: str = ""
    start: date | None = None
    end: date | None = None


def history_county(user) -> County | None:
    """The county whose change history the user may read: the county office's own, else None."""
    staff = areas.staff_of(user)
    if staff is None or staff.role != Staff.Role.COUNTY_OFFICE:
        return None
    return staff.county


def history_unit(*, county: County, value: str) -> tuple[str, object]:
    """The unit named "level:code" ("" for the county itself) if it lies in `county`; Http404 else."""
    level, _sep, code = (value or f"county:{county.code}").partition(":")
    if level not in UNIT_MODELS:
        raise Http404
    if level == "county":
        if code != county.code:
            raise Http404
        return level, county
    unit = UNIT_MODELS[level].objects.filter(code=code, county_id=county.pk).first()
    if unit is None:
        raise Http404
    return level, unit


def history_unit_choices(*, county: County, level: str, unit) -> list[tuple[str, str, int]]:
    """The picker's units as (value, name, depth): the county, its townships, and the
    villages and grids on the way down to the chosen unit."""
    township_id = unit.pk if level == "township" else getattr(unit, "township_id", None)
    village_id = unit.pk if level == "village" else getattr(unit, "village_id", None)
    choices = [(f"county:{county.code}", county.name, 0)]
    for township in Township.objects.filter(county=county).order_by("code"):
        choices.append((f"township:{township.code}", township.name, 1))
        if township.pk != township_id:
            continue
        for village in Village.objects.filter(township=township).order_by("code"):
            choices.append((f"village:{village.code}", village.name, 2))
            if village.pk != village_id:
                continue
            for grid in Grid.objects.filter(village=village).order_by("code"):
                choices.append((f"grid:{grid.code}", f"{grid.code} {grid.name}", 3))
    return choices


def _ever_in(model, unit_filter: dict) -> QuerySet:
    """Ids of the objects any of whose recorded states lay in the unit."""
    return model.objects.filter(**unit_filter).values("pgh_obj_id")


def _any_in(column: str, subqueries: list[QuerySet]) -> Q:
    return reduce(operator.or_, (Q(**{f"{column}__in": subquery}) for subquery in subqueries))


def _unit_sources(level: str, unit) -> dict[str, QuerySet]:
    """Each history table's rows for the unit, unordered."""
    here = {f"{level}_id": unit.pk}
    cases = Q(case_id__in=Case.objects.filter(**here).values("pk")) | Q(
        case_id__in=_ever_in(CaseChange, here)
    )
    sources = {
        "case": CaseChange.objects.filter(pgh_obj_id__in=_ever_in(CaseChange, here)),
        "party": PartyChange.objects.filter(county_id=unit.pk)
        if level == "county"
        else PartyChange.objects.filter(cases),
    }
    if level == "grid":
        users = [
            GridWorker.objects.filter(grid_id=unit.pk).values("user_id"),
            GridWorkerChange.objects.filter(grid_id=unit.pk).values("user_id"),
        ]
        sources["staff"] = StaffChange.objects.filter(_any_in("user_id", users))
        sources["grid_worker"] = GridWorkerChange.objects.filter(grid_id=unit.pk)
    else:
        teams = Q(team_id__in=Team.objects.filter(**here).values("pk")) | Q(
            team_id__in=_ever_in(TeamChange, here)
        )
        users = [
            Staff.objects.filter(**here).values("user_id"),
            StaffChange.objects.filter(**here).values("user_id"),
        ]
        sources["team"] = TeamChange.objects.filter(pgh_obj_id__in=_ever_in(TeamChange, here))
        sources["member"] = TeamMemberChange.objects.filter(teams)
        sources["staff"] = StaffChange.objects.filter(pgh_obj_id__in=_ever_in(StaffChange, here))
        sources["grid_worker"] = GridWorkerChange.objects.filter(
            grid_id__in=Grid.objects.filter(**here).values("pk")
        )
    sources["account"] = AccountChange.objects.filter(_any_in("pgh_obj_id", users))
    sources["account_group"] = AccountGroupChange.objects.filter(_any_in("user_id", users))
    sources["account_permission"] = AccountPermissionChange.objects.filter(
        _any_in("user_id", users)
    )
    return sources


def history_rows(*, level: str, unit, filters: HistoryFilters) -> QuerySet:
    """The unit's changes, newest first, as dicts of source, pgh_id and pgh_created_at.

    One UNION ALL over the history tables, so it pages and counts in the database;
    history_entries() reads the rows of one page.
    """
    window = {}
    if filters.start:
        window["pgh_created_at__gte"] = day_bounds(filters.start)[0]
    if filters.end:
        window["pgh_created_at__lt"] = day_bounds(filters.end)[1]
    parts = [
        rows.filter(**window)
        .annotate(source=Value(source, output_field=CharField()))
        .values("pgh_id", "pgh_created_at", "source")
        .order_by()
        for source, rows in _unit_sources(level, unit).items()
        if not filters.kind or SOURCES[source][1] == filters.kind
    ]
    if not parts:  # no such kind in the unit: teams of a grid
        return CaseChange.objects.none()
    return parts[0].union(*parts[1:], all=True).order_by("-pgh_created_at", "source", "-pgh_id")
