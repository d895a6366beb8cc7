"""What the cases API reads and answers: reports, transitions, files, a case on a map and in detail.

A case in detail carries its parties (masked unless the context says `unmasked`),
attachments, mediation sessions and timeline.
"""

import math
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from config.api import FieldsBuiltOnce, QuerySerializer, StringField
from disputes.cases import identity, selectors
from disputes.cases.deadlines import deadline_note, due_state
from disputes.cases.models import Attachment, Case, CaseEvent, Category, MediationSession, Party
from disputes.cases.services import actions

PHONE_RE = re.compile(r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$")

# Bounds of what a report may claim: wide enough for any real case, narrow enough that
# no sum in the figures can overflow. The earliest date anything in the system may carry.
MAX_PEOPLE = 100_000
MAX_AMOUNT = Decimal("10000000000")  # 100 亿元
MAX_ACCURACY_M = 50_000
EARLIEST = date(1949, 10, 1)


class FiniteFloatField(serializers.FloatField):
    """A float that is a number: NaN and infinity are refused like any other non-number."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("invalid")
        return value


@extend_schema_field(
    {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 40, "example": "neighbours"}
)
class CategoryCodeField(serializers.SlugRelatedField):
    """A category by its code (GET /api/categories/ lists them)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Category.objects.filter(active=True))
        kwargs.setdefault("error_messages", {"does_not_exist": _("Unknown category “{value}”.")})
        super().__init__(slug_field="code", **kwargs)


def not_before_1949(value):
    day = value.date() if isinstance(value, datetime) else value
    if day < EARLIEST:
        raise serializers.ValidationError(_("This is before 1 October 1949."))


def not_in_the_future(value):
    if isinstance(value, datetime):
        if value > timezone.now() + timedelta(minutes=10):
            raise serializers.ValidationError(_("This is in the future."))
    elif value > timezone.localdate():
        raise serializers.ValidationError(_("This is in the future."))


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "name_en"]


class PartyInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Party.Role.choices)
    name = StringField(max_length=60)
    phone = StringField(max_length=20, required=False, allow_blank=True, default="")
    id_number = StringField(max_length=18, required=False, allow_blank=True, default="")

    def validate_phone(self, value):
        value = value.strip().replace(" ", "")
        if value and not PHONE_RE.match(value):
            raise serializers.ValidationError(_("Not a mobile (11 digits) or landline number."))
        return value

    def validate_id_number(self, value):
        value = value.strip().upper()
        if value and not identity.id_number_valid(value):
            raise serializers.ValidationError(_("Not a valid 18-character resident ID number."))
        return value


class CaseCreateSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(
        help_text=_("Made by the client; re-sending it never makes a second case.")
    )
    channel = serializers.ChoiceField(choices=Case.Channel.choices, default=Case.Channel.PATROL)
    occurred_at = serializers.DateTimeField(
        required=False, validators=[not_before_1949, not_in_the_future]
    )
    # Ranges are checked by the intake, which also recognises swapped pairs.
    longitude = FiniteFloatField()
    latitude = FiniteFloatField()
    coord_system = serializers.ChoiceField(
        choices=[("wgs84", "WGS-84"), ("gcj02", "GCJ-02")],
        default="wgs84",
        help_text=_("gcj02 for points from Chinese phone map SDKs; stored as WGS-84."),
    )
    accuracy_m = FiniteFloatField(
        min_value=0, max_value=MAX_ACCURACY_M, required=False, allow_null=True
    )
    address = StringField(max_length=200, required=False, allow_blank=True, default="")
    category = CategoryCodeField()
    people_involved = serializers.IntegerField(min_value=1, max_value=MAX_PEOPLE, default=1)
    amount_at_stake = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        max_value=MAX_AMOUNT,
        required=False,
        allow_null=True,
    )
    description = StringField(max_length=5000)
    urgency = serializers.ChoiceField(choices=Case.Urgency.choices, default=Case.Urgency.NORMAL)
    parties = PartyInputSerializer(many=True, required=False, default=list)


def _unit_name(unit):
    return unit.name if unit is not None else None


class CaseFeatureSerializer(FieldsBuiltOnce, GeoFeatureModelSerializer):
    """A case on a map or in a list: no parties."""

    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    due_state = serializers.SerializerMethodField()
    grid = serializers.SerializerMethodField()
    village = serializers.SerializerMethodField()
    township = serializers.SerializerMethodField()

    class Meta:
        model = Case
        geo_field = "location"
        fields = [
            "id",
            "uuid",
            "channel",
            "category",
            "category_name",
            "status",
            "status_display",
            "level",
            "level_display",
            "urgency",
            "occurred_at",
            "reported_at",
            "due_date",
            "deadline_kind",
            "due_state",
            "grid",
            "village",
            "township",
            "team",
            "repeat_of",
        ]

    def get_due_state(self, case) -> str:
        return due_state(case.due_date, timezone.localdate()) if case.is_open else ""

    def get_grid(self, case) -> str | None:
        return _unit_name(case.grid)

    def get_village(self, case) -> str | None:
        return _unit_name(case.village)

    def get_township(self, case) -> str | None:
        return _unit_name(case.township)


class PartyOutputSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """A party, masked unless the context says `unmasked`."""

    name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = ["role", "name", "phone", "id_number"]

    def _unmasked(self):
        return self.context.get("unmasked", False)

    def get_name(self, party) -> str:
        return party.name if self._unmasked() else identity.mask_name(party.name)

    def get_phone(self, party) -> str:
        return party.phone if self._unmasked() else identity.mask_phone(party.phone)

    def get_id_number(self, party) -> str:
        if self._unmasked():
            return identity.id_number_decrypt(party.id_number_encrypted)
        return party.id_number_masked


class EventSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True)
    action_display = serializers.CharField(source="get_action_display")

    class Meta:
        model = CaseEvent
        fields = [
            "at",
            "actor",
            "action",
            "action_display",
            "from_status",
            "to_status",
            "from_level",
            "to_level",
            "note",
            "reply",
        ]


class AttachmentSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text=_("where those who see the case get the file")
    )

    class Meta:
        model = Attachment
        fields = ["id", "uuid", "kind", "url", "content_type", "size", "uploaded_at"]

    def get_url(self, attachment) -> str:
        return reverse(
            "case-attachment-file",
            kwargs={"pk": attachment.case_id, "attachment_id": attachment.pk},
        )


class CaseDetailSerializer(CaseFeatureSerializer):
    """A case with its parties (masked or not), attachments and timeline."""

    accuracy_m = serializers.FloatField(read_only=True, allow_null=True)
    parties = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    deadline_note = serializers.SerializerMethodField()
    team_name = serializers.SerializerMethodField()
    handling_days = serializers.SerializerMethodField()
    sessions = serializers.SerializerMethodField()
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    satisfaction_display = serializers.CharField(source="get_satisfaction_display", read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta(CaseFeatureSerializer.Meta):
        fields = [
            *CaseFeatureSerializer.Meta.fields,
            "accuracy_m",
            "address",
            "people_involved",
            "amount_at_stake",
            "description",
            "outcome",
            "outcome_display",
            "satisfaction",
            "satisfaction_display",
            "deadline_note",
            "extended_days",
            "reviews",
            "accepted_at",
            "resolved_at",
            "resolved_on_time",
            "closed_at",
            "team_name",
            "handling_days",
            "parties",
            "attachments",
            "sessions",
            "timeline",
            "actions",
        ]

    def get_actions(self, case) -> list[str]:
        """The changes of the case the caller may make now (accept, resolve, hand_back, …)."""
        request = self.context.get("request")
        if request is None:
            return []
        return sorted(actions.actions_open_to(request.user, case))

    def get_team_name(self, case) -> str | None:
        return case.team.name if case.team_id else None

    def get_handling_days(self, case) -> float | None:
        """How long the case took, from report to resolution, in days."""
        if case.resolved_at is None:
            return None
        return round((case.resolved_at - case.reported_at).total_seconds() / 86400, 1)

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, case) -> list[dict]:
        attachments = self.context.get("attachments")
        if attachments is None:
            attachments = selectors.case_attachments(case=case)
        return AttachmentSerializer(attachments, many=True).data

    def get_sessions(self, case) -> list[dict]:
        sessions = self.context.get("sessions")
        if sessions is None:
            sessions = case.sessions.filter(county_id=case.county_id).select_related("team")
        return SessionSerializer(sessions, many=True).data

    def get_deadline_note(self, case) -> str:
        return deadline_note(case.deadline_basis)

    def get_parties(self, case) -> list[dict]:
        parties = self.context.get("parties", [])
        return PartyOutputSerializer(parties, many=True, context=self.context).data

    def get_timeline(self, case) -> list[dict]:
        return EventSerializer(self.context.get("timeline", []), many=True).data


class NoteInputSerializer(serializers.Serializer):
    note = StringField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonInputSerializer(serializers.Serializer):
    reason = StringField(max_length=2000)


def _reply_field():
    return StringField(
        max_length=2000,
        help_text="What the complainant reads on their tracking page (答复); notes stay internal.",
    )


class AcceptInputSerializer(NoteInputSerializer):
    reply = _reply_field()


class RejectInputSerializer(ReasonInputSerializer):
    reply = _reply_field()


class ReplyInputSerializer(serializers.Serializer):
    reply = _reply_field()


class ResolveInputSerializer(NoteInputSerializer):
    outcome = serializers.ChoiceField(choices=Case.Outcome.choices)
    reply = _reply_field()


class FollowUpInputSerializer(NoteInputSerializer):
    satisfaction = serializers.ChoiceField(choices=Case.Satisfaction.choices)


class ExtendInputSerializer(ReasonInputSerializer):
    days = serializers.IntegerField(min_value=1, max_value=30)
    reply = _reply_field()


class NearbyInputSerializer(QuerySerializer):
    longitude = FiniteFloatField(min_value=-180, max_value=180)
    latitude = FiniteFloatField(min_value=-90, max_value=90)
    coord_system = serializers.ChoiceField(choices=["wgs84", "gcj02"], default="wgs84")
    category = CategoryCodeField(queryset=Category.objects.all())


class AttachmentInputSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Attachment.Kind.choices, default=Attachment.Kind.PHOTO)
    file = serializers.FileField()


class SessionSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = MediationSession
        fields = [
            "id",
            "team",
            "team_name",
            "held_on",
            "attendees",
            "agreed",
            "outcome",
            "agreement",
            "recorded_at",
        ]
