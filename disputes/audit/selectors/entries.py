"""One page of the change history as people read it: who changed what, from what to what.

Turns the rows of disputes.audit.selectors.history.history_rows into entries:
names instead of ids, labels instead of column names, a party's identity only
as "changed".
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import Group, Permission, User
from django.contrib.gis.geos import GEOSGeometry
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from disputes.audit.selectors.history import (
    HIDDEN_FIELDS,
    KEY_FIELDS,
    KINDS,
    MEMBERSHIP_SOURCES,
    PARTY_IDENTITY_FIELDS,
    SOURCES,
    TEXT_MAX_CHARS,
    WITH_OBJECT,
)
from disputes.cases.models import Category
from disputes.teams.models import Team
from grid.models import Grid
from villages.models import (
    County,
    Township,
    Village,
)


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
