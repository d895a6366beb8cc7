"""What the teams API reads and answers: teams, assignments, mediation sessions."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from config.api import StringField
from disputes.cases.models import Case, Category
from disputes.cases.serializers import (
    CategoryCodeField,
    FiniteFloatField,
    not_before_1949,
    not_in_the_future,
)
from disputes.teams.models import Assignment, Team


class TeamSerializer(GeoFeatureModelSerializer):
    """A team as a GeoJSON feature at its base; write `leader` and `members` as user ids."""

    categories = CategoryCodeField(many=True, queryset=Category.objects.all(), required=False)
    leader = serializers.SerializerMethodField()
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    pillar_display = serializers.CharField(source="get_pillar_display", read_only=True)

    class Meta:
        model = Team
        geo_field = "base"
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "pillar",
            "pillar_display",
            "village",
            "township",
            "service_radius_m",
            "capacity",
            "load",
            "active",
            "categories",
            "leader",
        ]
        read_only_fields = ["pillar", "load", "township"]
        extra_kwargs = {"township": {"required": False}}

    def get_leader(self, team) -> str | None:
        leader = next((m for m in team.memberships.all() if m.is_leader), None)
        return leader.user.get_full_name() or leader.user.username if leader else None


class TeamWriteSerializer(serializers.Serializer):
    name = StringField(max_length=100)
    kind = serializers.ChoiceField(choices=Team.Kind.choices)
    village = StringField(required=False, allow_blank=True, help_text=_("village code"))
    township = StringField(required=False, allow_blank=True, help_text=_("township code"))
    longitude = FiniteFloatField(min_value=-180, max_value=180)
    latitude = FiniteFloatField(min_value=-90, max_value=90)
    service_radius_m = serializers.IntegerField(
        min_value=50, max_value=50_000, required=False, allow_null=True
    )
    capacity = serializers.IntegerField(min_value=0, max_value=500, default=10)
    active = serializers.BooleanField(default=True)
    categories = CategoryCodeField(many=True, queryset=Category.objects.all(), required=False)
    leader = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        allow_null=True,
        help_text=_("user id of a staff member of your area"),
    )


class AssignInputSerializer(serializers.Serializer):
    team = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text=_("id of a team of your area")
    )


class AssignmentSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    case_summary = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "case",
            "team",
            "team_name",
            "status",
            "status_display",
            "distance_m",
            "proposed_at",
            "answer_due",
            "answered_at",
            "reason",
            "case_summary",
        ]

    def get_case_summary(self, assignment) -> str:
        """What the proposal is about: the case's category and village (no parties)."""
        case = assignment.case
        return " · ".join(
            filter(None, [case.category.name, case.village.name if case.village else ""])
        )


class DeclineInputSerializer(serializers.Serializer):
    reason = StringField(max_length=2000)


class SessionInputSerializer(serializers.Serializer):
    held_on = serializers.DateField(validators=[not_before_1949, not_in_the_future])
    attendees = StringField(max_length=2000)
    agreed = StringField(max_length=5000, required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(
        choices=Case.Outcome.choices, required=False, allow_blank=True, default=""
    )
    agreement = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("id of an attachment")
    )
