"""Reads for the monthly bulletins (月度通报): whose they are, and what one says.

A bulletin belongs to a county (no township) or to one of its townships. The
county office sees its county's and its townships'; a township leader sees
their township's; nobody else has bulletins (Http404, as for anything outside
one's area).

bulletin_content() gathers what a bulletin says, as JSON-safe data that is
stored with it: the month's figures (disputes.reporting.selectors.figures, the same
numbers as the figures page and API), the cases overdue on the day it is
made, and the month's hotspots.
"""

import calendar
import json
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone

from disputes.cases.models import Case
from disputes.core import areas
from disputes.reporting.models import AssessmentTarget, Bulletin
from disputes.reporting.selectors.assessment import assessment
from disputes.reporting.selectors.figures import Scope, figures_report
from grid.selectors import PointOutsideTerritory, point_locate
from maps.selectors import unit_clusters
from villages.models import County, Staff, Township

# The overdue list of a bulletin stops at this many cases (the most overdue); the total is given.
OVERDUE_LIST_MAX = 200
# Hotspots of the month: DBSCAN of the month's cases, in metres on the ground.
HOTSPOT_EPS_M = 300
HOTSPOT_MIN_POINTS = 3
HOTSPOTS_MAX = 10

SNAPSHOT_VERSION = 1


def _units():
    return {
        "county": County.objects.defer("boundary"),
        "township": Township.objects.defer("boundary"),
    }


def bulletin_scope_q(user) -> Q:
    """The bulletins a user may see."""
    if user.is_superuser:
        return Q()
    staff = areas.staff_of(user)
    if staff is None:
        return Q(pk__in=[])
    if staff.role in areas.REGION_ROLES:
        return Q(county__in=areas.user_counties(user))
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return Q(county_id=staff.county_id)
    if staff.role == Staff.Role.TOWNSHIP_LEADER:
        return Q(township_id=staff.township_id)
    return Q(pk__in=[])


def bulletin_list(*, user):
    """The user's bulletins, newest month first, the county's before its townships'."""
    return (
        Bulletin.objects.filter(bulletin_scope_q(user))
        .select_related("county", "township", "requested_by")
        .defer("content", "county__boundary", "township__boundary")
        .order_by("-month", F("township__code").asc(nulls_first=True), "id")
    )


def bulletin_get(*, user, bulletin_id) -> Bulletin:
    """A bulletin of the user's area; Http404 for any other."""
    bulletin = (
        Bulletin.objects.filter(bulletin_scope_q(user), pk=bulletin_id)
        .select_related("county", "township")
        .defer("county__boundary", "township__boundary")
        .first()
    )
    if bulletin is None:
        raise Http404
    return bulletin


def bulletin_units(*, user) -> list[tuple[int, int | None, str]]:
    """The units whose bulletin the user may ask for: (county id, township id or None, name).

    A region (superuser, city or province office) asks for those of each of its counties.
    """
    staff = areas.staff_of(user)
    units = _units()
    if areas.user_region(user) is not None:
        counties = areas.user_counties(user).defer("boundary")
    elif staff is not None and staff.role == Staff.Role.COUNTY_OFFICE:
        counties = units["county"].filter(pk=staff.county_id)
    elif staff is not None and staff.role == Staff.Role.TOWNSHIP_LEADER:
        township = units["township"].get(pk=staff.township_id)
        return [(township.county_id, township.pk, township.name)]
    else:
        return []
    choices = []
    for county in counties:
        choices.append((county.pk, None, county.name))
        for township in units["township"].filter(county=county).order_by("code"):
            choices.append((county.pk, township.pk, township.name))
    return choices


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def bulletin_scope(*, county_id: int, township_id: int | None) -> Scope:
    units = _units()
    if township_id is None:
        return Scope("county", units["county"].get(pk=county_id))
    return Scope("township", units["township"].get(pk=township_id, county_id=county_id))


def _holder_name(case: Case) -> str:
    unit = {"grid": case.grid, "village": case.village, "township": case.township}.get(
        case.level
    ) or case.county
    return unit.name


def overdue_cases(*, scope: Scope, today: date) -> dict:
    """The unit's open cases past their due date on `today`, most overdue first.

    Only what a supervisor needs: no parties and no description.
    """
    cases = Case.objects.filter(
        **{f"{scope.level}_id": scope.unit.pk},
        status__in=Case.OPEN_STATUSES,
        due_date__lt=today,
    )
    total = cases.count()
    rows = (
        cases.select_related("category", "grid", "village", "township", "county")
        .defer("grid__boundary", "village__boundary", "township__boundary", "county__boundary")
        .order_by("due_date", "pk")[:OVERDUE_LIST_MAX]
    )
    return {
        "as_of": today,
        "total": total,
        "cases": [
            {
                "id": case.pk,
                "category": case.category.name,
                "reported_on": timezone.localdate(case.reported_at),
                "township": case.township.name if case.township else "",
                "village": case.village.name if case.village else "",
                "level": case.level,
                "holder": _holder_name(case),
                "status": case.status,
                "stage": case.deadline_kind,
                "due_date": case.due_date,
                "days_overdue": (today - case.due_date).days,
            }
            for case in rows
        ],
    }


def hotspots(*, scope: Scope, start: date, end: date) -> dict:
    """Where the month's cases clustered, biggest first, with the village at each centre."""
    collection = unit_clusters(
        level=scope.level,
        unit=scope.unit,
        start=start,
        end=end,
        eps_m=HOTSPOT_EPS_M,
        min_points=HOTSPOT_MIN_POINTS,
    )
    spots = []
    for feature in collection["features"][:HOTSPOTS_MAX]:
        props = feature["properties"]
        lon, lat = props["centre"]
        try:
            place = point_locate(lon=lon, lat=lat)
        except PointOutsideTerritory:
            place = None
        spots.append(
            {
                "rank": props["rank"],
                "size": props["size"],
                "category": props["category"],
                "category_name": props["category_name"],
                "village": place.village.name if place and place.village else "",
                "township": place.township.name if place and place.township else "",
                "centre": [round(lon, 6), round(lat, 6)],
            }
        )
    return {"eps_m": HOTSPOT_EPS_M, "min_points": HOTSPOT_MIN_POINTS, "spots": spots}


def json_safe(data):
    """Dates as ISO strings and Decimals as strings, as the JSON snapshot stores them."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def bulletin_content(*, county_id: int, township_id: int | None, month: date, today: date):
    """Everything a bulletin says, JSON-safe: the snapshot stored with it."""
    scope = bulletin_scope(county_id=county_id, township_id=township_id)
    start, end = month, month_end(month)
    return json_safe(
        {
            "version": SNAPSHOT_VERSION,
            "month": start.strftime("%Y-%m"),
            "made_on": today,
            "report": figures_report(scope, start, end),
            "overdue": overdue_cases(scope=scope, today=today),
            "hotspots": hotspots(scope=scope, start=start, end=end),
            "assessment": _assessment(scope, start),
        }
    )


def _assessment(scope: Scope, month: date) -> dict:
    """考核 of the units below: a county's townships, a township's villages."""
    if scope.level == "county":
        return assessment(county=scope.unit, kind=AssessmentTarget.UnitKind.TOWNSHIP, month=month)
    return assessment(
        county=scope.unit.county,
        kind=AssessmentTarget.UnitKind.VILLAGE,
        month=month,
        township=scope.unit,
    )
