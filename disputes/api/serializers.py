import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from disputes import identity
from disputes.deadlines import deadline_note, due_state
from disputes.models import Attachment, Case, CaseEvent, Category, Party

PHONE_RE = re.compile(r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$")


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "name_en"]


class PartyInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Party.Role.choices)
    name = serializers.CharField(max_length=60)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")

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
    occurred_at = serializers.DateTimeField(required=False)
    # Ranges are checked by the intake, which also recognises swapped pairs.
    longitude = serializers.FloatField()
    latitude = serializers.FloatField()
    coord_system = serializers.ChoiceField(
        choices=[("wgs84", "WGS-84"), ("gcj02", "GCJ-02")],
        default="wgs84",
        help_text=_("gcj02 for points from Chinese phone map SDKs; stored as WGS-84."),
    )
    accuracy_m = serializers.FloatField(min_value=0, required=False, allow_null=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.filter(active=True),
        error_messages={"does_not_exist": _("Unknown category “{value}”.")},
    )
    people_involved = serializers.IntegerField(min_value=1, default=1)
    amount_at_stake = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    description = serializers.CharField(max_length=5000)
    urgency = serializers.ChoiceField(choices=Case.Urgency.choices, default=Case.Urgency.NORMAL)
    parties = PartyInputSerializer(many=True, required=False, default=list)

    def validate_occurred_at(self, value):
        if value > timezone.now() + timezone.timedelta(minutes=10):
            raise serializers.ValidationError(_("This is in the future."))
        return value


def _unit_name(unit):
    return unit.name if unit is not None else None


class CaseFeatureSerializer(GeoFeatureModelSerializer):
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


class PartyOutputSerializer(serializers.ModelSerializer):
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


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)
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
        ]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "uuid", "kind", "file", "content_type", "size", "uploaded_at"]


class CaseDetailSerializer(CaseFeatureSerializer):
    """A case with its parties (masked or not), attachments and timeline."""

    accuracy_m = serializers.FloatField(read_only=True)
    parties = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)
    deadline_note = serializers.SerializerMethodField()
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    satisfaction_display = serializers.CharField(source="get_satisfaction_display", read_only=True)

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
            "closed_at",
            "parties",
            "attachments",
            "timeline",
        ]

    def get_deadline_note(self, case) -> str:
        return deadline_note(case.deadline_basis)

    def get_parties(self, case) -> list[dict]:
        parties = self.context.get("parties", [])
        return PartyOutputSerializer(parties, many=True, context=self.context).data

    def get_timeline(self, case) -> list[dict]:
        return EventSerializer(self.context.get("timeline", []), many=True).data


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ResolveInputSerializer(NoteInputSerializer):
    outcome = serializers.ChoiceField(choices=Case.Outcome.choices)


class FollowUpInputSerializer(NoteInputSerializer):
    satisfaction = serializers.ChoiceField(choices=Case.Satisfaction.choices)


class ExtendInputSerializer(ReasonInputSerializer):
    days = serializers.IntegerField(min_value=1, max_value=30)


class NearbyInputSerializer(serializers.Serializer):
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    coord_system = serializers.ChoiceField(choices=["wgs84", "gcj02"], default="wgs84")
    category = serializers.SlugRelatedField(slug_field="code", queryset=Category.objects.all())


class AttachmentInputSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Attachment.Kind.choices, default=Attachment.Kind.PHOTO)
    file = serializers.FileField()
