"""Emerging-hotspot alerts: a rise of one category's cases in one village, unlikely to be chance."""

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Category
from villages.models import County, Township, Village


class HotspotAlert(models.Model):
    """One alert: a village's cases of a category in the last days against its previous weeks.

    The method and its numbers are kept as they were computed, so that the
    alert says why it was raised. One per village, category and week.
    """

    class Method(models.TextChoices):
        POISSON = "poisson", _("Poisson test")
        NEGATIVE_BINOMIAL = "negbin", _("negative binomial test")

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey(Township, on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
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
                name="one_alert_per_village_category_week",
            )
        ]
        indexes = [models.Index(fields=["county", "created_at"])]

    def __str__(self):
        return f"{self.village_id} {self.category_id} {self.week}"
