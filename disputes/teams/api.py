"""The teams API: teams, their coverage, their assignments, and the team actions on a case.

Thin views over disputes.teams.services and disputes.teams.selectors.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_schema import CONFLICT
from disputes.cases import selectors as case_selectors
from disputes.cases import serializers as cases_s
from disputes.core.api import CasePagination, StrictFilterBackend
from disputes.teams import selectors
from disputes.teams import serializers as s
from disputes.teams.models import Assignment
from disputes.teams.services import assignment, sessions, teams


# Actions on a case, which disputes.api.urls adds to the cases API (no docstring: the
# schema would show it as the description of every operation of the cases API).
class CaseTeamActions:
    @extend_schema(
        request=s.AssignInputSerializer, responses={200: cases_s.CaseDetailSerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Put a team of the leader's choice on the case (township leader or above)."""
        case = case_selectors.case_get(user=request.user, case_id=pk)
        data = s.AssignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment.assignment_assign(
            case_id=case.pk, team_id=data.validated_data["team"], actor=request.user
        )
        return self._detail(case_selectors.case_get(user=request.user, case_id=case.pk))

    @extend_schema(
        request=s.SessionInputSerializer, responses={201: cases_s.SessionSerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        """Record a mediation session (members of the team handling the case)."""
        case = case_selectors.case_get(user=request.user, case_id=pk)
        data = s.SessionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        session = sessions.session_record(
            case_id=case.pk,
            actor=request.user,
            held_on=values["held_on"],
            attendees=values["attendees"],
            agreed=values["agreed"],
            outcome=values["outcome"],
            agreement_id=values.get("agreement"),
        )
        return Response(cases_s.SessionSerializer(session).data, status=status.HTTP_201_CREATED)


class CoverageView(APIView):
    """三治 coverage of the user's townships (or of `?township=<code>`), with the gaps."""

    @extend_schema(
        parameters=[OpenApiParameter("township", str, description="a township code of your area")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        township_ids = selectors.coverage_township_ids(
            user=request.user, township_code=request.query_params.get("township")
        )
        return Response(selectors.coverage_report(township_ids=township_ids))


class TeamViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Teams of the user's area; township leaders and the county office create and change them."""

    serializer_class = s.TeamSerializer
    pagination_class = CasePagination
    filter_backends = []

    def get_queryset(self):
        return selectors.team_list(user=self.request.user)

    @extend_schema(request=s.TeamWriteSerializer, responses={201: s.TeamSerializer})
    def create(self, request):
        data = s.TeamWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team = teams.team_from_input(actor=request.user, data=data.validated_data)
        return Response(
            s.TeamSerializer(self.get_queryset().get(pk=team.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.TeamWriteSerializer, responses=s.TeamSerializer)
    def update(self, request, pk=None):
        team = self.get_object()
        data = s.TeamWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        teams.team_from_input(actor=request.user, data=data.validated_data, team=team)
        return Response(s.TeamSerializer(self.get_queryset().get(pk=team.pk)).data)


class AssignmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The assignments of my teams (`?status=proposed` for those awaiting an answer), and answers."""

    serializer_class = s.AssignmentSerializer
    queryset = Assignment.objects.none()  # reads go through disputes.teams.selectors
    filter_backends = [StrictFilterBackend]
    filterset_fields = ["status"]

    def get_queryset(self):
        return selectors.assignment_list(user=self.request.user)

    @extend_schema(request=None, responses={200: s.AssignmentSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        proposal = selectors.assignment_get(user=request.user, assignment_id=pk)
        answered = assignment.assignment_answer(
            assignment_id=proposal.pk, actor=request.user, accept=True
        )
        return Response(s.AssignmentSerializer(answered).data)

    @extend_schema(
        request=s.DeclineInputSerializer, responses={200: s.AssignmentSerializer, **CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        proposal = selectors.assignment_get(user=request.user, assignment_id=pk)
        data = s.DeclineInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answered = assignment.assignment_answer(
            assignment_id=proposal.pk,
            actor=request.user,
            accept=False,
            reason=data.validated_data["reason"],
        )
        return Response(s.AssignmentSerializer(answered).data)
