"""How a bulletin is shown: the page's context, its two charts, its PDF and its XLSX.

Everything is made from the bulletin's stored snapshot (content), so the page,
the PDF and the XLSX show the same numbers, written as the figures page
writes them (disputes.templatetags.figures). Labels are translated into the
language active when called: the page speaks the reader's, the files the
language they were made in.

Chinese needs a CJK font: matplotlib and WeasyPrint (through fontconfig) use
the first of CJK_FONTS installed (fonts-wqy-microhei or fonts-noto-cjk).
"""

import base64
import io
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from disputes.models import Case, Level
from disputes.selectors_figures import FIGURES
from disputes.templatetags.figures import change, figure

CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHARTS_CACHE_SECONDS = 24 * 3600
COUNT_FORMAT, AMOUNT_FORMAT, RATE_FORMAT = "#,##0", "#,##0.00", "0.0%"


class NoCJKFont(RuntimeError):
    pass


# --- the snapshot, typed and labelled -----------------------------------------------


def _typed(key: str, value):
    """A figure back from JSON: the amount was stored as a string of its Decimal."""
    if key == "amount" and value is not None:
        return Decimal(value)
    return value


def _choice_label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def month_label(month: str) -> str:
    """ "2026-03" as the language writes a month: 2026年3月, March 2026."""
    return formats.date_format(date.fromisoformat(f"{month}-01"), "YEAR_MONTH_FORMAT")


def figure_rows(report: dict) -> list[dict]:
    """One row per figure: label, formula, value, 环比 and 同比, raw and as written."""
    labels = {key: (label, formula) for key, label, formula in FIGURES}
    rows = []
    for definition in report["definitions"]:
        key, rate = definition["key"], definition["rate"]
        label, formula = labels.get(key, (definition["label"], definition["formula"]))
        value = _typed(key, report["figures"].get(key))
        previous = _typed(key, report["previous"].get(key))
        last_year = _typed(key, report["last_year"].get(key))
        changes = report["changes"].get(key, {})
        rows.append(
            {
                "key": key,
                "label": str(label),
                "formula": str(formula),
                "rate": rate,
                "raw": value,
                "raw_previous": previous,
                "raw_last_year": last_year,
                "value": figure(value, rate),
                "previous": figure(previous, rate),
                "last_year": figure(last_year, rate),
                "mom": change(changes.get("mom"), rate),
                "yoy": change(changes.get("yoy"), rate),
            }
        )
    return rows


def _ranking(ranking: dict) -> dict:
    def written(entry):
        return {
            **entry,
            "received_text": figure(entry["received"]),
            **{
                f"{key}_text": figure(entry[key], True)
                for key in ("success_rate", "on_time_rate", "satisfaction_rate", "repeat_rate")
            },
        }

    return {
        **ranking,
        "level_label": _choice_label(Level, ranking["level"]) if ranking["level"] else "",
        "ranked": [written(e) for e in ranking["ranked"]],
        "left_out": [written(e) for e in ranking["left_out"]],
    }


def _overdue(overdue: dict) -> dict:
    cases = [
        {
            **case,
            "level_label": _choice_label(Level, case["level"]),
            "stage_label": _choice_label(Case.DeadlineKind, case["stage"]) if case["stage"] else "",
            "status_label": _choice_label(Case.Status, case["status"]),
        }
        for case in overdue["cases"]
    ]
    return {**overdue, "cases": cases, "not_listed": overdue["total"] - len(cases)}


def bulletin_context(bulletin, *, charts: bool = True) -> dict:
    """What the page and the PDF show of a bulletin's snapshot, in the active language."""
    content = bulletin.content
    report = content["report"]
    unit_name = report["unit"]["name"]
    month = month_label(content["month"])
    context = {
        "bulletin": bulletin,
        "title": _("%(unit)s: monthly bulletin of disputes, %(month)s")
        % {"unit": unit_name, "month": month},
        "unit_name": unit_name,
        "month_label": month,
        "made_on": content["made_on"],
        "report": report,
        "rows": figure_rows(report),
        "channels": [
            {
                "name": _choice_label(Case.Channel, row["code"]),
                "received": figure(row["received"]),
            }
            for row in report["by_channel"]
        ],
        "levels": [
            {"name": _choice_label(Level, row["code"]), "accepted": figure(row["accepted"])}
            for row in report["by_level"]
        ],
        "categories": report["by_category"],
        "trend": report["trend"],
        "ranking": _ranking(report["ranking"]),
        "overdue": _overdue(content["overdue"]),
        "hotspots": content["hotspots"],
        "charts": None,
    }
    if charts:
        context["charts"] = bulletin_charts(bulletin)
    return context


def bulletin_charts(bulletin) -> dict | None:
    """The two charts as SVG data URIs in the active language; None without a CJK font.

    Kept in the cache for a day per made bulletin and language: a page view
    then costs no drawing.
    """
    cached = bulletin.pk is not None and bulletin.generated_at is not None
    if cached:
        stamp = bulletin.generated_at.timestamp()
        key = f"bulletin-charts:{bulletin.pk}:{stamp}:{translation.get_language()}"
        charts = cache.get(key)
        if charts is not None:
            return charts
    report = bulletin.content["report"]
    try:
        charts = {
            "trend": _data_uri(chart_trend(report["trend"])),
            "categories": _data_uri(chart_categories(report["by_category"])),
        }
    except NoCJKFont:
        return None
    if cached:
        cache.set(key, charts, CHARTS_CACHE_SECONDS)
    return charts


# --- charts ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, str]:
    """(path, family) of the CJK font the charts use, registered with matplotlib once."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    for path in CJK_FONTS:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            family = font_manager.FontProperties(fname=path).get_name()
            matplotlib.rcParams["font.family"] = [family, "DejaVu Sans"]
            matplotlib.rcParams["axes.unicode_minus"] = False
            matplotlib.rcParams["font.size"] = 8
            # Glyphs as paths: the SVG shows Chinese without the reader having the font.
            matplotlib.rcParams["svg.fonttype"] = "path"
            return path, family
    raise NoCJKFont(
        "No CJK font is installed for the bulletin's charts and PDF; "
        "install fonts-wqy-microhei (or fonts-noto-cjk)."
    )


def _figure(width: float, height: float):
    cjk_font()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.subplots()
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y" if width > height else "x", color="#e4e4e4", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def _svg(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="svg", bbox_inches="tight")
    return out.getvalue()


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def chart_trend(trend: list[dict]) -> bytes:
    """Cases received and resolved in each of the twelve months, as SVG."""
    fig, ax = _figure(7.2, 2.8)
    months = [m["month"] for m in trend]
    x = range(len(months))
    ax.bar([i - 0.2 for i in x], [m["received"] for m in trend], 0.4, label=_("received"))
    ax.bar(
        [i + 0.2 for i in x],
        [m["resolved"] for m in trend],
        0.4,
        label=_("resolved"),
        color="#7fb069",
    )
    ax.set_xticks(list(x), months, rotation=45, ha="right")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False)
    return _svg(fig)


def chart_categories(by_category: list[dict]) -> bytes:
    """Cases received by category in the month, biggest on top, as SVG."""
    rows = list(reversed(by_category[:12]))
    fig, ax = _figure(7.2, max(1.6, 0.32 * len(rows) + 0.8))
    if not rows:
        ax.set_axis_off()
        ax.text(0.5, 0.5, _("No cases in the month."), ha="center", va="center")
        return _svg(fig)
    bars = ax.barh([r["name"] for r in rows], [r["received"] for r in rows], color="#3b7dd8")
    ax.bar_label(bars, padding=3)
    ax.xaxis.get_major_locator().set_params(integer=True)
    return _svg(fig)


# --- PDF -----------------------------------------------------------------------------


def _stylesheet(name: str) -> str:
    path = finders.find(f"disputes/{name}")
    return Path(path).read_text(encoding="utf-8") if path else ""


def bulletin_pdf(context: dict) -> bytes:
    """The bulletin as an A4 PDF (WeasyPrint) with the page's content and charts."""
    import weasyprint

    cjk_font()  # fail with the package to install rather than print boxes
    html = render_to_string(
        "disputes/bulletin_pdf.html",
        {**context, "css": _stylesheet("bulletin.css") + _stylesheet("bulletin_print.css")},
    )
    return weasyprint.HTML(string=html).write_pdf()


# --- XLSX ----------------------------------------------------------------------------


def _sheet(workbook, title: str, headers: list[str], preamble: tuple = ()):
    """A sheet with `preamble` lines above a bold header row that stays in view."""
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title=title[:31])
    for line in preamble:
        sheet.append([line])
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = f"A{sheet.max_row + 1}"
    return sheet


def _widths(sheet, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def _figure_format(row: dict) -> str:
    if row["rate"]:
        return RATE_FORMAT
    return AMOUNT_FORMAT if isinstance(row["raw"], Decimal) else COUNT_FORMAT


def bulletin_xlsx(context: dict) -> bytes:
    """The bulletin as a workbook: overview, ranking, overdue, hotspots, categories, trend.

    Figures are numbers, formatted as the page writes them (0.0% for rates);
    the category and trend sheets carry native Excel charts.
    """
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    workbook = Workbook()
    workbook.remove(workbook.active)

    overview = _sheet(
        workbook,
        _("Overview"),
        [
            _("Figure"),
            _("Value"),
            _("Formula"),
            _("Previous month"),
            _("环比"),
            _("Same month last year"),
            _("同比"),
        ],
        preamble=(context["title"], _("Made on %(day)s") % {"day": context["made_on"]}),
    )
    for row in context["rows"]:
        overview.append(
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
        number_format = _figure_format(row)
        for column in ("B", "D", "F"):
            overview[f"{column}{overview.max_row}"].number_format = number_format
    overview.append([])
    overview.append([_("Received by channel")])
    for channel in context["report"]["by_channel"]:
        overview.append([_choice_label(Case.Channel, channel["code"]), channel["received"]])
    overview.append([])
    overview.append([_("Accepted cases by level")])
    for level in context["report"]["by_level"]:
        overview.append([_choice_label(Level, level["code"]), level["accepted"]])
    _widths(overview, [26, 14, 52, 14, 16, 16, 16])

    ranking = context["ranking"]
    sheet = _sheet(
        workbook,
        _("Ranking"),
        [
            _("Rank"),
            _("Unit"),
            _("Code"),
            _("received"),
            _("Mediation success rate"),
            _("On-time rate"),
            _("Satisfaction rate"),
            _("Repeat rate"),
        ],
    )
    for entry in ranking["ranked"] + ranking["left_out"]:
        sheet.append(
            [
                entry.get("rank", "—"),
                entry["name"],
                entry["code"],
                entry["received"],
                entry["success_rate"],
                entry["on_time_rate"],
                entry["satisfaction_rate"],
                entry["repeat_rate"],
            ]
        )
        for column in "EFGH":
            sheet[f"{column}{sheet.max_row}"].number_format = RATE_FORMAT
    if ranking["left_out"]:
        sheet.append([])
        sheet.append(
            [_("Units with fewer than %(n)s cases are not ranked.") % {"n": ranking["min_cases"]}]
        )
    _widths(sheet, [8, 22, 16, 10, 14, 12, 12, 12])

    overdue = context["overdue"]
    sheet = _sheet(
        workbook,
        _("Overdue"),
        [
            _("Case number"),
            _("Category"),
            _("Reported on"),
            _("Township"),
            _("Village"),
            _("Held by"),
            _("Stage"),
            _("Due"),
            _("Days overdue"),
        ],
    )
    for case in overdue["cases"]:
        sheet.append(
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
        )
        for column in "CH":
            sheet[f"{column}{sheet.max_row}"].number_format = "yyyy-mm-dd"
    if overdue["not_listed"]:
        sheet.append([])
        sheet.append([_("Overdue cases not listed here: %(n)s.") % {"n": overdue["not_listed"]}])
    _widths(sheet, [10, 14, 12, 14, 16, 24, 16, 12, 10])

    sheet = _sheet(
        workbook,
        _("Hotspots"),
        [
            _("Rank"),
            _("Cases"),
            _("Mostly"),
            _("Township"),
            _("Village"),
            _("Longitude (WGS-84)"),
            _("Latitude (WGS-84)"),
        ],
    )
    for spot in context["hotspots"]["spots"]:
        sheet.append(
            [
                spot["rank"],
                spot["size"],
                spot["category_name"],
                spot["township"],
                spot["village"],
                *spot["centre"],
            ]
        )
    _widths(sheet, [8, 8, 16, 14, 16, 18, 18])

    sheet = _sheet(
        workbook, _("Categories"), [_("Category"), _("received"), _("resolved"), _("settled")]
    )
    for row in context["categories"]:
        sheet.append([row["name"], row["received"], row["resolved"], row["settled"]])
    _widths(sheet, [18, 10, 10, 10])
    if context["categories"]:
        chart = BarChart()
        chart.type = "bar"
        chart.title = _("Cases by category")
        chart.legend = None
        chart.add_data(
            Reference(sheet, min_col=2, min_row=1, max_row=sheet.max_row), titles_from_data=True
        )
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=sheet.max_row))
        sheet.add_chart(chart, "F2")

    sheet = _sheet(workbook, _("Trend"), [_("Month"), _("received"), _("resolved"), _("settled")])
    for month in context["trend"]:
        sheet.append([month["month"], month["received"], month["resolved"], month["settled"]])
    _widths(sheet, [10, 10, 10, 10])
    chart = BarChart()
    chart.title = _("Trend by month")
    chart.add_data(
        Reference(sheet, min_col=2, max_col=3, min_row=1, max_row=sheet.max_row),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=sheet.max_row))
    chart.width = 20
    sheet.add_chart(chart, "F2")

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
