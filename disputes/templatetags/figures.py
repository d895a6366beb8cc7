"""The figures' filters for templates; how figures are written is disputes.reporting.formatting."""

from django import template

from disputes.reporting import formatting

register = template.Library()
register.filter("figure", formatting.figure)
register.filter("change", formatting.change)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
