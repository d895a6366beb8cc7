"""社会稳定风险评估: major projects registered with their area, risk and measures, and their cases."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case
from villages.models import County


class MajorProject(models.Model):
    """A major project (land acquisition, demolition, large works …) assessed for stability risk."""

    class Kind(models.TextChoices):
        LAND_ACQUISITION = "land", _("land acquisition (征地)")
        DEMOLITION = "demolition", _("demolition and relocation (拆迁)")
        WORKS = "works", _("large construction works")
        RESTRUCTURING = "restructuring", _("enterprise restructuring (企业改制)")
        OTHER = "other", _("other")

    class Risk(models.TextChoices):
        HIGH = "high", _("high")
        MEDIUM = "medium", _("medium")
        LOW = "low", _("low")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    area = models.MultiPolygonField(_("area"), srid=4326)
    responsible_unit = models.CharField(_("responsible unit"), max_length=100)
    assessed_on = models.DateField(_("assessed on"))
    risk = models.CharField(_("risk level"), max_length=6, choices=Risk.choices)
    measures = models.TextField(_("measures agreed"))
    active = models.BooleanField(_("active"), default=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("major project")
        verbose_name_plural = _("major projects")
        indexes = [models.Index(fields=["county", "active"])]

    def __str__(self):
        return self.name


class ProjectFollowUp(models.Model):
    """A follow-up of a project's measures (措施落实情况), dated."""

    project = models.ForeignKey(MajorProject, on_delete=models.CASCADE, related_name="follow_ups")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("follow-up"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("project follow-up")
        verbose_name_plural = _("project follow-ups")


class ProjectCase(models.Model):
    """A case reported inside a project's area, linked when it is reported or the project registered."""

    project = models.ForeignKey(MajorProject, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="project_links")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-case_id"]
        verbose_name = _("case of a project")
        verbose_name_plural = _("cases of projects")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "project", "case"], name="one_link_per_project_case"
            )
        ]
