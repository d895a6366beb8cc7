"""Map pages for leaders, and the data they draw: thin views over maps.selectors."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from disputes.cases.models import Case, Category, Level
from disputes.core.areas import unit_in_area, user_units
from maps import selectors
from maps.queries import (
    CLUSTER_EPS_M,
    CLUSTER_MIN_POINTS,
    BoundariesQuery,
    ClustersQuery,
    HotspotsFrame,
    QueryInvalid,
    UnitQuery,
    query,
)

MVT = "application/vnd.mapbox-vector-tile"


def _bad_query(errors) -> JsonResponse:
    return JsonResponse(errors, status=400, json_dumps_params={"ensure_ascii": False})


@require_GET
def tile(request, layer, z, x, y):
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    if layer not in ("cases", "bins") or not 0 <= z <= 20 or not (0 <= x < 2**z and 0 <= y < 2**z):
        return HttpResponse(status=404)
    try:
        data = selectors.tile(user=request.user, layer=layer, z=z, x=x, y=y, params=request.GET)
    except QueryInvalid as invalid:
        return _bad_query(invalid.errors)
    response = HttpResponse(data, content_type=MVT)
    # Tiles differ per user (their area), so only the browser may keep them.
    response["Cache-Control"] = "private, max-age=60"
    return response


@require_GET
@login_required
def clusters(request):
    try:
        values = query(ClustersQuery, request.GET)
        found = selectors.clusters(
            user=request.user,
            params=request.GET,
            days=values["days"],
            eps_m=values["eps"],
            min_points=values["min_points"],
        )
    except QueryInvalid as invalid:
        return _bad_query(invalid.errors)
    return JsonResponse(found)


@require_GET
@login_required
def case_summary(request, case_id):
    return JsonResponse(
        selectors.case_summary(user=request.user, case_id=case_id),
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@login_required
def boundaries(request):
    try:
        values = query(BoundariesQuery, request.GET)
    except QueryInvalid as invalid:
        return _bad_query(invalid.errors)
    return JsonResponse(selectors.boundaries(user=request.user, **values))


@require_GET
@login_required
def figures(request):
    try:
        values = query(UnitQuery, request.GET)
    except QueryInvalid as invalid:
        return _bad_query(invalid.errors)
    return JsonResponse(selectors.unit_figures(user=request.user, **values))


@require_GET
@login_required
def projects(request):
    return JsonResponse(
        selectors.projects(user=request.user), json_dumps_params={"ensure_ascii": False}
    )


def _map_texts() -> dict:
    """The words maps.js writes on the page, in the user's language (read as JSON, never HTML)."""
    return {
        "open": _("open cases"),
        "overdue": _("overdue"),
        "settled": _("settled this month"),
        "teams": _("teams"),
        "cases": _("cases"),
        "missing": _("missing"),
        "noAdviser": _("no legal adviser (法律顾问)"),
        "noLegalVillager": _("no legally trained villager (法律明白人)"),
        "pillars": {"self": _("自治"), "moral": _("德治"), "law": _("法治")},
        "cluster": _("cases, mostly"),
        "reported": _("Reported on"),
        "due": _("Due"),
        "project": _("major project (稳评), risk"),
        "casesInside": _("cases inside"),
    }


def _page(template, framed=False):
    @login_required
    def view(request):
        level, unit = user_units(request.user)
        if unit is None:
            raise Http404
        frame, status = _frame(request, level, unit) if framed else ({}, 200)
        return render(
            request,
            template,
            {
                "home_level": level,
                "home": unit,
                "frame_level": frame.get("level", level),
                "frame": frame.get("unit", unit),
                "frame_days": frame.get("days"),
                "frame_category": frame.get("category", ""),
                "frame_errors": frame.get("errors", []),
                "basemap_url": settings.MAP_BASEMAP_URL,
                "basemap_attribution": settings.MAP_BASEMAP_ATTRIBUTION,
                "categories": Category.objects.filter(active=True),
                "statuses": Case.Status.choices,
                "levels": Level.choices,
                "map_texts": _map_texts(),
                "cluster_eps_m": CLUSTER_EPS_M,
                "cluster_min_points": CLUSTER_MIN_POINTS,
            },
            status=status,
        )

    return view


def _frame(request, level, unit) -> tuple[dict, int]:
    """The unit (of the user's area, else 404), category and days the page is framed on."""
    try:
        values = query(HotspotsFrame, request.GET)
    except QueryInvalid as invalid:
        return {"errors": [m for messages in invalid.errors.values() for m in messages]}, 400
    frame = {"days": values.get("days")}
    if values.get("level"):
        frame["level"] = values["level"]
        frame["unit"] = unit_in_area(request.user, values["level"], values["code"])
    if values.get("category"):
        if not Category.objects.filter(code=values["category"]).exists():
            return {"errors": [_("No such category.")]}, 400
        frame["category"] = values["category"]
    return frame, 200


territory = _page("maps/territory.html")
coverage = _page("maps/coverage.html")
hotspots = _page("maps/hotspots.html", framed=True)
