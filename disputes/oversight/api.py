"""The oversight API: supervision notices and what supervision adds to the cases API, notifications, and the daily zero report (每天零报告): file today's report, history, today, missing grids."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from config.api import QuerySerializer, StringField
from config.api_schema import CONFLICT, NOT_FOUND
from disputes.cases import selectors as case_selectors
from disputes.core.api import ListPagination, StrictFilterBackend
from disputes.oversight import serializers as s
from disputes.oversight.models import ZeroReport
from disputes.oversight.selectors import supervision as selectors
from disputes.oversight.selectors import zero_reports as zr
from disputes.oversight.services import notifications, supervision
from disputes.oversight.services.zero_reports import zero_report_file


# An action on a case, which disputes.api.urls adds to the cases API (no docstring: the
# schema would show it as the description of every operation of the cases API).
class CaseSupervisionActions:
    @extend_schema(
        request=s.SuperviseInputSerializer, responses={201: s.NoticeSerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        """Issue a supervision notice (督办单) by hand (township leader or above)."""
        case = case_selectors.case_get(user=request.user, case_id=pk)
        data = s.SuperviseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = supervision.notice_issue_by_hand(
            case_id=case.pk, actor=request.user, note=data.validated_data["note"]
        )
        return Response(s.NoticeSerializer(notice).data, status=status.HTTP_201_CREATED)


class NoticeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The supervision list of my area (督办), most overdue first; `ordering` sorts it otherwise."""

    serializer_class = s.NoticeSerializer
    pagination_class = ListPagination
    filter_backends = [StrictFilterBackend, OrderingFilter]
    filterset_fields = ["kind", "stage", "level"]
    ordering_fields = ["days_overdue", "due_date", "issued_at"]

    def get_queryset(self):
        return selectors.notice_list(user=self.request.user)


class NotificationPagination(ListPagination):
    """A page of notifications with how many of all of them are unread: the phone's badge
    and list in one request (a round trip is 300 ms and more on a slow network)."""

    def paginate_queryset(self, queryset, request, view=None):
        self.unread = queryset.filter(read_at=None).count()
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["unread"] = self.unread
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["unread"] = {"type": "integer", "minimum": 0}
        schema["required"] = [*schema.get("required", []), "unread"]
        return schema


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """My notifications, with the count of unread ones; `unread` gives the count alone,
    `read` marks them read."""

    serializer_class = s.NotificationSerializer
    pagination_class = NotificationPagination
    filter_backends = []

    def get_queryset(self):
        return selectors.notification_list(user=self.request.user)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"])
    def unread(self, request):
        return Response({"unread": self.get_queryset().filter(read_at=None).count()})

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"])
    def read(self, request):
        return Response({"read": notifications.notifications_read(user=request.user)})


class ZeroReportSerializer(serializers.ModelSerializer):
    grid_code = serializers.CharField(source="grid.code", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    village = serializers.CharField(source="grid.village.name", read_only=True)
    filed_by = serializers.SerializerMethodField()
    cases_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ZeroReport
        fields = [
            "id",
            "day",
            "grid",
            "grid_code",
            "grid_name",
            "village",
            "filed_by",
            "filed_at",
            "nothing_found",
            "cases",
            "cases_count",
            "note",
        ]

    def get_filed_by(self, report) -> str:
        return report.filed_by.get_full_name() or report.filed_by.get_username()


@extend_schema_field(
    {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "18:00"}
)
class HourMinuteField(serializers.TimeField):
    """A time of day as HH:MM (the daily cutoff), which is not OpenAPI's `format: time`."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class FileInputSerializer(serializers.Serializer):
    grid = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="one of the grids you patrol"
    )
    note = StringField(max_length=200, required=False, allow_blank=True, default="")
    day = serializers.DateField(required=False, help_text="today; a phone that was offline says it")


class HistoryQuerySerializer(QuerySerializer):
    grid = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, help_text="one grid of your area"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: these two fields are added by name.
        self.fields["from"] = serializers.DateField(required=False)
        self.fields["to"] = serializers.DateField(required=False)

    def validate(self, data):
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            raise serializers.ValidationError({"from": _("The period starts after it ends.")})
        return data


class DayQuerySerializer(QuerySerializer):
    day = serializers.DateField(required=False, help_text="today by default; not a later day")

    def validate_day(self, day):
        if day > timezone.localdate():
            raise serializers.ValidationError(_("This day has not come yet."))
        return day


class TodayGridSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    village = serializers.CharField()
    cases_today = serializers.IntegerField()
    report = ZeroReportSerializer(allow_null=True)


class TodaySerializer(serializers.Serializer):
    day = serializers.DateField()
    cutoff = HourMinuteField()
    cutoff_passed = serializers.BooleanField()
    grids = TodayGridSerializer(many=True)
    due = serializers.IntegerField()
    reported = serializers.IntegerField()
    missing = serializers.IntegerField()


class MissingSerializer(serializers.Serializer):
    day = serializers.DateField()
    cutoff = HourMinuteField()
    cutoff_passed = serializers.BooleanField()
    due = serializers.IntegerField()
    reported = serializers.IntegerField()
    missing = serializers.IntegerField()
    townships = serializers.ListField(child=serializers.DictField())


class ZeroReportViewSet(viewsets.GenericViewSet):
    """Zero reports of my grids (a grid worker) or of my area (leaders)."""

    serializer_class = ZeroReportSerializer
    pagination_class = ListPagination
    filter_backends = []
    queryset = (
        ZeroReport.objects.none()
    )  # reads go through disputes.oversight.selectors.zero_reports

    @extend_schema(parameters=[HistoryQuerySerializer])
    def list(self, request):
        """The history: reports newest day first, of one grid and from/to days if given."""
        query = HistoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        grid_id = q.get("grid")
        if grid_id is not None:
            grid_id = zr.zero_report_grid_get(user=request.user, grid_id=grid_id).pk
        reports = zr.zero_report_list(
            user=request.user, grid_id=grid_id, start=q.get("from"), end=q.get("to")
        )
        page = self.paginate_queryset(reports)
        return self.get_paginated_response(ZeroReportSerializer(page, many=True).data)

    @extend_schema(
        request=FileInputSerializer,
        responses={
            201: ZeroReportSerializer,
            200: OpenApiResponse(ZeroReportSerializer, description="Filed again: refreshed."),
            **NOT_FOUND,
        },
    )
    def create(self, request):
        """File today's report of a grid I patrol: one tap; filing again refreshes it (200)."""
        data = FileInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grid = zr.zero_report_grid_get(user=request.user, grid_id=data.validated_data["grid"])
        filed_before = ZeroReport.objects.filter(grid=grid, day=timezone.localdate()).exists()
        report = zero_report_file(
            user=request.user,
            grid_id=grid.pk,
            day=data.validated_data.get("day"),
            note=data.validated_data["note"],
        )
        report = zr.zero_report_list(user=request.user, grid_id=grid.pk).get(pk=report.pk)
        return Response(
            ZeroReportSerializer(report).data,
            status=status.HTTP_200_OK if filed_before else status.HTTP_201_CREATED,
        )

    @extend_schema(responses=TodaySerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def today(self, request):
        """Today: each grid I patrol with its report and cases so far, and my area's counts."""
        return Response(TodaySerializer(zr.zero_report_today(user=request.user)).data)

    @extend_schema(parameters=[DayQuerySerializer], responses=MissingSerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def missing(self, request):
        """Grids of my area due on a day without a report, by township and village.

        `cutoff_passed` says whether they are late; before today's cutoff they may still file.
        """
        query = DayQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("day") or timezone.localdate()
        return Response(MissingSerializer(zr.zero_report_missing(user=request.user, day=day)).data)
