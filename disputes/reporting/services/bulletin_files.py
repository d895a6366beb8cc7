"""How a bulletin is shown: the page's context, its two charts and its PDF.

Everything is made from the bulletin's stored snapshot (content), so the page,
the PDF and the XLSX (bulletin_xlsx) show the same numbers, written as the figures page
writes them (disputes.reporting.formatting). Labels are translated into the
language active when called: the page speaks the reader's, the files the
language they were made in.

Chinese needs a CJK font: matplotlib and WeasyPrint (through fontconfig) use
the first of CJK_FONTS installed (fonts-wqy-microhei or fonts-noto-cjk).
"""

import base64
import io
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from disputes.cases.models import Case, Level
from disputes.reporting.formatting import figure, figure_rows

CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
CHARTS_CACHE_SECONDS = 24 * 3600


class NoCJKFont(RuntimeError):
    pass


# --- the snapshot, typed and labelled -----------------------------------------------


def choice_label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def month_label(month: str) -> str:
    """ "2026-03" as the language writes a month: 2026年3月, March 2026."""
    return formats.date_format(date.fromisoformat(f"{month}-01"), "YEAR_MONTH_FORMAT")


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
        "level_label": choice_label(Level, ranking["level"]) if ranking["level"] else "",
        "ranked": [written(e) for e in ranking["ranked"]],
        "left_out": [written(e) for e in ranking["left_out"]],
    }


def _departments(departments: dict | None) -> dict | None:
    """The departments' ranking, written; None without departments (or made before them)."""
    if not departments or not (departments["ranked"] or departments["left_out"]):
        return None

    def written(entry):
        return {
            **entry,
            "received_text": figure(entry["received"]),
            **{
                f"{key}_text": figure(entry[key], True)
                for key in ("on_time_rate", "return_rate", "satisfaction_rate")
            },
        }

    return {
        **departments,
        "ranked": [written(e) for e in departments["ranked"]],
        "left_out": [written(e) for e in departments["left_out"]],
    }


def _assessment(assessment: dict | None) -> dict | None:
    """考核 as written: each unit's year-to-date values with met or missed; None before it existed."""
    if not assessment or not assessment["rows"]:
        return None
    rows = [
        {
            **row,
            "cells": [
                {**cell, "text": figure(cell["value"], True)} for cell in row["year"]["cells"]
            ],
            "score_text": figure(row["year"]["score"], True),
            "month_score_text": figure(row["month"]["score"], True),
        }
        for row in assessment["rows"]
    ]
    return {**assessment, "rows": rows}


def _overdue(overdue: dict) -> dict:
    cases = [
        {
            **case,
            "level_label": choice_label(Level, case["level"]),
            "stage_label": choice_label(Case.DeadlineKind, case["stage"]) if case["stage"] else "",
            "status_label": choice_label(Case.Status, case["status"]),
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
                "name": choice_label(Case.Channel, row["code"]),
                "received": figure(row["received"]),
            }
            for row in report["by_channel"]
        ],
        "levels": [
            {"name": choice_label(Level, row["code"]), "accepted": figure(row["accepted"])}
            for row in report["by_level"]
        ],
        "categories": report["by_category"],
        "trend": report["trend"],
        "ranking": _ranking(report["ranking"]),
        "departments": _departments(report.get("departments")),
        "assessment": _assessment(content.get("assessment")),
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
