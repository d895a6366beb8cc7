"""Files the platform makes for people: case exports and monthly bulletins (月度通报)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from disputes.core.private_files import PrivateStorage
from villages.models import County, Township


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
