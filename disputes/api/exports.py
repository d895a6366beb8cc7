"""Exports of cases: the API (start one, follow it, download it) and the page that uses it."""

import tempfile

from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from disputes.cases.filters import BBoxFilter, CaseFilter
from disputes.core.api import ListPagination, StrictFilterBackend
from disputes.core.private_files import private_file_response
from disputes.models import Case, Export, JobStatus
from disputes.services import exports


class FileFormatNegotiation(DefaultContentNegotiation):
    """Here `?format=` names the export's file format, not one of DRF's renderers."""

    def filter_renderers(self, renderers, format):
        return renderers


class ExportSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    progress = serializers.SerializerMethodField(help_text=_("percent"))
    filters = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Export
        fields = [
            "id",
            "format",
            "status",
            "status_display",
            "total",
            "written",
            "progress",
            "filters",
            "error",
            "created_at",
            "finished_at",
            "status_url",
            "download_url",
        ]

    def get_progress(self, export) -> int:
        return exports.export_progress(export)

    def get_filters(self, export) -> dict:
        return export.filters.get("params", {})

    def get_status_url(self, export) -> str:
        return reverse("export-detail", args=[export.pk])

    def get_download_url(self, export) -> str | None:
        if export.status != JobStatus.DONE or not export.file:
            return None
        return reverse("export-download", args=[export.pk])


FORMATS = [choice for choice, _label in Export.Format.choices]


class CaseExportView(GenericAPIView):
    """The cases of GET /api/cases/ with the same filters, as a file.

    Up to EXPORT_SYNC_MAX_ROWS rows the file is the answer; more run in the
    background: 202 with the export, whose status URL says how far it is.
    Parties appear with masked names only; phones and ID numbers never.
    """

    content_negotiation_class = FileFormatNegotiation
    # For the API docs only: the rows come from exports.case_export_queryset, which
    # applies these same filters to the same scoped list.
    queryset = Case.objects.none()
    filter_backends = [StrictFilterBackend, BBoxFilter]
    filterset_class = CaseFilter
    bbox_filter_field = "location"
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format", str, enum=FORMATS, description="csv (default), xlsx or geojson"
            ),
        ],
        filters=True,
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, exports.CONTENT_TYPES[Export.Format.XLSX]): OpenApiTypes.BINARY,
            (200, "application/geo+json"): OpenApiTypes.OBJECT,
            202: ExportSerializer,
        },
    )
    def get(self, request):
        file_format = request.query_params.get("format", Export.Format.CSV)
        if file_format not in FORMATS:
            return Response(
                {"format": [_("Choose one of: %s.") % ", ".join(FORMATS)]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            cases = exports.case_export_queryset(user=request.user, params=request.query_params)
        except exports.ExportFiltersInvalid as error:
            return Response(error.errors, status=status.HTTP_400_BAD_REQUEST)
        total = cases.count()
        if total > settings.EXPORT_SYNC_MAX_ROWS:
            export = exports.export_queue(
                user=request.user, file_format=file_format, params=request.query_params, total=total
            )
            return Response(ExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)
        filename = exports.export_filename(file_format)
        content_type = exports.CONTENT_TYPES[file_format]
        if file_format == Export.Format.XLSX:
            # FileResponse closes the file, which deletes it.
            out = tempfile.TemporaryFile()  # noqa: SIM115
            exports.export_write(cases, file_format, out)
            out.seek(0)
            return private_file_response(out, filename=filename, content_type=content_type)
        response = StreamingHttpResponse(
            exports.export_stream(cases, file_format), content_type=content_type
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response


class ExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """My exports, newest first: status, progress and, when done, the download URL."""

    serializer_class = ExportSerializer
    pagination_class = ListPagination
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema has no user
            return Export.objects.none()
        return Export.objects.filter(user=self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file of a finished export (only for the user who asked for it)."""
        export = self.get_object()
        if export.status != JobStatus.DONE or not export.file:
            raise Http404
        return private_file_response(
            export.file.open("rb"),
            filename=exports.export_filename(export.format, export.created_at),
            content_type=exports.CONTENT_TYPES[export.format],
        )
