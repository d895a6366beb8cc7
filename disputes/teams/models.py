"""Mediation and 三治 teams, their members, and the cases assigned to them."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case, Category
from villages.models import County, Township, Village


class Pillar(models.TextChoices):
    SELF = "self", _("self-governance (自治)")
    MORAL = "moral", _("moral governance (德治)")
    LAW = "law", _("rule of law (法治)")
    SERVICE = "service", _("service and mediation")


THREE_PILLARS = (Pillar.SELF, Pillar.MORAL, Pillar.LAW)


class Team(models.Model):
    class Kind(models.TextChoices):
        RESIDENTS_COUNCIL = "residents_council", _("residents' council (百姓参政团)")
        MORAL_PANEL = "moral_panel", _("moral-review panel (道德评判团)")
        LEGAL_VILLAGER = "legal_villager", _("legally trained villager (法律明白人)")
        LEGAL_ADVISER = "legal_adviser", _("legal adviser (法律顾问)")
        SERVICE_TEAM = "service_team", _("service team (百事服务团)")
        MEDIATION_COMMITTEE = (
            "mediation_committee",
            _("people's mediation committee (人民调解委员会)"),
        )
        MEDIATION_STUDIO = "mediation_studio", _("mediation studio (调解工作室)")
        REASONING_PANEL = "reasoning_panel", _("third-party panel (大家来评理)")

    PILLAR_OF_KIND = {
        Kind.RESIDENTS_COUNCIL: Pillar.SELF,
        Kind.MORAL_PANEL: Pillar.MORAL,
        Kind.LEGAL_VILLAGER: Pillar.LAW,
        Kind.LEGAL_ADVISER: Pillar.LAW,
        Kind.SERVICE_TEAM: Pillar.SERVICE,
        Kind.MEDIATION_COMMITTEE: Pillar.SERVICE,
        Kind.MEDIATION_STUDIO: Pillar.SERVICE,
        Kind.REASONING_PANEL: Pillar.MORAL,
    }

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    pillar = models.CharField(_("pillar"), max_length=10, choices=Pillar.choices)
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("home village"),
        help_text=_("empty for a team of the whole township"),
    )
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="teams", verbose_name=_("township")
    )
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="teams")
    base = models.PointField(_("base"), srid=4326)
    service_polygon = models.MultiPolygonField(
        _("service area"),
        srid=4326,
        null=True,
        blank=True,
        help_text=_("replaces the home unit's boundary as the service area"),
    )
    service_radius_m = models.PositiveIntegerField(
        _("service radius (m)"),
        null=True,
        blank=True,
        help_text=_("a circle around the base replaces the home unit's boundary"),
    )
    coverage = models.MultiPolygonField(
        _("coverage"),
        srid=4326,
        null=True,
        blank=True,
        editable=False,
        help_text=_("the service area in effect, kept by disputes.services.teams"),
    )
    categories = models.ManyToManyField(
        Category, blank=True, verbose_name=_("categories taken"), help_text=_("none means all")
    )
    capacity = models.PositiveSmallIntegerField(_("capacity (open cases)"), default=10)
    load = models.PositiveSmallIntegerField(_("open cases"), default=0, editable=False)
    active = models.BooleanField(_("active"), default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="TeamMember",
        related_name="teams",
        verbose_name=_("members"),
    )

    class Meta:
        ordering = ["township__code", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.CheckConstraint(condition=Q(load__gte=0), name="team_load_not_negative"),
        ]

    def __str__(self):
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    is_leader = models.BooleanField(_("leader"), default=False)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_member_once"),
            models.UniqueConstraint(
                fields=["team"], condition=Q(is_leader=True), name="team_one_leader"
            ),
        ]


class Assignment(models.Model):
    """A team proposed for, or handling, a case. At most one is active per case."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("no answer in time")
        CANCELLED = "cancelled", _("replaced")
        DONE = "done", _("case resolved")

    ACTIVE = (Status.PROPOSED, Status.ACCEPTED)

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="assignments")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    distance_m = models.FloatField(_("distance (m)"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("empty when the platform proposed the team"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    answer_due = models.DateTimeField(_("answer due"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "county"],
                condition=Q(status__in=["proposed", "accepted"]),
                name="one_active_assignment_per_case",
            ),
        ]
        indexes = [models.Index(fields=["status", "answer_due"])]
