"""Pages of the API's lists: `page` and `page_size` are checked like any other parameter.

DRF's paginators ignore a `page_size` they cannot read and take "last" for a
page; here a value that is not a whole number in range answers 400 with the
field's message, a page past the end 404, and the schema says so.
"""

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework_gis.pagination import GeoJsonPagination

from config.api import QuerySerializer

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
