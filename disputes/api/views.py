"""The supervision API, and what it adds to the cases API."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from config.api_schema import CONFLICT
from disputes import selectors_supervision as selectors
from disputes.api import serializers as s
from disputes.cases import selectors as case_selectors
from disputes.core.api import ListPagination, StrictFilterBackend
from disputes.services import notifications, supervision


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


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """My notifications; `unread` gives the count, `read` marks them read."""

    serializer_class = s.NotificationSerializer
    pagination_class = ListPagination
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
