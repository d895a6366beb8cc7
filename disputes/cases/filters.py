import math

import django_filters
from django.contrib.gis.geos import Polygon
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework_gis.filters import InBBoxFilter

from disputes.cases import selectors
from disputes.cases.models import Case, Level
from disputes.core.api import StrictFilterSet


class CaseFilter(StrictFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Case.Status.choices)
    category = django_filters.CharFilter(field_name="category__code")
    level = django_filters.ChoiceFilter(choices=Level.choices)
    reported_after = django_filters.DateFilter(field_name="reported_at", lookup_expr="date__gte")
    reported_before = django_filters.DateFilter(field_name="reported_at", lookup_expr="date__lte")
    due = django_filters.ChoiceFilter(
        choices=[("overdue", _("overdue")), ("soon", _("due soon"))], method="filter_due"
    )

    class Meta:
        model = Case
        fields = ["status", "category", "level", "reported_after", "reported_before", "due"]

    def filter_due(self, queryset, name, value):
        return selectors.case_filter_due(queryset, value)


class BBoxFilter(InBBoxFilter):
    """`in_bbox=west,south,east,north` in WGS-84 degrees, each finite and within range."""

    def get_filter_bbox(self, request):
        text = request.query_params.get(self.bbox_param, None)
        if not text:
            return None
        try:
            west, south, east, north = (float(n) for n in text.split(","))
        except ValueError as exc:
            raise ParseError(_("in_bbox must be four numbers: west,south,east,north.")) from exc
        corners = (west, south, east, north)
        if not all(math.isfinite(n) for n in corners) or not (
            -180 <= west <= east <= 180 and -90 <= south <= north <= 90
        ):
            raise ParseError(
                _(
                    "in_bbox must be west,south,east,north in degrees, with west ≤ east "
                    "within -180..180 and south ≤ north within -90..90."
                )
            )
        return Polygon.from_bbox(corners)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.bbox_param,
                "required": False,
                "in": "query",
                "description": (
                    "west,south,east,north in WGS-84 degrees (west ≤ east, south ≤ north, "
                    "latitudes within -90..90)"
                ),
                "schema": {
                    "type": "array",
                    "items": {"type": "number", "minimum": -180, "maximum": 180},
                    "minItems": 4,
                    "maxItems": 4,
                    "example": [115.7, 28.9, 115.95, 29.15],
                },
                "style": "form",
                "explode": False,
            }
        ]
