"""Map pages for leaders, and the data they draw: thin views over maps.selectors."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from disputes.models import Case, Category, Level
from maps import selectors

MVT = "application/vnd.mapbox-vector-tile"


def _int(request, name, default):
    try:
        return int(request.GET.get(name, default))
    except ValueError:
        return default


@require_GET
def tile(request, layer, z, x, y):
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    if layer not in ("cases", "bins") or not 0 <= z <= 20 or not (0 <= x < 2**z and 0 <= y < 2**z):
        return HttpResponse(status=404)
    data = selectors.tile(user=request.user, layer=layer, z=z, x=x, y=y, params=request.GET)
    response = HttpResponse(data, content_type=MVT)
    # Tiles differ per user (their area), so only the browser may keep them.
    response["Cache-Control"] = "private, max-age=60"
    return response


@require_GET
@login_required
def clusters(request):
    days = min(max(_int(request, "days", 90), 1), 366)
    eps = min(max(_int(request, "eps", 300), 20), 5000)
    min_points = min(max(_int(request, "min_points", 5), 2), 100)
    return JsonResponse(
        selectors.clusters(
            user=request.user, params=request.GET, days=days, eps_m=eps, min_points=min_points
        )
    )


@require_GET
@login_required
def boundaries(request):
    return JsonResponse(
        selectors.boundaries(
            user=request.user,
            level=request.GET.get("level", ""),
            code=request.GET.get("code", ""),
            zoom=_int(request, "zoom", 10),
        )
    )


@require_GET
@login_required
def figures(request):
    return JsonResponse(
        selectors.unit_figures(
            user=request.user, level=request.GET.get("level", ""), code=request.GET.get("code", "")
        )
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
        "parties": _("Parties"),
    }


def _page(template):
    @login_required
    def view(request):
        level, unit = selectors.user_units(request.user)
        if unit is None:
            raise Http404
        return render(
            request,
            template,
            {
                "home_level": level,
                "home": unit,
                "basemap_url": settings.MAP_BASEMAP_URL,
                "basemap_attribution": settings.MAP_BASEMAP_ATTRIBUTION,
                "categories": Category.objects.filter(active=True),
                "statuses": Case.Status.choices,
                "levels": Level.choices,
                "map_texts": _map_texts(),
            },
        )

    return view


territory = _page("maps/territory.html")
coverage = _page("maps/coverage.html")
hotspots = _page("maps/hotspots.html")
