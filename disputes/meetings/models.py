"""联席会议: joint-conference meetings of a county or township, and their decisions (交办)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case
from villages.models import County, Department, Township


class JointMeeting(models.Model):
    """A meeting of the county's (township empty) or a township's joint conference."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=120)
    units_present = models.TextField(_("units present"))
    minutes = models.TextField(_("minutes"), blank=True)
    cases = models.ManyToManyField(
        Case,
        blank=True,
        through="JointMeetingCase",
        related_name="joint_meetings",
        verbose_name=_("cases discussed"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        indexes = [models.Index(fields=["county", "held_on"])]

    def __str__(self):
        return f"{self.held_on} {self.title}"


class JointMeetingCase(models.Model):
    """A case the meeting discussed; with the county, so that the link lives with both."""

    jointmeeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "disputes_jointmeeting_cases"
        constraints = [
            models.UniqueConstraint(
                fields=["county", "jointmeeting", "case"], name="meeting_case_once"
            )
        ]


class MeetingDecision(models.Model):
    """A decision of a joint meeting: a task assigned (交办) to a unit or department by a date.

    Exactly one of `department` and `township` is the assignee, or neither for the
    county office itself. Supervised like a case's time limit.
    """

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="decisions")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_decisions",
        verbose_name=_("case"),
    )
    text = models.TextField(_("decision"))
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_decisions",
        verbose_name=_("department"),
    )
    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("township"),
    )
    due_date = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.TextField(_("what was done"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Supervision tells the assignee once when due soon and once when overdue.
    warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("joint-meeting decision")
        verbose_name_plural = _("joint-meeting decisions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(department__isnull=True) | models.Q(township__isnull=True),
                name="decision_one_assignee",
            )
        ]
        indexes = [models.Index(fields=["county", "due_date"])]

    def __str__(self):
        return self.text[:40]
