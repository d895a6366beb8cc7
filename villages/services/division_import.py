"""Import the division list (统计用区划代码) from a CSV file.

The file has the header `code,name,level,parent_code` with levels
county|township|village, as in villages/data/yongxiu/divisions.csv. Every row
is checked before anything is written; one problem anywhere and nothing is
imported. Rows whose code already exists update that division.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from villages.models import County, Township, Village, division_code_errors
from villages.services.report import ImportFailed, ImportReport, Problem

HEADER = ["code", "name", "level", "parent_code"]
LEVELS = {"county": County, "township": Township, "village": Village}
PARENT_LEVEL = {"county": None, "township": "county", "village": "township"}


@dataclass(frozen=True)
class Row:
    line: int
    code: str
    name: str
    level: str
    parent_code: str


def read_text(path: Path) -> str:
    """Decode a file exported by Chinese software: UTF-8 (with or without BOM) or GB18030/GBK."""
    data = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed([Problem(str(path), _("the file is neither UTF-8 nor GBK/GB18030 text"))])


def divisions_parse(text: str) -> list[Row]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise ImportFailed([Problem(_("line 1"), _("the file is empty"))])
    if [h.strip().lower() for h in header] != HEADER:
        raise ImportFailed(
            [
                Problem(
                    _("line 1"),
                    _("the header must be “%(expected)s”, found “%(found)s”")
                    % {"expected": ",".join(HEADER), "found": ",".join(header)},
                )
            ]
        )
    rows, problems = [], []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        where = _("line %(line)d") % {"line": line}
        if len(values) != len(HEADER):
            problems.append(
                Problem(
                    where,
                    _("expected %(expected)d columns, found %(found)d")
                    % {"expected": len(HEADER), "found": len(values)},
                )
            )
            continue
        code, name, level, parent_code = (v.strip() for v in values)
        rows.append(Row(line, code, name, level.lower(), parent_code))
    if problems:
        raise ImportFailed(problems)
    return rows


def divisions_check(rows: list[Row]) -> list[Problem]:
    """Every reason the rows cannot be imported, each naming its line."""
    problems = []
    by_code: dict[str, Row] = {}
    existing = {
        level: {d.code: d for d in model.objects.only("id", "code", "name")}
        for level, model in LEVELS.items()
    }

    def known(level, code):
        row = by_code.get(code)
        if row is not None and row.level == level:
            return row
        return existing[level].get(code)

    for row in rows:
        where = _("line %(line)d") % {"line": row.line}
        if row.code in by_code:
            problems.append(
                Problem(
                    where,
                    _("code %(code)s appears twice (first on line %(first)d)")
                    % {"code": row.code, "first": by_code[row.code].line},
                )
            )
            continue
        by_code[row.code] = row
        if not row.name:
            problems.append(Problem(where, _("the name of %(code)s is empty") % {"code": row.code}))
        if row.level not in LEVELS:
            problems.append(
                Problem(
                    where,
                    _("unknown level “%(level)s”; use county, township or village")
                    % {"level": row.level},
                )
            )
            continue
        for message in division_code_errors(row.code, LEVELS[row.level].CODE_LENGTH, None):
            problems.append(Problem(where, str(message)))

    for row in rows:
        if row.level not in LEVELS or by_code.get(row.code) is not row:
            continue
        where = _("line %(line)d") % {"line": row.line}
        parent_level = PARENT_LEVEL[row.level]
        if parent_level is None:
            if row.parent_code:
                problems.append(
                    Problem(
                        where,
                        _("a county has no parent code; found %(parent)s")
                        % {"parent": row.parent_code},
                    )
                )
            continue
        if not row.parent_code:
            problems.append(Problem(where, _("the parent code is empty")))
            continue
        parent = known(parent_level, row.parent_code)
        if parent is None:
            problems.append(
                Problem(
                    where,
                    _("parent %(parent)s of %(code)s is not a known %(level)s")
                    % {
                        "parent": row.parent_code,
                        "code": row.code,
                        "level": LEVELS[parent_level]._meta.verbose_name,
                    },
                )
            )
        elif not row.code.startswith(row.parent_code):
            problems.append(
                Problem(
                    where,
                    _("code %(code)s is not under its parent %(parent)s")
                    % {"code": row.code, "parent": row.parent_code},
                )
            )
    return problems


def divisions_import_csv(*, path: Path) -> ImportReport:
    """Import a division CSV; raises ImportFailed, having written nothing, on any problem."""
    rows = divisions_parse(read_text(path))
    if not rows:
        raise ImportFailed([Problem(str(path), _("the file has no divisions"))])
    problems = divisions_check(rows)
    if problems:
        raise ImportFailed(problems)
    report = ImportReport()
    with transaction.atomic():
        counties = {c.code: c for c in County.objects.all()}
        townships = {t.code: t for t in Township.objects.all()}
        for row in rows:
            if row.level == "county":
                counties[row.code] = _upsert(County, row, {}, report)
        for row in rows:
            if row.level == "township":
                townships[row.code] = _upsert(
                    Township, row, {"county": counties[row.parent_code]}, report
                )
        for row in rows:
            if row.level == "village":
                township = townships[row.parent_code]
                _upsert(
                    Village,
                    row,
                    {
                        "township": township,
                        "county_id": township.county_id,
                        "kind": Village.kind_from_code(row.code),
                    },
                    report,
                )
    return report


def _upsert(model, row: Row, fields: dict, report: ImportReport):
    division = model.objects.filter(code=row.code).first()
    values = {"name": row.name, **fields}
    if division is None:
        report.created += 1
        return model.objects.create(code=row.code, **values)
    changed = [name for name, value in values.items() if _differs(division, name, value)]
    if not changed:
        report.unchanged += 1
        return division
    for name in changed:
        setattr(division, name, values[name])
    division.save(update_fields=[*changed, "updated_at"])
    report.updated += 1
    return division


def _differs(obj, name: str, value) -> bool:
    if isinstance(value, Model):
        return getattr(obj, f"{name}_id") != value.pk
    return getattr(obj, name) != value
