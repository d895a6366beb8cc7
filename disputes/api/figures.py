"""The figures API: one answer with every figure of a unit, team or category over a period."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import QuerySerializer
from disputes import selectors_figures

MAX_DAYS = 3 * 366
# Figures compare with the year before; no case of the platform is older than this.
FIRST_YEAR = 2000


class FiguresQuery(QuerySerializer):
    level = serializers.ChoiceField(
        choices=["county", "township", "village", "grid"],
        required=False,
        help_text="the unit's level, with its code",
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
        if bool(data.get("level")) != bool(data.get("code")):
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


def figures_report_for(user, query: dict) -> dict:
    """The figures of a validated FiguresQuery, scoped to the user (Http404 outside)."""
    scope = selectors_figures.scope_for(
        user=user,
        level=query.get("level"),
        code=query.get("code"),
        team_id=query.get("team"),
        category_code=query.get("category"),
    )
    return selectors_figures.figures_report(scope, query["start"], query["end"])


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
