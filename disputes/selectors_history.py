"""Reads for the change history page: what was changed in a unit, by whom and when.

The county office reads it for its county or any township, village or grid of
it. The rows come from the history tables that database triggers fill
(config/history.py): the unit's cases, their parties (that they changed, never
how), the teams based there and their members, the unit's staff, the workers of
its grids and the accounts of its staff. An object belongs to the unit if any
of its recorded states did, so a staff member moved away still shows where
they were.
"""

import json
import operator
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce

from django.contrib.auth.models import Group, Permission, User
from django.contrib.gis.geos import GEOSGeometry
from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from disputes.core import areas
from disputes.core.areas import UNIT_MODELS
from disputes.core.local_days import day_bounds
from disputes.models import (
    Case,
    CaseChange,
    Category,
    PartyChange,
    Team,
    TeamChange,
    TeamMemberChange,
)
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
    "staff": ["role", "township", "village"],
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


# --- one page of entries -----------------------------------------------------------------


class _Names:
    """Names of the rows that history columns point to, read in one query per model."""

    LABELS = {
        County: ("name",),
        Township: ("name",),
        Village: ("name",),
        Grid: ("code", "name"),
        User: ("username",),
        Team: ("name",),
        Category: ("name",),
        Group: ("name",),
        Permission: ("name",),
    }

    def __init__(self):
        self.wanted = defaultdict(set)
        self.found = {}

    def want(self, model, pk):
        if pk is not None and model in self.LABELS:
            self.wanted[model].add(pk)

    def read(self):
        for model, pks in self.wanted.items():
            columns = self.LABELS[model]
            for row in model.objects.filter(pk__in=pks).values("pk", *columns):
                name = " ".join(str(row[c]) for c in columns)
                # Our own permissions' names are messages of the catalogue.
                self.found[model, row["pk"]] = _(name) if model is Permission else name

    def get(self, model, pk) -> str:
        return self.found.get((model, pk), f"#{pk}")


def _compared_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if not f.name.startswith("pgh_") and f.name not in HIDDEN_FIELDS
    ]


def _label(field) -> str:
    # Many-to-many through tables and a few foreign keys have no verbose name of their own.
    if isinstance(field.verbose_name, Promise):
        return str(field.verbose_name)
    return {
        "user": _("user"),
        "group": _("group"),
        "permission": _("permission"),
        "grid": _("grid"),
        "team": _("team"),
    }.get(field.name, str(field.verbose_name))


def _value(event, field):
    return getattr(event, field.attname)


def _shown(field, value, names: _Names) -> str:
    """A column's value as a person reads it."""
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return names.get(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, GEOSGeometry):
        if value.geom_type == "Point":
            return f"{value.x:.6f}, {value.y:.6f}"
        return _("an area")
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return Truncator(str(value)).chars(TEXT_MAX_CHARS)


@dataclass
class HistoryEntry:
    at: datetime
    kind: str
    kind_label: str
    action: str
    subject: str
    changes: list  # of (label, before, after); before is None for a value shown alone
    who: str
    where: str


def _action(source: str, label: str) -> str:
    if source in MEMBERSHIP_SOURCES:
        return {"insert": _("added"), "delete": _("removed")}.get(label, _("changed"))
    return {"insert": _("created"), "delete": _("deleted")}.get(label, _("changed"))


def _subject(source: str, event, names: _Names) -> str:
    if source == "case":
        return _("case #%(id)s") % {"id": event.pgh_obj_id}
    if source == "party":
        return _("a party of case #%(case)s") % {"case": event.case_id}
    if source == "team":
        return event.name
    if source == "member":
        return names.get(Team, event.team_id)
    if source == "grid_worker":
        return names.get(Grid, event.grid_id)
    if source == "account":
        return event.username
    return names.get(User, event.user_id)


def _changes(source: str, model, event, before, names: _Names) -> list:
    fields = {f.name: f for f in _compared_fields(model)}
    if event.pgh_label != "update" or before is None:
        return [
            (
                _label(fields[name]),
                None,
                _shown(fields[name], _value(event, fields[name]), names),
            )
            for name in KEY_FIELDS[source]
        ]
    changed = [f for f in fields.values() if _value(event, f) != _value(before, f)]
    if source != "party":
        return [
            (
                _label(f),
                _shown(f, _value(before, f), names),
                _shown(f, _value(event, f), names),
            )
            for f in changed
        ]
    shown = [
        (
            _label(f),
            _shown(f, _value(before, f), names),
            _shown(f, _value(event, f), names),
        )
        for f in changed
        if f.name not in PARTY_IDENTITY_FIELDS
    ]
    # A change of the name, phone or ID number leaves a row whose stored columns may all be
    # the same: the identity columns are not stored at all.
    if len(shown) < len(changed) or not changed:
        shown.append((_("name, phone or ID number"), None, _("changed (not shown)")))
    return shown


def _who(context: dict | None, names: _Names) -> tuple[str, str]:
    """(who, where) from an event's recorded context."""
    if not context:
        return _("no user recorded (outside the application)"), ""
    if "command" in context:
        return _("command: %(name)s") % {"name": context["command"]}, ""
    if "task" in context:
        return _("scheduled task: %(name)s") % {"name": context["task"]}, ""
    if context.get("user") is not None:
        return names.get(User, context["user"]), context.get("url", "")
    return _("not logged in"), context.get("url", "")


def history_entries(rows) -> list[HistoryEntry]:
    """The changes of one page of history_rows(), with what changed, who and where.

    Two queries per history table on the page (its rows with the previous row
    of the same object, then those previous rows) and one per kind of name.
    """
    wanted = defaultdict(list)
    for row in rows:
        wanted[row["source"]].append(row["pgh_id"])
    events, previous = {}, {}
    for source, ids in wanted.items():
        model = SOURCES[source][0]
        found = model.objects.filter(pgh_id__in=ids)
        if source in WITH_OBJECT:
            found = found.annotate(
                previous_id=Subquery(
                    model.objects.filter(
                        pgh_obj_id=OuterRef("pgh_obj_id"), pgh_id__lt=OuterRef("pgh_id")
                    )
                    .order_by("-pgh_id")
                    .values("pgh_id")[:1]
                )
            )
        found = list(found)
        earlier = model.objects.in_bulk(
            [e.previous_id for e in found if getattr(e, "previous_id", None)]
        )
        for event in found:
            events[source, event.pgh_id] = event
            previous[source, event.pgh_id] = earlier.get(getattr(event, "previous_id", None))

    names = _Names()
    for (source, _pk), event in events.items():
        model = SOURCES[source][0]
        for field in _compared_fields(model):
            if field.is_relation:
                names.want(field.related_model, _value(event, field))
                if previous[source, event.pgh_id] is not None:
                    names.want(field.related_model, _value(previous[source, event.pgh_id], field))
        if (event.pgh_context or {}).get("user") is not None:
            names.want(User, event.pgh_context["user"])
    names.read()

    entries = []
    for row in rows:
        source = row["source"]
        event = events[source, row["pgh_id"]]
        model, kind = SOURCES[source]
        who, where = _who(event.pgh_context, names)
        entries.append(
            HistoryEntry(
                at=event.pgh_created_at,
                kind=kind,
                kind_label=str(KINDS[kind]),
                action=_action(source, event.pgh_label),
                subject=_subject(source, event, names),
                changes=_changes(source, model, event, previous[source, event.pgh_id], names),
                who=who,
                where=where,
            )
        )
    return entries
