"""How figures are written on pages and in bulletins: rates in percent, changes signed."""

from decimal import Decimal

from django.utils.translation import gettext as _

from disputes.reporting.selectors.figures import FIGURES


def figure(value, rate=False):
    """A count with thousands separators, an amount with two decimals, a rate as 91.3%."""
    if value is None:
        return "—"
    if rate:
        return f"{value * 100:.1f}%"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return f"{value:,}"


def change(value, rate=False):
    """+20.99% for a count, +1.3 percentage points for a rate, — when there is nothing to compare."""
    if value is None:
        return "—"
    if rate:
        return _("%(sign)s%(points).1f pp") % {"sign": "+" if value > 0 else "", "points": value}
    return f"{'+' if value > 0 else ''}{value:.2f}%"


def _typed(key: str, value):
    """A figure back from JSON: the amount was stored as a string of its Decimal."""
    if key == "amount" and value is not None:
        return Decimal(value)
    return value


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
