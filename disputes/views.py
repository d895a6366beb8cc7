"""Web pages of the disputes app: the grid worker's phone page."""

import json

from django.contrib.auth.decorators import login_required
from django.contrib.gis.geos import Point
from django.shortcuts import render

from disputes.models import Case, Category, Party, Team
from disputes.policies import staff_of
from villages.models import County


@login_required(login_url="mobile-login")
def mobile(request):
    staff = staff_of(request.user)
    return render(
        request,
        "disputes/mobile.html",
        {
            "staff": staff,
            "categories": Category.objects.filter(active=True),
            "party_roles": Party.Role.choices,
            "urgencies": Case.Urgency.choices,
            "channels": Case.Channel.choices,
            "center": _home_centre(request.user, staff),
            "grids_geojson": _my_grids_geojson(request.user),
            "my_teams": Team.objects.filter(memberships__user=request.user).values("id", "name"),
            "outcomes": Case.Outcome.choices,
        },
    )


def _home_centre(user, staff):
    """Where the map opens before the GPS answers: the user's grid, village, township or county."""
    grid = user.grids.exclude(boundary=None).first()
    units = [grid, *(staff.village, staff.township, staff.county)] if staff else [grid]
    for unit in units:
        if unit is not None and unit.boundary is not None:
            return unit.boundary.point_on_surface
    county = County.objects.exclude(boundary=None).first()
    return county.boundary.point_on_surface if county else Point(115.8, 29.0, srid=4326)


def _my_grids_geojson(user) -> dict:
    """The outlines of the user's grids, drawn under the pin as the map's context."""
    features = [
        {
            "type": "Feature",
            "properties": {"name": grid.name},
            "geometry": json.loads(grid.boundary.geojson),
        }
        for grid in user.grids.exclude(boundary=None)
    ]
    return {"type": "FeatureCollection", "features": features}
