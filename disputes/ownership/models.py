"""包案: a named leader owns a hard case, with a responsible unit and person."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case
from villages.models import County


class CaseLeader(models.Model):
    """A township or county leader made the 包案领导 of a case; one active per case.

    The leader's "three in person" (met the complainant, agreed the plan, checked
    progress) and the weekly progress notes of backlog cases are case events
    (CaseEvent.Action.MEET, PLAN, CHECK, PROGRESS).
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="leaders")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_cases",
        verbose_name=_("包案 leader"),
    )
    unit = models.CharField(_("responsible unit"), max_length=100)
    person = models.CharField(_("responsible person"), max_length=60)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    named_at = models.DateTimeField(_("named at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-named_at", "-id"]
        verbose_name = _("包案 leader")
        verbose_name_plural = _("包案 leaders")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "case"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_leader_per_case",
            )
        ]
        indexes = [models.Index(fields=["leader", "ended_at"])]

    def __str__(self):
        return f"#{self.case_id} · {self.leader}"
