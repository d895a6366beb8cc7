"""What the supervision API reads and answers."""

from rest_framework import serializers

from config.api import StringField
from disputes.oversight.models import Notification, SupervisionNotice


class NoticeSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    case_summary = serializers.SerializerMethodField()
    issued_by = serializers.CharField(source="issued_by.username", default=None, allow_null=True)

    class Meta:
        model = SupervisionNotice
        fields = [
            "id",
            "case",
            "case_summary",
            "kind",
            "kind_display",
            "stage",
            "stage_display",
            "due_date",
            "days_overdue",
            "level",
            "unit_name",
            "note",
            "issued_by",
            "issued_at",
        ]

    def get_case_summary(self, notice) -> str:
        return f"{notice.case.category.name} · {notice.case.get_status_display()}"


class NotificationSerializer(serializers.ModelSerializer):
    """A supervision notice, or (with no notice) a message and the path it leads to."""

    notice = NoticeSerializer(allow_null=True)

    class Meta:
        model = Notification
        fields = ["id", "notice", "message", "link", "created_at", "read_at"]


class SuperviseInputSerializer(serializers.Serializer):
    note = StringField(max_length=2000)
