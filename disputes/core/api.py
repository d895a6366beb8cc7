"""What every capability's API shares: the answer to the platform's errors, strict
filters, and pages.

A filter or page parameter that is given must be a value of its kind: DRF's
paginators ignore a `page_size` they cannot read and take "last" for a page,
django-filter takes `?status=` for "no filter"; here a value that is not one
answers 400 with the field's message, a page past the end 404, and the schema
says so.
"""

import django_filters
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework_gis.pagination import GeoJsonPagination

from config.api import QuerySerializer
from disputes.core.errors import (
    CaseInputError,
    IdempotencyConflict,
    NotAllowed,
    TransitionRefused,
)


def exception_handler(exc, context):
    """DRF's handler (settings.REST_FRAMEWORK), with the platform's errors as their HTTP answers."""
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": _("The request body is too large.")},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, CaseInputError):
        return Response({exc.field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, TransitionRefused):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, NotAllowed):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, IdempotencyConflict):
        return Response({"uuid": [str(exc)]}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    return drf_exception_handler(exc, context)


class StrictFilterSet(django_filters.FilterSet):
    """A filter that is given must be a value of its kind.

    django-filter takes `?status=` or `?reported_after=` for "no filter"; the
    schema says a status or a date, so an empty value answers 400 like any
    other that is not one. Free text (a category code) may be empty.
    """

    def is_valid(self):
        valid = super().is_valid()
        blank = serializers.CharField.default_error_messages["blank"]
        for name, field in self.filters.items():
            if isinstance(field, django_filters.CharFilter) or not hasattr(self.data, "getlist"):
                continue
            if "" in self.data.getlist(name):
                self.form.add_error(name, str(blank))
                valid = False
        return valid


class StrictFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend whose filtersets made from `filterset_fields` are strict."""

    filterset_base = StrictFilterSet


MAX_PAGE_SIZE = 500
# A page number beyond this is past the end of any list; it keeps the OFFSET a bigint.
MAX_PAGE = 10**9

LINK = {"type": "string", "format": "uri", "nullable": True}


class PageQuery(QuerySerializer):
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)


class StrictPageNumberPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()

    def paginate_queryset(self, queryset, request, view=None):
        query = PageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        self._query = query.validated_data
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        return self._query.get("page_size", self.page_size)

    def get_page_number(self, request, paginator):
        return self._query.get("page", 1)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "A page number within the list (past the end: 404).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"Items per page, {self.page_size} by default.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class ListPagination(StrictPageNumberPagination):
    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "minimum": 0},
                "next": LINK,
                "previous": LINK,
                "results": schema,
            },
        }


class CasePagination(StrictPageNumberPagination, GeoJsonPagination):
    """A page of a GeoJSON FeatureCollection, with the count and links beside the features."""

    def get_paginated_response_schema(self, schema):
        # `schema` refers to the FeatureCollection drf-spectacular made for the list
        # serializer, "<Feature>List"; a page of it also has the count and links.
        feature = {"$ref": schema["$ref"].removesuffix("List")}
        return {
            "type": "object",
            "required": ["type", "count", "next", "previous", "features"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "count": {"type": "integer", "minimum": 0},
                "next": LINK,
                "previous": LINK,
                "features": {"type": "array", "items": feature},
            },
        }
