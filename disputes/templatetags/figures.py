"""How figures are written on pages and in bulletins: rates in percent, changes signed."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure(value, rate=False):
    """A count with thousands separators, an amount with two decimals, a rate as 91.3%."""
    if value is None:
        return "—"
    if rate:
        return f"{value * 100:.1f}%"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return f"{value:,}"


@register.filter
def change(value, rate=False):
    """+20.99% for a count, +1.3 percentage points for a rate, — when there is nothing to compare."""
    if value is None:
        return "—"
    if rate:
        return _("%(sign)s%(points).1f pp") % {"sign": "+" if value > 0 else "", "points": value}
    return f"{'+' if value > 0 else ''}{value:.2f}%"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
