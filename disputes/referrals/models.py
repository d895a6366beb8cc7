"""访调诉: a case referred out of the administrative channel, and the result that comes back."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case
from villages.models import County


class Referral(models.Model):
    """A case referred to arbitration, a court, administrative review or the procuratorate.

    While its result is awaited the case is `referred` and its petition clock
    stops (no time limit runs); the result, when it comes back, is recorded here
    and on the timeline.
    """

    class Body(models.TextChoices):
        LABOUR_ARBITRATION = "labour_arbitration", _("labour dispute arbitration (劳动仲裁)")
        LAND_ARBITRATION = "land_arbitration", _("rural land contract arbitration (土地承包仲裁)")
        COURT_MEDIATION = "court_mediation", _("court pre-litigation mediation (诉前调解)")
        LITIGATION = "litigation", _("litigation (诉讼)")
        ADMINISTRATIVE_REVIEW = "admin_review", _("administrative review (行政复议)")
        PROCURATORATE = "procuratorate", _("procuratorate (检察院)")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("referred to"), max_length=20, choices=Body.choices)
    body_name = models.CharField(_("receiving body"), max_length=100)
    referred_on = models.DateField(_("referred on"))
    reference = models.CharField(_("their reference"), max_length=60, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    result = models.TextField(_("result"), blank=True)
    result_on = models.DateField(_("result on"), null=True, blank=True)
    result_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "case"],
                condition=models.Q(result_on__isnull=True),
                name="one_open_referral_per_case",
            )
        ]
        indexes = [models.Index(fields=["county", "referred_on"])]

    def __str__(self):
        return f"#{self.case_id} → {self.body_name}"
