"""Grids (网格): the smallest unit of the territory, a few hundred households."""

import re

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from config.history import change_model
from villages.models import County, Township, Village

GRID_CODE_RE = re.compile(r"^(?P<village>[0-9]{12})-(?P<seq>[0-9]{2,3})$")


class Grid(models.Model):
    """A grid inside one village; its code is the village code, a dash and a number.

    Township and county are copies of the village's, kept so that rows keyed by
    grid can be filtered and partitioned by county without joins.
    """

    code = models.CharField(_("grid code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="grids", verbose_name=_("village")
    )
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="grids", verbose_name=_("township")
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="grids", verbose_name=_("county")
    )
    boundary = models.MultiPolygonField(_("boundary"), srid=4326, null=True, blank=True)
    boundary_generated = models.BooleanField(
        _("generated boundary"), default=False, db_default=False
    )
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="grids",
        blank=True,
        verbose_name=_("grid workers"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{12}-[0-9]{2,3}$"), name="grid_code_format"
            ),
        ]

    def __str__(self):
        return f"{self.village.name} {self.name}" if self.village_id else self.name

    def clean_fields(self, exclude=None):
        # Township and county are copies of the village's, filled before validation.
        if self.village_id:
            self.township_id = self.village.township_id
            self.county_id = self.village.county_id
        super().clean_fields(exclude)

    def clean(self):
        super().clean()
        match = GRID_CODE_RE.match(self.code or "")
        if not match:
            raise ValidationError(
                {
                    "code": _(
                        "A grid code is the village code, a dash and 2-3 digits, e.g. 360425100201-03."
                    )
                }
            )
        if self.village_id and match["village"] != self.village.code:
            raise ValidationError(
                {
                    "code": _("Grid code %(code)s is not under village %(village)s.")
                    % {"code": self.code, "village": self.village.code}
                }
            )


class GridWorker(Grid.workers.through):
    """A worker's membership of a grid, to track who was put on or taken off it."""

    class Meta:
        proxy = True


class GridWorkerChange(change_model(GridWorker, obj=False)):
    class Meta:
        verbose_name = _("grid worker change")
        verbose_name_plural = _("grid worker changes")
