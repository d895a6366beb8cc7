"""Exports of cases (CSV, XLSX, GeoJSON): the rows the case list shows, written as a stream.

An export has exactly the rows of GET /api/cases/ for the same user and query
parameters: the user's scope, CaseFilter and the bounding box. Rows come from
a server-side cursor a chunk at a time, so memory stays flat however many
cases there are; XLSX goes through openpyxl's write-only mode, which keeps
its rows on disk.

Parties appear only as masked names, whoever asks: exports are read by office
staff, not by those handling a case, so they are never an identity read (no
PartyAccessLog). Phones, ID numbers, descriptions and addresses are left out.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from types import SimpleNamespace

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, F, FloatField, Func, OuterRef, Value
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from rest_framework.exceptions import ParseError

from disputes.cases import identity, selectors
from disputes.cases.filters import BBoxFilter, CaseFilter
from disputes.cases.models import Case, Level, Party
from disputes.core.spreadsheet_text import csv_text, xlsx_row
from disputes.reporting.models import Export

# Rows fetched from the database at a time, and how often a background export says how far it is.
CHUNK_ROWS = 2000
PROGRESS_EVERY = 5000

# (key, header): keys name GeoJSON properties, headers head CSV and XLSX columns.
COLUMNS = [
    ("id", gettext_lazy("case number")),
    ("reported_at", gettext_lazy("reported at")),
    ("occurred_at", gettext_lazy("happened at")),
    ("channel", gettext_lazy("channel")),
    ("category", gettext_lazy("category")),
    ("urgency", gettext_lazy("urgency")),
    ("status", gettext_lazy("status")),
    ("level", gettext_lazy("level")),
    ("township_code", gettext_lazy("township code")),
    ("township", gettext_lazy("township")),
    ("village_code", gettext_lazy("village code")),
    ("village", gettext_lazy("village")),
    ("grid_code", gettext_lazy("grid code")),
    ("grid", gettext_lazy("grid")),
    ("people_involved", gettext_lazy("people involved")),
    ("amount_at_stake", gettext_lazy("amount at stake (yuan)")),
    ("outcome", gettext_lazy("outcome")),
    ("satisfaction", gettext_lazy("satisfaction")),
    ("due_date", gettext_lazy("due")),
    ("resolved_at", gettext_lazy("resolved at")),
    ("resolved_on_time", gettext_lazy("resolved within the time limit")),
    ("team", gettext_lazy("team")),
    ("longitude", gettext_lazy("longitude (WGS-84)")),
    ("latitude", gettext_lazy("latitude (WGS-84)")),
    ("complainants", gettext_lazy("complainants (names masked)")),
    ("respondents", gettext_lazy("respondents (names masked)")),
]
KEYS = [key for key, _header in COLUMNS]
GEOMETRY_KEYS = ("longitude", "latitude")

CONTENT_TYPES = {
    Export.Format.CSV: "text/csv; charset=utf-8",
    Export.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Export.Format.GEOJSON: "application/geo+json",
}

# The fields read from the database, in COLUMNS order (the choice fields get their labels);
# the parties' names follow them.
_FIELDS = [
    "id",
    "reported_at",
    "occurred_at",
    "channel",
    "category__name",
    "urgency",
    "status",
    "level",
    "township__code",
    "township__name",
    "village__code",
    "village__name",
    "grid__code",
    "grid__name",
    "people_involved",
    "amount_at_stake",
    "outcome",
    "satisfaction",
    "due_date",
    "resolved_at",
    "resolved_on_time",
    "team__name",
    "lon",
    "lat",
]
_CHOICES = {
    "channel": Case.Channel.choices,
    "urgency": Case.Urgency.choices,
    "status": Case.Status.choices,
    "level": Level.choices,
    "outcome": Case.Outcome.choices,
    "satisfaction": Case.Satisfaction.choices,
}

_MOMENTS_AT = [_FIELDS.index(f) for f in ("reported_at", "occurred_at", "resolved_at")]


class ExportFiltersInvalid(ValueError):
    """Query parameters the case list would refuse too; `errors` maps each to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


def case_export_queryset(*, user, params: QueryDict):
    """The cases GET /api/cases/ lists for this user and these query parameters, in its order.

    Raises ExportFiltersInvalid for a filter the list answers 400 to.
    """
    filterset = CaseFilter(params, queryset=selectors.case_list(user=user))
    if not filterset.is_valid():
        raise ExportFiltersInvalid(
            {field: [str(m) for m in messages] for field, messages in filterset.errors.items()}
        )
    # The list's bounding-box backend, read from the same parameters.
    request, view = (
        SimpleNamespace(query_params=params),
        SimpleNamespace(bbox_filter_field="location"),
    )
    try:
        return BBoxFilter().filter_queryset(request, filterset.qs, view)
    except ParseError as error:
        raise ExportFiltersInvalid({BBoxFilter.bbox_param: [str(error)]}) from error


def _party_names(role: str) -> ArraySubquery:
    """The names of a case's parties of one role, in the order they were given."""
    parties = Party.objects.filter(case_id=OuterRef("pk"), role=role).order_by("id")
    return ArraySubquery(parties.values("name"))


def _masked(names) -> str:
    return "、".join(identity.mask_name(name) for name in names or ())


MOMENT_FORMAT = "YYYY-MM-DD HH24:MI:SS"  # PostgreSQL's to_char: strftime's "%Y-%m-%d %H:%M:%S"


def _local_text(field: str, zone: str) -> Func:
    """A moment as PostgreSQL writes it in the time zone, as text in MOMENT_FORMAT."""
    local = Func(Value(zone), F(field), function="timezone")
    return Func(local, Value(MOMENT_FORMAT), function="to_char", output_field=CharField())


def case_export_records(cases, *, moments_as_text: bool = False) -> Iterator[list]:
    """One list of values per case, in COLUMNS order, typed (datetimes local, labels translated).

    With `moments_as_text`, the moments come as local text written by the database
    (as a CSV cell shows them): parsing a million timestamps into Python's datetimes
    only to write them out again was a fifth of a CSV export's time.
    Reads through a server-side cursor CHUNK_ROWS at a time; call inside the
    language the labels should be in.
    """
    labels = {
        field: {value: str(label) for value, label in choices}
        for field, choices in _CHOICES.items()
    }
    zone = timezone.get_current_timezone()  # once: timezone.localtime() asks for it every time
    fields = list(_FIELDS)
    moments = {}
    if moments_as_text:
        for index in _MOMENTS_AT:
            fields[index] = f"{_FIELDS[index]}_text"
            moments[fields[index]] = _local_text(_FIELDS[index], str(zone))
    rows = (
        cases.annotate(
            lon=Func("location", function="ST_X", output_field=FloatField()),
            lat=Func("location", function="ST_Y", output_field=FloatField()),
            complainants=_party_names(Party.Role.COMPLAINANT),
            respondents=_party_names(Party.Role.RESPONDENT),
            **moments,
        )
        .values_list(*fields, "complainants", "respondents")
        .iterator(chunk_size=CHUNK_ROWS)
    )
    choices_at = [(_FIELDS.index(field), labels[field]) for field in _CHOICES]
    moments_at = [] if moments_as_text else _MOMENTS_AT
    parties_at = len(_FIELDS)
    # The parties' names come in the same query, each case's read by index (as COPY would).
    for row in rows:
        record = list(row)
        for index, label in choices_at:
            value = record[index]
            record[index] = label.get(value, value)
        for index in moments_at:
            if (moment := record[index]) is not None:
                record[index] = moment.astimezone(zone)
        record[parties_at] = _masked(record[parties_at])
        record[parties_at + 1] = _masked(record[parties_at + 1])
        yield record


def _counted(records: Iterable[list], progress: Callable[[int], None] | None) -> Iterator[list]:
    written = 0
    for record in records:
        yield record
        written += 1
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)
    if progress is not None:
        progress(written)


# --- writers -------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return csv_text(str(value)) if isinstance(value, str) else str(value)


# The type of each column's values, so that CSV writes them as _text would without asking.
_DATETIME_KEYS = ("reported_at", "occurred_at", "resolved_at")
_NUMBER_KEYS = ("id", "people_involved", "amount_at_stake", "longitude", "latitude")
# The platform's own labels and the official division codes: never typed by anyone,
# written as they are. Every other text column is someone's typing, kept from formulas.
_OWN_TEXT_KEYS = (
    "channel",
    "urgency",
    "status",
    "level",
    "outcome",
    "satisfaction",
    "township_code",
    "village_code",
    "grid_code",
)


def _csv_cell_writers() -> list[Callable]:
    """For each column, a function writing its value (or None) as _text does, in the language
    active now. The moments come as text already (case_export_records' moments_as_text)."""
    yes, no = _("Yes"), _("No")
    by_key = {
        **dict.fromkeys(_DATETIME_KEYS, lambda v: "" if v is None else v),
        **dict.fromkeys(_NUMBER_KEYS, lambda v: "" if v is None else str(v)),
        "due_date": lambda v: "" if v is None else v.isoformat(),
        "resolved_on_time": lambda v: "" if v is None else (yes if v else no),
    }
    own = lambda v: "" if v is None else v  # noqa: E731
    typed = lambda v: "" if v is None else csv_text(v)  # noqa: E731
    by_key |= dict.fromkeys(_OWN_TEXT_KEYS, own)
    return [by_key.get(key, typed) for key in KEYS]


def _csv_chunks(records: Iterable[list]) -> Iterator[bytes]:
    # The BOM makes Excel read the file as UTF-8 (without it, Chinese comes out garbled).
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([str(header) for _key, header in COLUMNS])
    cells = _csv_cell_writers()
    records = iter(records)
    while batch := list(islice(records, 500)):
        writer.writerows([[cell(v) for cell, v in zip(cells, r, strict=True)] for r in batch])
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode()


def _json_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _geojson_chunks(records: Iterable[list]) -> Iterator[bytes]:
    """A FeatureCollection of points (WGS-84, lon/lat), written a feature at a time."""
    lon_at, lat_at = KEYS.index("longitude"), KEYS.index("latitude")
    properties_at = [(i, key) for i, key in enumerate(KEYS) if key not in GEOMETRY_KEYS]
    yield b'{"type": "FeatureCollection", "features": [\n'
    separator = b""
    for record in records:
        feature = {
            "type": "Feature",
            "id": record[0],
            "geometry": {"type": "Point", "coordinates": [record[lon_at], record[lat_at]]},
            "properties": {key: _json_value(record[i]) for i, key in properties_at},
        }
        yield separator + json.dumps(feature, ensure_ascii=False).encode()
        separator = b",\n"
    yield b"\n]}\n"


def _xlsx_cell(value):
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # local time; Excel has no time zones
    return value


def _xlsx_write(records: Iterable[list], out) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("cases"))
    sheet.append([str(header) for _key, header in COLUMNS])
    for record in records:
        sheet.append(xlsx_row(sheet, [_xlsx_cell(value) for value in record]))
    workbook.save(out)


def _records(cases, file_format: str) -> Iterator[list]:
    return case_export_records(cases, moments_as_text=file_format == Export.Format.CSV)


def export_stream(cases, file_format: str, language: str | None = None) -> Iterator[bytes]:
    """The file of a CSV or GeoJSON export as chunks of bytes, for a streamed answer.

    The language is held while the stream is read, which may be after the view returned.
    """
    language = language or translation.get_language()  # now, not when the stream is first read
    chunks = _csv_chunks if file_format == Export.Format.CSV else _geojson_chunks

    def stream():
        with translation.override(language):
            yield from chunks(_records(cases, file_format))

    return stream()


def export_write(cases, file_format: str, out, progress: Callable[[int], None] | None = None):
    """Write the whole file of an export to the binary file `out`; `progress(rows)` now and then."""
    records = _counted(_records(cases, file_format), progress)
    if file_format == Export.Format.XLSX:
        _xlsx_write(records, out)
        return
    chunks = _csv_chunks if file_format == Export.Format.CSV else _geojson_chunks
    for chunk in chunks(records):
        out.write(chunk)


def export_filename(file_format: str, moment: datetime | None = None) -> str:
    stamp = timezone.localtime(moment or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return f"cases-{stamp}.{file_format}"
