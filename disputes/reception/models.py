"""领导接访日 and 约访: a unit's reception schedule, its sessions, the bookings and the ledger.

A schedule (接访安排) is a recurring rule of a unit: the county's reception
centre (township empty) or a township. Its sessions (接访场次) are made a month
at a time from the rules; a session may then be cancelled or given to another
leader. A case is booked into a session's slot (约访), and each visitor received
is a row of the session's ledger (接访台账) with the record of the conversation.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case
from villages.models import County, Department, Township

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ReceptionSchedule(models.Model):
    """A recurring reception day of a unit: a weekday, hours, a place, who receives.

    Either leaders taking turns week by week (`leaders`: [{"name", "title"}], the
    first one in the week of `first_date`) or a department stationed at the centre.
    """

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    place = models.CharField(_("place"), max_length=200)
    leaders = models.JSONField(_("leaders in rotation"), default=list, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department stationed"),
    )
    capacity = models.PositiveSmallIntegerField(_("appointment slots per session"), default=6)
    first_date = models.DateField(_("from the day"))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["weekday", "starts_at", "id"]
        verbose_name = _("reception schedule")
        verbose_name_plural = _("reception schedules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="reception_schedule_hours",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1, capacity__lte=50),
                name="reception_schedule_capacity",
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M} {self.place}"


class ReceptionSession(models.Model):
    """One reception day (接访场次): when, where, who receives, how many slots."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CANCELLED = "cancelled", _("cancelled")

    schedule = models.ForeignKey(
        ReceptionSchedule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    place = models.CharField(_("place"), max_length=200)
    leader_name = models.CharField(_("receiving leader"), max_length=60, blank=True)
    leader_title = models.CharField(_("title"), max_length=60, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department stationed"),
    )
    capacity = models.PositiveSmallIntegerField(_("appointment slots"), default=6)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    # Why it was cancelled or given to another leader: shown to residents and the desk.
    change_note = models.CharField(_("change"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "starts_at", "id"]
        verbose_name = _("reception session")
        verbose_name_plural = _("reception sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "date", "county"],
                condition=models.Q(schedule__isnull=False),
                name="reception_session_once_a_day",
            )
        ]
        indexes = [models.Index(fields=["county", "date"])]

    def __str__(self):
        return f"{self.date} {self.starts_at:%H:%M} {self.place}"

    @property
    def receiver(self) -> str:
        """Who receives, as the unit publishes it: the leader and title, or the department."""
        if self.leader_name:
            return f"{self.leader_name} {self.leader_title}".strip()
        return self.department.name if self.department_id else ""


class Appointment(models.Model):
    """约访: a case booked into a session's slot; the complainant is told by SMS."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        MOVED = "moved", _("moved to another day")
        CANCELLED = "cancelled", _("cancelled")
        MET = "met", _("received at the session")
        MISSED = "missed", _("did not come")

    session = models.ForeignKey(
        ReceptionSession, on_delete=models.PROTECT, related_name="appointments"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="appointments")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    texted = models.BooleanField(_("told by SMS"), default=False)

    class Meta:
        ordering = ["session__date", "booked_at", "id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "case", "county"],
                condition=models.Q(status="booked"),
                name="appointment_once_per_session",
            )
        ]

    def __str__(self):
        return f"#{self.case_id} · {self.session}"


class ReceptionVisit(models.Model):
    """A row of the session's ledger (接访台账): a visitor received, and the conversation (笔录)."""

    session = models.ForeignKey(ReceptionSession, on_delete=models.PROTECT, related_name="visits")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reception_visits")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    # Not a OneToOneField: its unique index would lack the county (docs/scale.md).
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    received_by = models.CharField(_("received by"), max_length=120)
    visitors = models.PositiveSmallIntegerField(_("people in the visit"), default=1)
    statement = models.TextField(_("what the visitor said"))
    answer = models.TextField(_("the leader's answer"))
    agreed = models.TextField(_("what was agreed"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("reception visit")
        verbose_name_plural = _("reception visits")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "case", "county"], name="visit_once_per_session"
            ),
            models.UniqueConstraint(
                fields=["appointment", "county"],
                condition=models.Q(appointment__isnull=False),
                name="visit_once_per_appointment",
            ),
        ]

    def __str__(self):
        return f"#{self.case_id} · {self.session}"
