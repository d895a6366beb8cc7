"""Writes for grids."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from grid.models import GRID_CODE_RE, Grid
from villages.models import Village


def grid_create(*, code: str, name: str = "", boundary=None, households=None) -> Grid:
    """Create a grid under the village its code names (village code, dash, number)."""
    match = GRID_CODE_RE.match(code)
    if not match:
        raise ValidationError(_("%(code)s is not a grid code") % {"code": code})
    village = Village.objects.get(code=match["village"])
    return Grid.objects.create(
        code=code,
        name=name or _("Grid %(seq)s") % {"seq": match["seq"]},
        village=village,
        township_id=village.township_id,
        county_id=village.county_id,
        boundary=boundary,
        households=households,
    )
