"""转办 to departments: routing slips (one per department asked) and the county's category map.

A case is routed to one lead department (主办), which then holds it
(Case.department), and possibly to others asked for input (协办), each of which
replies on its own slip. The territorial unit that routed it keeps it in its
area, supervises it and does the return visit.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case, Category, Level
from villages.models import County, Department


class Routing(models.Model):
    """A routing slip (转办单): one department asked to handle (lead) or give input (assist).

    Lifecycle of a slip: pending (waiting for the department to accept within the
    acceptance limit) → accepted (the lead department holds the case) → done
    (the lead resolved the case, or an assisting department replied); or
    returned (退回, with a reason: the case goes back to the unit that routed it);
    or withdrawn (the routing unit took it back, or routed elsewhere).
    """

    class Role(models.TextChoices):
        LEAD = "lead", _("lead (主办)")
        ASSIST = "assist", _("co-handling (协办)")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for acceptance")
        ACCEPTED = "accepted", _("accepted")
        DONE = "done", _("replied")
        RETURNED = "returned", _("returned")
        WITHDRAWN = "withdrawn", _("withdrawn")

    OPEN_STATUSES = (Status.PENDING, Status.ACCEPTED)

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="routings")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="routings", verbose_name=_("department")
    )
    role = models.CharField(_("role"), max_length=6, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    routed_at = models.DateTimeField(_("routed at"), auto_now_add=True)
    # The level of the territorial unit that routed the case (it does the return visit).
    from_level = models.CharField(_("routed by level"), max_length=10, choices=Level.choices)
    reply_by = models.DateField(_("reply by"))
    accept_by = models.DateField(_("accept by"))
    instructions = models.TextField(_("instructions"), blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    reply = models.TextField(_("department's reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The case's status and time limit before a lead routing, restored if it is returned.
    prior_status = models.CharField(max_length=14, choices=Case.Status.choices, blank=True)
    prior_due_date = models.DateField(null=True, blank=True)
    prior_deadline_kind = models.CharField(max_length=10, blank=True)
    prior_deadline_basis = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-routed_at", "-id"]
        verbose_name = _("routing")
        verbose_name_plural = _("routings")
        constraints = [
            # One open slip per case and department; one open lead slip per case.
            models.UniqueConstraint(
                fields=["county", "case", "department"],
                condition=models.Q(status__in=["pending", "accepted"]),
                name="one_open_routing_per_department",
            ),
            models.UniqueConstraint(
                fields=["county", "case"],
                condition=models.Q(role="lead", status__in=["pending", "accepted"]),
                name="one_open_lead_routing_per_case",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status"]),
            models.Index(fields=["county", "routed_at"]),
        ]

    def __str__(self):
        return f"#{self.case_id} → {self.department_id} ({self.role})"

    @property
    def on_time(self) -> bool | None:
        """Replied by the reply-by date; None until replied."""
        if self.replied_at is None:
            return None
        return timezone.localdate(self.replied_at) <= self.reply_by


class CategoryRoute(models.Model):
    """The county office's map from a category to the departments responsible for it."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="category_routes"
    )

    class Meta:
        ordering = ["category__position", "department__name"]
        verbose_name = _("department responsible for a category")
        verbose_name_plural = _("departments responsible for categories")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "category", "department"],
                name="one_route_per_category_department",
            )
        ]
