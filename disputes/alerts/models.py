"""Emerging-hotspot alerts: a rise of cases unlikely to be chance, in a village (one category)
or around a registered major project (every category)."""

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Category
from disputes.risks.models import MajorProject
from villages.models import County, Township, Village


class HotspotAlert(models.Model):
    """One alert: the cases of the last days against the weeks before, in one place.

    The place is a village with a category, or a major project's area and its
    surroundings (every category). The method and its numbers are kept as they
    were computed, so that the alert says why it was raised. One per village and
    category, or per project, and week.
    """

    class Method(models.TextChoices):
        POISSON = "poisson", _("Poisson test")
        NEGATIVE_BINOMIAL = "negbin", _("negative binomial test")

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey(Township, on_delete=models.CASCADE, null=True, related_name="+")
    village = models.ForeignKey(Village, on_delete=models.CASCADE, null=True, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, related_name="+")
    project = models.ForeignKey(
        MajorProject, on_delete=models.CASCADE, null=True, related_name="alerts"
    )
    week = models.DateField(_("week"), help_text=_("the Monday of the week the alert was raised"))
    window_start = models.DateField(_("from"))
    window_end = models.DateField(_("to"))
    observed = models.PositiveIntegerField(_("cases in the window"))
    expected = models.FloatField(_("cases expected"))
    baseline_weeks = models.PositiveSmallIntegerField(_("weeks compared"))
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    dispersion = models.FloatField(
        _("negative binomial size"),
        null=True,
        blank=True,
        help_text=_("empty for the Poisson test"),
    )
    p_value = models.FloatField(_("p-value"))
    threshold = models.FloatField(
        _("threshold"), help_text=_("the significance level divided by the number of tests")
    )
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("hotspot alert")
        verbose_name_plural = _("hotspot alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "village", "category", "week"],
                condition=models.Q(project__isnull=True),
                name="one_alert_per_village_category_week",
            ),
            models.UniqueConstraint(
                fields=["county", "project", "week"],
                condition=models.Q(project__isnull=False),
                name="one_alert_per_project_week",
            ),
            models.CheckConstraint(
                condition=models.Q(project__isnull=False)
                | models.Q(village__isnull=False, category__isnull=False),
                name="alert_has_a_place",
            ),
        ]
        indexes = [models.Index(fields=["county", "created_at"])]

    def __str__(self):
        return f"{self.project_id or self.village_id} {self.category_id or ''} {self.week}"
