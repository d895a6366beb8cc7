"""Monthly bulletins (月度通报) in the API: the area's bulletins, and one with its snapshot.

The snapshot (content) is what the bulletin's page, PDF and XLSX are made
from: the figures of /api/figures/ for that month, the overdue list and the
hotspots. Bulletins outside the user's area answer 404.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from disputes.core.api import ListPagination
from disputes.models import Bulletin
from disputes.selectors_bulletins import bulletin_get, bulletin_list


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
