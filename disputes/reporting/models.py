"""Reporting's models: the daily roll-ups of cases behind the figures (报), and the files made for people: case exports and monthly bulletins (月度通报)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Category
from disputes.core.private_files import PrivateStorage
from disputes.teams.models import Team
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


class CaseDayCountyFigure(DayCounters):
    """The same counters summed per report day, county and category.

    A county's (or a region's) own figures over a year read a few thousand of
    these rows rather than the townships' tens of thousands.
    """

    day = models.DateField()
    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("daily case figures per county")
        verbose_name_plural = _("daily case figures per county")
        indexes = [models.Index(fields=["county", "day"])]


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Export(models.Model):
    """A background export of cases: the filters it was asked with, its progress, its file."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        GEOJSON = "geojson", "GeoJSON"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    written = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(
        _("file"), upload_to="exports/%Y/%m/", storage=PrivateStorage(), blank=True
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")


class Bulletin(models.Model):
    """月度通报 of a county (township empty) or a township for one month."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey(
        Township, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("the first day of the month"))
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    content = models.JSONField(_("content"), default=dict, blank=True)
    pdf = models.FileField(
        _("PDF"), upload_to="bulletins/%Y/", storage=PrivateStorage(), blank=True
    )
    xlsx = models.FileField(
        _("XLSX"), upload_to="bulletins/%Y/", storage=PrivateStorage(), blank=True
    )
    error = models.TextField(_("error"), blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-month", "township__code"]
        verbose_name = _("monthly bulletin")
        verbose_name_plural = _("monthly bulletins")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "township", "month"],
                nulls_distinct=False,
                name="one_bulletin_per_unit_month",
            )
        ]


class AssessmentTarget(models.Model):
    """考核: a county's target for one kind of unit, one measure and one year."""

    class UnitKind(models.TextChoices):
        TOWNSHIP = "township", _("townships")
        VILLAGE = "village", _("villages")
        DEPARTMENT = "department", _("departments")

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    unit_kind = models.CharField(_("units"), max_length=10, choices=UnitKind.choices)
    measure = models.CharField(_("measure"), max_length=24)
    value = models.FloatField(_("target"), help_text=_("a fraction: 0.98 for 98 %"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["county_id", "-year", "unit_kind", "measure"]
        verbose_name = _("assessment target")
        verbose_name_plural = _("assessment targets")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "unit_kind", "measure"], name="one_target_per_measure"
            )
        ]
