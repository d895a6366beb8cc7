"""Reads for the maps, always through the user's scope and the same filters as the case lists."""

import hashlib
import json
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Q
from django.http import QueryDict
from django.utils import timezone

from disputes.cases import selectors as case_selectors
from disputes.cases.deadlines import due_state
from disputes.cases.filters import CaseFilter
from disputes.cases.models import Case
from disputes.core.areas import (
    CHILD_LEVEL,
    UNIT_MODELS,
    in_unit_q,
    unit_in_area,
    units_below,
    user_county_ids,
)
from disputes.risks.selectors.projects import project_list
from disputes.teams.models import Team
from maps import spatial
from maps.queries import QueryInvalid
from maps.tile_cache import TILE_SECONDS, tile_key

FILTERS = ("status", "category", "level", "reported_after", "reported_before", "due")
OPEN = [Case.Status.REPORTED, Case.Status.ACCEPTED, Case.Status.IN_HANDLING, Case.Status.IN_REVIEW]


def map_cases(*, user, params):
    """The user's cases under the map filters, as a queryset (QueryInvalid on a bad filter)."""
    data = QueryDict(mutable=True)
    for name in FILTERS:
        if name in params:
            data.setlist(name, params.getlist(name))
    cases = case_selectors.case_list(user=user)
    if not data:  # a map with no filter (most tiles): no form to build and check
        return cases.order_by()
    filterset = CaseFilter(data, queryset=cases)
    if not filterset.is_valid():
        raise QueryInvalid({k: list(v) for k, v in filterset.errors.items()})
    return filterset.qs.order_by()


def _ids_query(cases) -> tuple[str, tuple]:
    return cases.values("pk").query.sql_with_params()


def _variant(user, params) -> str:
    wanted = json.dumps(
        {k: sorted(params.getlist(k)) for k in FILTERS if k in params}, sort_keys=True
    )
    return f"u{user.pk}:" + hashlib.sha1(wanted.encode()).hexdigest()[:16]


def tile(*, user, layer: str, z: int, x: int, y: int, params) -> bytes:
    """A vector tile of the user's cases ("cases") or of their counts in hexagons ("bins")."""
    key = tile_key(layer, _variant(user, params), z, x, y)
    cached = cache.get(key)
    if cached is not None:
        return cached
    ids = _ids_query(map_cases(user=user, params=params))
    counties = user_county_ids(user)
    if layer == "cases":
        data = spatial.cases_tile(ids, counties, z, x, y, timezone.localdate())
    else:
        data = spatial.bins_tile(ids, counties, z, x, y)
    cache.set(key, data, TILE_SECONDS)
    return data


def case_summary(*, user, case_id) -> dict:
    """What a click on a case of the map shows: its number, category, status, place, dates and
    description.

    Never its parties: reading them would reveal who complained, and for a user
    who may see identities, log a reveal the user never asked for.
    Http404 for a case outside the user's scope, as for every other read.
    """
    case = case_selectors.case_get(user=user, case_id=case_id)
    today = timezone.localdate()
    return {
        "id": case.pk,
        "category": case.category.code,
        "category_name": case.category.name,
        "status": case.status,
        "status_display": case.get_status_display(),
        "level": case.level,
        "level_display": case.get_level_display(),
        "township": case.township.name if case.township else None,
        "village": case.village.name if case.village else None,
        "grid": case.grid.name if case.grid else None,
        "reported_on": timezone.localdate(case.reported_at).isoformat(),
        "due_date": case.due_date.isoformat() if case.due_date else None,
        "due_state": due_state(case.due_date, today) if case.is_open else "",
        "description": case.description,
    }


def clusters(*, user, params, days: int = 90, eps_m: float = 300, min_points: int = 5) -> dict:
    """Where open cases of the last `days` cluster (DBSCAN), biggest first, as GeoJSON."""
    cases = map_cases(user=user, params=params).filter(
        status__in=OPEN, reported_at__gte=timezone.now() - timedelta(days=days)
    )
    return _cluster_collection(cases, eps_m, min_points)


def unit_clusters(*, level: str, unit, start, end, eps_m: float = 300, min_points: int = 5) -> dict:
    """Where a unit's cases reported from `start` to `end` (local dates) cluster, any status.

    For jobs without a user (the monthly bulletins): the caller chose the unit.
    """
    cases = Case.objects.filter(
        **{f"{level}_id": unit.pk}, reported_at__date__range=(start, end)
    ).order_by()
    return _cluster_collection(cases, eps_m, min_points)


def _cluster_collection(cases, eps_m: float, min_points: int) -> dict:
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(hull),
            "properties": {
                "rank": rank,
                "size": size,
                "category": code,
                "category_name": name,
                "centre": [lon, lat],
            },
        }
        for rank, (_cluster, size, code, name, hull, lon, lat) in enumerate(
            spatial.clusters(_ids_query(cases), eps_m, min_points), start=1
        )
    ]
    return {"type": "FeatureCollection", "features": features}


def boundaries(*, user, level: str, code: str, zoom: int) -> dict:
    """A unit and its children as GeoJSON, simplified for the zoom (ST_SimplifyPreserveTopology).

    Each feature says its level and whether it is one of the children. A region
    (several counties) has no outline of its own: its counties are the top layer.
    """
    unit = unit_in_area(user, level, code)
    tolerance = 360 / 2**zoom / 512  # about half a pixel of a 256-pixel tile, in degrees
    parts = [] if level == "region" else [(level, UNIT_MODELS[level], [unit.pk])]
    if level in CHILD_LEVEL:
        child_model = UNIT_MODELS[CHILD_LEVEL[level]]
        children = units_below(level, unit).values_list("pk", flat=True)
        parts.append((CHILD_LEVEL[level], child_model, list(children)))
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(geometry),
            "properties": {
                "id": unit_id,
                "code": unit_code,
                "name": name,
                "level": part_level,
                "child": part_level != level,
            },
        }
        for part_level, model, ids in parts
        for unit_id, unit_code, name, geometry in spatial.boundaries(
            model._meta.db_table, ids, tolerance
        )
    ]
    return {"type": "FeatureCollection", "features": features}


def unit_figures(*, user, level: str, code: str) -> dict:
    """The side panel of a unit: open and overdue cases, settled this month, teams."""
    unit = unit_in_area(user, level, code)
    cases = case_selectors.case_list(user=user).filter(in_unit_q(level, unit)).order_by()
    today = timezone.localdate()
    month_start = today.replace(day=1)
    figures = cases.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN)),
        overdue=Count("pk", filter=Q(status__in=OPEN, due_date__lt=today)),
        settled_this_month=Count(
            "pk", filter=Q(outcome="settled", resolved_at__date__gte=month_start)
        ),
    )
    teams = _unit_teams(level, unit).count()
    return {"level": level, "code": unit.code, "name": str(unit.name), **figures, "teams": teams}


def _unit_teams(level: str, unit):
    """Active teams at home in a unit; a village or grid also counts its township's own teams."""
    active = Team.objects.filter(active=True)
    if level == "region":
        return active.filter(in_unit_q(level, unit))
    if level in ("county", "township"):
        return active.filter(**{f"{level}_id": unit.pk})
    village_id = unit.pk if level == "village" else unit.village_id
    return active.filter(Q(village_id=village_id) | Q(township_id=unit.township_id, village=None))


def projects(*, user) -> dict:
    """The active major projects (稳评) the user keeps, as GeoJSON, with their linked cases."""
    rows = project_list(user=user).filter(active=True).defer(None)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": json.loads(project.area.geojson),
                "properties": {
                    "id": project.pk,
                    "name": project.name,
                    "risk": project.risk,
                    "risk_display": str(project.get_risk_display()),
                    "inside": project.inside,
                    "url": f"/desk/projects/{project.pk}/",
                },
            }
            for project in rows
        ],
    }
