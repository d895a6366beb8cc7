"""Daily roll-ups of cases, the source of every figure, bulletin and ranking.

A CaseDayFigure row counts the cases reported on one day (local date) in one
grid, of one category, handled by one team; its counters describe those cases
as they are now. CaseDayTownshipFigure sums the same per township, for the
figures of whole townships and counties. disputes.services.figures rebuilds a county's day whenever one
of its cases changes (FigureDirtyDay marks it in the same transaction).
"""

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Category
from disputes.models.teams import Team
from grid.models import Grid
from villages.models import County, Township, Village

COUNTERS = (
    "received",
    "received_patrol",
    "received_visit",
    "received_letter",
    "received_phone",
    "received_hotline",
    "received_web",
    "received_mailbox",
    "received_message",
    "received_video",
    "received_agent",
    "people",
    "amount",
    "accepted",
    "not_accepted",
    "level_grid",
    "level_village",
    "level_township",
    "level_county",
    "escalated",
    "resolved",
    "resolved_on_time",
    "settled",
    "partly_settled",
    "not_settled",
    "referred",
    "repeats",
    "followed_up",
    "satisfied",
    "basically_satisfied",
    "not_satisfied",
)


def _counter():
    return models.PositiveIntegerField(default=0)


class DayCounters(models.Model):
    """The counters of a roll-up row: what the cases it counts are now."""

    received = _counter()
    received_patrol = _counter()
    received_visit = _counter()
    received_letter = _counter()
    received_phone = _counter()
    received_hotline = _counter()
    received_web = _counter()
    received_mailbox = _counter()
    received_message = _counter()
    received_video = _counter()
    received_agent = _counter()
    # Sums of what cases claim: wide enough for any number of the largest accepted values.
    people = models.BigIntegerField(default=0)
    amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    accepted = _counter()
    not_accepted = _counter()
    # Accepted cases by the level holding them now (or that resolved them).
    level_grid = _counter()
    level_village = _counter()
    level_township = _counter()
    level_county = _counter()
    escalated = _counter()
    resolved = _counter()
    resolved_on_time = _counter()
    settled = _counter()
    partly_settled = _counter()
    not_settled = _counter()
    referred = _counter()
    repeats = _counter()
    followed_up = _counter()
    satisfied = _counter()
    basically_satisfied = _counter()
    not_satisfied = _counter()

    class Meta:
        abstract = True


class CaseDayFigure(DayCounters):
    """Cases of one report day, grid, category and team: for villages, grids and teams."""

    day = models.DateField()
    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey(Township, on_delete=models.CASCADE, null=True, related_name="+")
    village = models.ForeignKey(Village, on_delete=models.CASCADE, null=True, related_name="+")
    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, null=True, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, related_name="+")

    class Meta:
        verbose_name = _("daily case figures")
        verbose_name_plural = _("daily case figures")
        indexes = [
            models.Index(fields=["county", "day"]),
            models.Index(fields=["township", "day"]),
            models.Index(fields=["village", "day"]),
            models.Index(fields=["grid", "day"]),
            models.Index(fields=["team", "day"]),
        ]


class CaseDayTownshipFigure(DayCounters):
    """The same counters summed per report day, township and category.

    With a case per grid and day, CaseDayFigure has about a row per case; this
    table has at most townships x categories rows a day, so county and township
    figures over a year read a few tens of thousands of rows, not a million.
    """

    day = models.DateField()
    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey(Township, on_delete=models.CASCADE, null=True, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("daily case figures per township")
        verbose_name_plural = _("daily case figures per township")
        indexes = [
            models.Index(fields=["county", "day"]),
            models.Index(fields=["township", "day"]),
        ]
