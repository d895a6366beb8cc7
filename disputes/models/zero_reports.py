"""每天零报告: each grid's daily report, "what I found today" or "nothing to report"."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case
from grid.models import Grid
from villages.models import County


class ZeroReport(models.Model):
    """One grid's report for one day, filed by one of its workers with one tap."""

    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="zero_reports")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    nothing_found = models.BooleanField(_("nothing to report"))
    cases = models.ManyToManyField(
        Case, blank=True, related_name="zero_reports", verbose_name=_("cases found")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-day", "grid__code"]
        verbose_name = _("daily zero report")
        verbose_name_plural = _("daily zero reports")
        constraints = [
            models.UniqueConstraint(fields=["grid", "day"], name="one_zero_report_per_grid_day")
        ]
        indexes = [models.Index(fields=["county", "day"])]

    def __str__(self):
        return f"{self.grid.code} {self.day}"
