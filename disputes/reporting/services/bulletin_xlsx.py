"""A bulletin as a workbook (openpyxl): overview, ranking, overdue, hotspots, categories, trend.

Made from bulletin_files.bulletin_context, so it holds the page's numbers:
figures are numbers formatted as the page writes them (0.0% for rates,
thousands separators for counts), changes are the page's text. The category
and trend sheets carry native Excel charts.
"""

import io
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from disputes.cases.models import Case, Level
from disputes.core.spreadsheet_text import xlsx_row
from disputes.reporting.services.bulletin_files import choice_label

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNT_FORMAT, AMOUNT_FORMAT, RATE_FORMAT, DATE_FORMAT = "#,##0", "#,##0.00", "0.0%", "yyyy-mm-dd"


def _sheet(workbook, title, columns, rows, *, formats=None, preamble=(), notes=()):
    """A sheet: `preamble` lines, a bold header row that stays in view, the rows, `notes` below.

    columns: (header, width) pairs; formats: column letter -> number format.
    """
    sheet = workbook.create_sheet(title=str(title)[:31])
    for line in preamble:
        sheet.append([line])
    sheet.append([str(header) for header, _width in columns])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = f"A{sheet.max_row + 1}"
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
        for column, number_format in (formats or {}).items():
            sheet[f"{column}{sheet.max_row}"].number_format = number_format
    for note in notes:
        sheet.append([])
        sheet.append([note])
    for i, (_header, width) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    return sheet


def _figure_format(row: dict) -> str:
    if row["rate"]:
        return RATE_FORMAT
    return AMOUNT_FORMAT if isinstance(row["raw"], Decimal) else COUNT_FORMAT


def _overview(workbook, context):
    sheet = _sheet(
        workbook,
        _("Overview"),
        [
            (_("Figure"), 26),
            (_("Value"), 14),
            (_("Formula"), 52),
            (_("Previous month"), 14),
            (_("环比"), 16),
            (_("Same month last year"), 16),
            (_("同比"), 16),
        ],
        [],
        preamble=(context["title"], _("Made on %(day)s") % {"day": context["made_on"]}),
    )
    for row in context["rows"]:
        sheet.append(
            [
                row["label"],
                row["raw"],
                row["formula"],
                row["raw_previous"],
                row["mom"],
                row["raw_last_year"],
                row["yoy"],
            ]
        )
        for column in "BDF":
            sheet[f"{column}{sheet.max_row}"].number_format = _figure_format(row)
    report = context["report"]
    sheet.append([])
    sheet.append([_("Received by channel")])
    for channel in report["by_channel"]:
        sheet.append([choice_label(Case.Channel, channel["code"]), channel["received"]])
    sheet.append([])
    sheet.append([_("Accepted cases by level")])
    for level in report["by_level"]:
        sheet.append([choice_label(Level, level["code"]), level["accepted"]])


def _ranking(workbook, context):
    ranking = context["ranking"]
    rates = ("success_rate", "on_time_rate", "satisfaction_rate", "repeat_rate")
    _sheet(
        workbook,
        _("Ranking"),
        [
            (_("Rank"), 8),
            (_("Unit"), 22),
            (_("Code"), 16),
            (_("received"), 10),
            (_("Mediation success rate"), 14),
            (_("On-time rate"), 12),
            (_("Satisfaction rate"), 12),
            (_("Repeat rate"), 12),
        ],
        [
            [e.get("rank", "—"), e["name"], e["code"], e["received"], *(e[k] for k in rates)]
            for e in ranking["ranked"] + ranking["left_out"]
        ],
        formats=dict.fromkeys("EFGH", RATE_FORMAT),
        notes=[_("Units with fewer than %(n)s cases are not ranked.") % {"n": ranking["min_cases"]}]
        if ranking["left_out"]
        else [],
    )


def _departments(workbook, context):
    departments = context.get("departments")
    if not departments:
        return
    rates = ("on_time_rate", "return_rate", "satisfaction_rate")
    _sheet(
        workbook,
        _("Departments"),
        [
            (_("Rank"), 8),
            (_("Department"), 26),
            (_("Township"), 16),
            (_("routed"), 10),
            (_("On-time rate"), 12),
            (_("Return rate"), 12),
            (_("Satisfaction rate"), 12),
        ],
        [
            [e.get("rank", "—"), e["name"], e["township"], e["received"], *(e[k] for k in rates)]
            for e in departments["ranked"] + departments["left_out"]
        ],
        formats=dict.fromkeys("EFG", RATE_FORMAT),
        notes=[
            _("Departments with fewer than %(n)s routed cases are not ranked.")
            % {"n": departments["min_cases"]}
        ]
        if departments["left_out"]
        else [],
    )


def _overdue(workbook, context):
    overdue = context["overdue"]
    _sheet(
        workbook,
        _("Overdue"),
        [
            (_("Case number"), 10),
            (_("Category"), 14),
            (_("Reported on"), 12),
            (_("Township"), 14),
            (_("Village"), 16),
            (_("Held by"), 24),
            (_("Stage"), 16),
            (_("Due"), 12),
            (_("Days overdue"), 10),
        ],
        [
            [
                case["id"],
                case["category"],
                date.fromisoformat(case["reported_on"]),
                case["township"],
                case["village"],
                f"{case['holder']} ({case['level_label']})",
                case["stage_label"],
                date.fromisoformat(case["due_date"]),
                case["days_overdue"],
            ]
            for case in overdue["cases"]
        ],
        formats={"C": DATE_FORMAT, "H": DATE_FORMAT},
        notes=[_("Overdue cases not listed here: %(n)s.") % {"n": overdue["not_listed"]}]
        if overdue["not_listed"]
        else [],
    )


def _hotspots(workbook, context):
    _sheet(
        workbook,
        _("Hotspots"),
        [
            (_("Rank"), 8),
            (_("Cases"), 8),
            (_("Mostly"), 16),
            (_("Township"), 14),
            (_("Village"), 16),
            (_("Longitude (WGS-84)"), 18),
            (_("Latitude (WGS-84)"), 18),
        ],
        [
            [s["rank"], s["size"], s["category_name"], s["township"], s["village"], *s["centre"]]
            for s in context["hotspots"]["spots"]
        ],
    )


def _bar_chart(sheet, title, columns: tuple[int, int], *, horizontal=False):
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = str(title)
    chart.width = 20
    chart.add_data(
        Reference(sheet, min_col=columns[0], max_col=columns[1], min_row=1, max_row=sheet.max_row),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=sheet.max_row))
    sheet.add_chart(chart, "F2")


def _categories(workbook, context):
    sheet = _sheet(
        workbook,
        _("Categories"),
        [(_("Category"), 18), (_("received"), 10), (_("resolved"), 10), (_("settled"), 10)],
        [[r["name"], r["received"], r["resolved"], r["settled"]] for r in context["categories"]],
    )
    if context["categories"]:
        _bar_chart(sheet, _("Cases by category"), (2, 2), horizontal=True)


def _trend(workbook, context):
    sheet = _sheet(
        workbook,
        _("Trend"),
        [(_("Month"), 10), (_("received"), 10), (_("resolved"), 10), (_("settled"), 10)],
        [[m["month"], m["received"], m["resolved"], m["settled"]] for m in context["trend"]],
    )
    _bar_chart(sheet, _("Trend by month"), (2, 3))


def bulletin_xlsx(context: dict) -> bytes:
    """The bulletin's workbook, in the active language, as bytes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for write in (_overview, _ranking, _departments, _overdue, _hotspots, _categories, _trend):
        write(workbook, context)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
