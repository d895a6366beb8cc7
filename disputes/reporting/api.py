"""The reporting API: the figures (报) of an area and a period, monthly bulletins (月度通报), and case exports."""

import tempfile

from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import QuerySerializer
from disputes.cases.filters import BBoxFilter, CaseFilter
from disputes.cases.models import Case
from disputes.core.api import ListPagination, StrictFilterBackend
from disputes.core.private_files import private_file_response
from disputes.reporting.models import Bulletin, Export, JobStatus
from disputes.reporting.selectors import figures as figure_selectors
from disputes.reporting.selectors.bulletins import bulletin_get, bulletin_list
from disputes.reporting.services import export_files, exports

MAX_DAYS = 3 * 366
# Figures compare with the year before; no case of the platform is older than this.
FIRST_YEAR = 2000


class FiguresQuery(QuerySerializer):
    level = serializers.ChoiceField(
        choices=["region", "county", "township", "village", "grid"],
        required=False,
        help_text="the unit's level, with its code (a region: a city's or province's code prefix)",
    )
    code = serializers.CharField(
        required=False, max_length=32, help_text="the unit's division code, with its level"
    )
    start = serializers.DateField(
        required=False, help_text=f"from {FIRST_YEAR}; the first of end's month by default"
    )
    end = serializers.DateField(
        required=False, help_text="up to next year; today by default; at most 3 years after start"
    )
    team = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="a team of your area"
    )
    category = serializers.SlugField(required=False, max_length=40, help_text="a category code")

    def validate(self, data):
        # Only the region of every county (a superuser's) has no code.
        if bool(data.get("level")) != bool(data.get("code")) and data.get("level") != "region":
            raise serializers.ValidationError(_("Give both level and code, or neither."))
        today = timezone.localdate()
        data.setdefault("end", today)
        data.setdefault("start", data["end"].replace(day=1))
        for name in ("start", "end"):
            if not FIRST_YEAR <= data[name].year <= today.year + 1:
                raise serializers.ValidationError(
                    {
                        name: _("Give a date from %(first)d to %(last)d.")
                        % {"first": FIRST_YEAR, "last": today.year + 1}
                    }
                )
        if data["start"] > data["end"]:
            raise serializers.ValidationError({"start": _("The period starts after it ends.")})
        if (data["end"] - data["start"]).days >= MAX_DAYS:
            raise serializers.ValidationError({"end": _("A period is at most three years long.")})
        return data


class DepartmentFiguresQuery(FiguresQuery):
    """A department's figures: the period as for an area's; the department by id."""

    department = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="a department of your area; department staff: their own by default",
    )


def figures_report_for(user, query: dict) -> dict:
    """The figures of a validated FiguresQuery, scoped to the user (Http404 outside)."""
    scope = figure_selectors.scope_for(
        user=user,
        level=query.get("level"),
        code=query.get("code"),
        team_id=query.get("team"),
        category_code=query.get("category"),
    )
    return figure_selectors.figures_report(scope, query["start"], query["end"])


def figures_for_request(request) -> dict:
    """Parse the query (400 on bad input), scope it to the user (404 outside), compute."""
    query = FiguresQuery(data=request.GET)
    query.is_valid(raise_exception=True)
    return figures_report_for(request.user, query.validated_data)


class FiguresView(APIView):
    """Figures of the user's unit (or a unit of their area), optionally of one team or category.

    The period is of report dates, both ends included; by default this month to today.
    """

    @extend_schema(parameters=[FiguresQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(figures_for_request(request))


@extend_schema_field(
    {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$", "example": "2026-03"}
)
class MonthField(serializers.DateField):
    """A month as YYYY-MM, which is not OpenAPI's `format: date`."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class BulletinSerializer(serializers.ModelSerializer):
    unit = serializers.SerializerMethodField()
    month = MonthField()
    page = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField()
    xlsx = serializers.SerializerMethodField()

    class Meta:
        model = Bulletin
        fields = ["id", "unit", "month", "status", "error", "generated_at", "page", "pdf", "xlsx"]

    def get_unit(self, bulletin) -> dict:
        if bulletin.township_id:
            unit, level = bulletin.township, "township"
        else:
            unit, level = bulletin.county, "county"
        return {"level": level, "code": unit.code, "name": unit.name}

    def _url(self, name, bulletin):
        return self.context["request"].build_absolute_uri(reverse(name, args=[bulletin.pk]))

    def get_page(self, bulletin) -> str | None:
        return self._url("bulletin", bulletin) if bulletin.generated_at else None

    def get_pdf(self, bulletin) -> str | None:
        return self._url("bulletin-pdf", bulletin) if bulletin.pdf else None

    def get_xlsx(self, bulletin) -> str | None:
        return self._url("bulletin-xlsx", bulletin) if bulletin.xlsx else None


class BulletinDetailSerializer(BulletinSerializer):
    class Meta(BulletinSerializer.Meta):
        fields = [*BulletinSerializer.Meta.fields, "content"]


class BulletinViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The bulletins of the user's area, newest month first; one with its content."""

    pagination_class = ListPagination
    filter_backends = []

    def get_queryset(self):
        return bulletin_list(user=self.request.user)

    def get_object(self):
        return bulletin_get(user=self.request.user, bulletin_id=self.kwargs["pk"])

    def get_serializer_class(self):
        return BulletinDetailSerializer if self.action == "retrieve" else BulletinSerializer


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
    # For the API docs only: the rows come from export_files.case_export_queryset, which
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
            (200, export_files.CONTENT_TYPES[Export.Format.XLSX]): OpenApiTypes.BINARY,
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
            cases = export_files.case_export_queryset(
                user=request.user, params=request.query_params
            )
        except export_files.ExportFiltersInvalid as error:
            return Response(error.errors, status=status.HTTP_400_BAD_REQUEST)
        total = cases.count()
        if total > settings.EXPORT_SYNC_MAX_ROWS:
            export = exports.export_queue(
                user=request.user, file_format=file_format, params=request.query_params, total=total
            )
            return Response(ExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)
        filename = export_files.export_filename(file_format)
        content_type = export_files.CONTENT_TYPES[file_format]
        if file_format == Export.Format.XLSX:
            # FileResponse closes the file, which deletes it.
            out = tempfile.TemporaryFile()  # noqa: SIM115
            export_files.export_write(cases, file_format, out)
            out.seek(0)
            return private_file_response(out, filename=filename, content_type=content_type)
        response = StreamingHttpResponse(
            export_files.export_stream(cases, file_format), content_type=content_type
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
            filename=export_files.export_filename(export.format, export.created_at),
            content_type=export_files.CONTENT_TYPES[export.format],
        )
