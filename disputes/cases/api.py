"""The cases API: report, list, read and move cases along; their files; cases nearby.

Thin views over disputes.cases.services and disputes.cases.selectors. Teams
and supervision add their actions on a case (disputes.api.urls puts them together).
"""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from config.api_schema import CONFLICT, KEY_REUSED
from config.converters import ID_REGEX
from disputes.cases import policies, selectors
from disputes.cases import serializers as s
from disputes.cases.coordinates import gcj02_to_wgs84
from disputes.cases.filters import BBoxFilter, CaseFilter
from disputes.cases.models import Category
from disputes.cases.services import attachments, fingerprints, intake, lifecycle, remarks
from disputes.core.api import CasePagination, StrictFilterBackend
from disputes.core.private_files import private_file_response

# What an attachment is served as: a re-encoded photo, or a rebuilt PDF.
ATTACHMENT_TYPES = (*attachments.REENCODED_TYPES, "application/pdf")


def _wgs84(data) -> tuple[float, float]:
    lon, lat = data["longitude"], data["latitude"]
    return gcj02_to_wgs84(lon, lat) if data["coord_system"] == "gcj02" else (lon, lat)


class CategoryList(ListAPIView):
    serializer_class = s.CategorySerializer
    queryset = Category.objects.filter(active=True)
    pagination_class = None
    filter_backends = []


class CaseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.CaseFeatureSerializer
    pagination_class = CasePagination
    filter_backends = [StrictFilterBackend, BBoxFilter]
    filterset_class = CaseFilter
    bbox_filter_field = "location"

    def get_queryset(self):
        return selectors.case_list(user=self.request.user)

    def _detail(self, case, status_code=status.HTTP_200_OK):
        parties, unmasked = selectors.case_parties(user=self.request.user, case=case)
        return self._answer(
            case,
            status_code,
            parties=parties,
            unmasked=unmasked,
            timeline=selectors.case_timeline(case=case),
        )

    def _answer(self, case, status_code, **rows):
        """The case with its rows given (parties, timeline; attachments and sessions, or
        read by the serializer)."""
        context = {**self.get_serializer_context(), **rows}
        return Response(s.CaseDetailSerializer(case, context=context).data, status=status_code)

    @extend_schema(
        request=s.CaseCreateSerializer,
        responses={
            201: s.CaseDetailSerializer,
            200: OpenApiResponse(
                s.CaseDetailSerializer,
                description="A replay: this uuid was sent before with the same request "
                "(header Idempotent-Replayed: true).",
            ),
            **KEY_REUSED,
        },
    )
    def create(self, request):
        data = s.CaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        lon, lat = _wgs84(values)
        report = intake.CaseReport(
            uuid=values["uuid"],
            channel=values["channel"],
            occurred_at=values.get("occurred_at") or timezone.now(),
            lon=lon,
            lat=lat,
            category=values["category"],
            description=values["description"],
            accuracy_m=values.get("accuracy_m"),
            address=values["address"],
            people_involved=values["people_involved"],
            amount_at_stake=values.get("amount_at_stake"),
            urgency=values["urgency"],
            parties=[intake.PartyInput(**p) for p in values["parties"]],
        )
        reported = intake.case_report(
            reporter=request.user,
            report=report,
            fingerprint=fingerprints.report_fingerprint(data.validated_data),
            # Reports saved before the fingerprint of validated values: a phone may re-send one.
            also_same=(fingerprints.request_hash(request.data),),
        )
        if reported.created:
            # The case as written, with the rows written with it: nothing is read back.
            # The parties are those the reporter has just typed: shown as the policy
            # says, but not a read of stored identities, so none is logged.
            return self._answer(
                reported.case,
                status.HTTP_201_CREATED,
                parties=reported.parties,
                unmasked=policies.may_see_identity(request.user, reported.case),
                timeline=reported.events,
                attachments=[],
                sessions=[],
            )
        response = self._detail(selectors.case_get(user=request.user, case_id=reported.case.pk))
        response["Idempotent-Replayed"] = "true"
        return response

    @extend_schema(responses=s.CaseDetailSerializer)
    def retrieve(self, request, pk=None):
        return self._detail(selectors.case_get(user=request.user, case_id=pk))

    def _transition(self, request, pk, service, input_serializer=None):
        case = selectors.case_get(user=request.user, case_id=pk)
        values = {}
        if input_serializer is not None:
            data = input_serializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = data.validated_data
        service(case_id=case.pk, actor=request.user, **values)
        return self._detail(selectors.case_get(user=request.user, case_id=case.pk))

    @extend_schema(
        request=s.NoteInputSerializer, responses={200: s.CaseDetailSerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"], url_path="hand-back")
    def hand_back(self, request, pk=None):
        """Hand a case the team settled back to the level that holds it (the team's members)."""
        return self._transition(request, pk, remarks.case_hand_back, s.NoteInputSerializer)

    @extend_schema(
        request=s.AcceptInputSerializer, responses={200: s.CaseDetailSerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._transition(request, pk, lifecycle.case_accept, s.AcceptInputSerializer)

    @extend_schema(
        request=s.RejectInputSerializer, responses={200: s.CaseDetailSerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Not accepted: `reason` stays internal, `reply` is the written reason for the complainant."""
        return self._transition(request, pk, lifecycle.case_reject, s.RejectInputSerializer)

    @extend_schema(
        request=s.ReplyInputSerializer, responses={200: s.CaseDetailSerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """A reply to the complainant between the steps, shown on their tracking page."""
        return self._transition(request, pk, remarks.case_reply_add, s.ReplyInputSerializer)

    @extend_schema(
        request=s.ReasonInputSerializer, responses={200: s.CaseDetailSerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        return self._transition(request, pk, lifecycle.case_escalate, s.ReasonInputSerializer)

    @extend_schema(
        request=s.ResolveInputSerializer, responses={200: s.CaseDetailSerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._transition(request, pk, lifecycle.case_resolve, s.ResolveInputSerializer)

    @extend_schema(
        request=s.FollowUpInputSerializer, responses={200: s.CaseDetailSerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        return self._transition(request, pk, lifecycle.case_follow_up, s.FollowUpInputSerializer)

    @extend_schema(
        request=s.ReasonInputSerializer, responses={200: s.CaseDetailSerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._transition(request, pk, lifecycle.case_reopen, s.ReasonInputSerializer)

    @extend_schema(
        request=s.ExtendInputSerializer, responses={200: s.CaseDetailSerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._transition(request, pk, lifecycle.case_extend, s.ExtendInputSerializer)

    @extend_schema(
        request=s.NoteInputSerializer, responses={200: s.CaseDetailSerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._transition(request, pk, lifecycle.case_close, s.NoteInputSerializer)

    @extend_schema(
        request={"multipart/form-data": s.AttachmentInputSerializer},
        responses={
            201: s.AttachmentSerializer,
            200: OpenApiResponse(
                s.AttachmentSerializer, description="A replay: this uuid was sent before."
            ),
            **KEY_REUSED,
        },
    )
    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        case = selectors.case_get(user=request.user, case_id=pk)
        data = s.AttachmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        attachment, created = attachments.attachment_add(
            case_id=case.pk,
            actor=request.user,
            uuid=data.validated_data["uuid"],
            kind=data.validated_data["kind"],
            name=upload.name,
            file=upload,
        )
        return Response(
            s.AttachmentSerializer(attachment, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=None,
        responses={(200, content_type): OpenApiTypes.BINARY for content_type in ATTACHMENT_TYPES},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=rf"attachments/(?P<attachment_id>{ID_REGEX})",
        filter_backends=[],
    )
    def attachment_file(self, request, pk=None, attachment_id=None):
        """A photo or document of the case, for those who see the case (404 for others)."""
        attachment = selectors.attachment_get(
            user=request.user, case_id=pk, attachment_id=attachment_id
        )
        extension = attachment.file.name.rsplit(".", 1)[-1]
        return private_file_response(
            attachment.file.open("rb"),
            filename=f"case-{attachment.case_id}-{attachment.pk}.{extension}",
            content_type=attachment.content_type,
            # Only images re-encoded on upload are shown in the page; a PDF is a download.
            inline=attachment.content_type in attachments.REENCODED_TYPES,
        )

    @extend_schema(
        parameters=[s.NearbyInputSerializer], responses=s.CaseFeatureSerializer(many=True)
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def nearby(self, request):
        """Open cases of the same category within 200 m, to check before reporting a duplicate."""
        data = s.NearbyInputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        lon, lat = _wgs84(data.validated_data)
        cases = selectors.cases_nearby(
            user=request.user, lon=lon, lat=lat, category_id=data.validated_data["category"].pk
        )
        return Response(s.CaseFeatureSerializer(cases, many=True).data)
