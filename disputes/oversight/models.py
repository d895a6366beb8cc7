"""Oversight's models: supervision notices (督办), in-app notifications, daily zero reports (每天零报告)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case, Level
from grid.models import Grid
from villages.models import County


class SupervisionNotice(models.Model):
    """A 督办单: which case, at which stage, by which deadline, for which unit, issued by whom."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("due soon")
        OVERDUE = "overdue", _("overdue")
        MANUAL = "manual", _("issued by hand")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notices")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    stage = models.CharField(_("stage"), max_length=10, choices=Case.DeadlineKind.choices)
    due_date = models.DateField(_("due"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    unit_name = models.CharField(_("unit responsible"), max_length=100)
    days_overdue = models.IntegerField(_("days overdue"), default=0)
    note = models.TextField(_("note"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("empty when the hourly supervision issued it"),
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["-days_overdue", "-issued_at"]
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        constraints = [
            # The hourly job issues one notice of a kind per deadline and level.
            models.UniqueConstraint(
                fields=["case", "kind", "stage", "due_date", "level", "county"],
                condition=~models.Q(kind="manual"),
                name="one_automatic_notice_per_deadline",
            ),
        ]


class Notification(models.Model):
    """A message in a user's in-app list; unread until they open it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    notice = models.ForeignKey(
        SupervisionNotice,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # For what is not a supervision notice (a zero-report reminder): the text and where it leads.
    message = models.CharField(_("message"), max_length=200, blank=True)
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"])]


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
        Case,
        blank=True,
        through="ZeroReportCase",
        related_name="zero_reports",
        verbose_name=_("cases found"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-day", "grid__code"]
        verbose_name = _("daily zero report")
        verbose_name_plural = _("daily zero reports")
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "day", "county"], name="one_zero_report_per_grid_day"
            )
        ]
        indexes = [models.Index(fields=["county", "day"])]

    def __str__(self):
        return f"{self.grid.code} {self.day}"


class ZeroReportCase(models.Model):
    """A case found on a zero report's day; with the county, so that the link lives with both."""

    zeroreport = models.ForeignKey(ZeroReport, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "disputes_zeroreport_cases"
        constraints = [
            models.UniqueConstraint(
                fields=["county", "zeroreport", "case"], name="zero_report_case_once"
            )
        ]
