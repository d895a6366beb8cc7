"""Dispute cases (矛盾纠纷 / 信访事项), their parties, attachments, mediation sessions and history.

Every table that grows with the cases carries the county, so that it can be
partitioned or distributed by county.
"""

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from disputes.core.private_files import PrivateStorage
from grid.models import Grid
from villages.models import County, Department, Township, Village


class Category(models.Model):
    """A kind of dispute; the taxonomy is seeded and edited in the admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class Level(models.TextChoices):
    """The unit that holds a case, from the bottom up."""

    GRID = "grid", _("grid")
    VILLAGE = "village", _("village")
    TOWNSHIP = "township", _("township")
    COUNTY = "county", _("county")


LEVEL_ORDER = [Level.GRID, Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY]


class Case(models.Model):
    class Channel(models.TextChoices):
        PATROL = "patrol", _("grid patrol")
        VISIT = "visit", _("visit")
        LETTER = "letter", _("letter")
        PHONE = "phone", _("phone")
        HOTLINE = "hotline", _("12345 hotline")
        WEB = "web", _("web")
        MAILBOX = "mailbox", _("leaders' mailbox")
        MESSAGE = "message", _("message / WeChat")
        VIDEO = "video", _("video")
        AGENT = "agent", _("through an agent")

    class Status(models.TextChoices):
        REPORTED = "reported", _("reported")
        ACCEPTED = "accepted", _("accepted")
        NOT_ACCEPTED = "not_accepted", _("not accepted")
        IN_HANDLING = "in_handling", _("in handling")
        IN_REVIEW = "in_review", _("in review")
        # 访调诉: referred to arbitration, a court, administrative review or the
        # procuratorate (disputes.referrals); the petition clock stops until its result.
        REFERRED = "referred", _("referred elsewhere")
        RESOLVED = "resolved", _("resolved")
        FOLLOWED_UP = "followed_up", _("followed up")
        CLOSED = "closed", _("closed")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("normal")
        URGENT = "urgent", _("urgent")
        CRITICAL = "critical", _("critical")

    class Outcome(models.TextChoices):
        SETTLED = "settled", _("settled")
        PARTLY_SETTLED = "partly_settled", _("partly settled")
        NOT_SETTLED = "not_settled", _("not settled")
        REFERRED = "referred", _("referred to court or arbitration")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        BASICALLY_SATISFIED = "basically_satisfied", _("basically satisfied")
        NOT_SATISFIED = "not_satisfied", _("not satisfied")

    class DeadlineKind(models.TextChoices):
        ACCEPTANCE = "acceptance", _("decide on acceptance")
        HANDLING = "handling", _("finish handling")
        REVIEW = "review", _("finish review")
        FOLLOW_UP = "follow_up", _("follow up")

    OPEN_STATUSES = (
        Status.REPORTED,
        Status.ACCEPTED,
        Status.IN_HANDLING,
        Status.IN_REVIEW,
        Status.REFERRED,
        Status.RESOLVED,
        Status.FOLLOWED_UP,
    )

    # Unique per reporter (a constraint below): another user's key is theirs alone.
    uuid = models.UUIDField(_("client key"), default=uuid.uuid4, editable=False)
    request_hash = models.CharField(max_length=64, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reported_cases",
        verbose_name=_("reporter"),
        db_index=False,  # one_case_per_reporter_key (reporter, uuid) serves it
    )
    occurred_at = models.DateTimeField(_("happened at"))
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    location = models.PointField(_("location"), srid=4326)
    accuracy_m = models.FloatField(_("GPS accuracy (m)"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # No single-column indexes on the units and the category: the composite indexes
    # of Meta.indexes start with each of them and serve the same lookups; every
    # index is one more to update and to weigh at each report.
    grid = models.ForeignKey(
        Grid,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        db_index=False,
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        db_index=False,
    )
    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        db_index=False,
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="cases", db_index=False
    )

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, verbose_name=_("category"), db_index=False
    )
    people_involved = models.PositiveIntegerField(_("people involved"), default=1)
    amount_at_stake = models.DecimalField(
        _("amount at stake (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("description"))
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )

    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.REPORTED
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    deadline_kind = models.CharField(
        _("deadline"), max_length=10, choices=DeadlineKind.choices, blank=True
    )
    deadline_basis = models.JSONField(
        _("deadline basis"),
        default=dict,
        blank=True,
        help_text=_("years counted without the official holiday calendar"),
    )
    extended_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_on_time = models.BooleanField(
        _("resolved within the time limit"),
        null=True,
        blank=True,
        help_text=_("empty until resolved, or when no time limit ran"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reviews = models.PositiveSmallIntegerField(_("reviews"), default=0)
    team = models.ForeignKey(
        "disputes.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("team"),
    )
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("repeat of"),
    )
    # Where the point came from: false for a case registered without a known point,
    # placed inside its village (the grid is then unknown).
    point_known = models.BooleanField(
        _("point known"),
        default=True,
        db_default=True,
        help_text=_("false: no point was known; the case is placed inside its village"),
    )
    # A case from the 12345 hotline keeps its ticket number (工单号), one case per ticket
    # in a county (a constraint below).
    hotline_ticket = models.CharField(
        _("12345 ticket number"), max_length=30, blank=True, default="", db_default=""
    )
    # 代办: an agent (a cadre, a relative) filed the case for a resident, who is the
    # complainant. The agent's name and phone are personal data: shown like the parties'.
    agent_name = models.CharField(
        _("agent's name"), max_length=60, blank=True, default="", db_default=""
    )
    agent_unit = models.CharField(
        _("agent's unit"), max_length=100, blank=True, default="", db_default=""
    )
    agent_phone = models.CharField(
        _("agent's phone"), max_length=20, blank=True, default="", db_default=""
    )
    # The complainant's query code, only as a keyed hash (disputes.cases.query_codes).
    query_code_hash = models.CharField(
        max_length=64, blank=True, default="", db_default="", editable=False
    )
    # 领导信箱: a resident addressed the case to this leader (disputes.residents); the
    # leader's desk marks it. The case is held by the leader's unit like any other.
    addressed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="addressed_cases",
        verbose_name=_("addressed to"),
    )

    # 转办: the department holding the case (disputes.departments routes it there and back).
    # While set, the department's staff hold the case; the territorial unit at `level`
    # that routed it keeps seeing it, supervises it and does the return visit.
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("department"),
    )
    # 重点案件 / 积案 marked by the county: such a case must have a 包案 leader
    # (disputes.ownership); a case open longer than settings.BACKLOG_DAYS is backlog too.
    is_key = models.BooleanField(_("key case"), default=False, db_default=False)
    marked_backlog = models.BooleanField(_("marked as backlog"), default=False, db_default=False)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "uuid", "county"], name="one_case_per_reporter_key"
            ),
            models.UniqueConstraint(
                fields=["county", "hotline_ticket"],
                condition=~models.Q(hotline_ticket=""),
                name="one_case_per_hotline_ticket",
            ),
            models.UniqueConstraint(
                fields=["query_code_hash", "county"],
                condition=~models.Q(query_code_hash=""),
                name="one_case_per_query_code",
            ),
        ]
        indexes = [
            models.Index(fields=["county", "status", "due_date"]),
            models.Index(fields=["township", "status"]),
            models.Index(fields=["village", "status"]),
            models.Index(fields=["grid", "status"]),
            models.Index(fields=["category", "reported_at"]),
            # The daily roll-ups rebuild one county's day at a time.
            models.Index(fields=["county", "reported_at"]),
            # The desk's list of a township, newest first.
            models.Index(fields=["township", "reported_at"]),
        ]

    def __str__(self):
        return f"#{self.pk} {self.category} · {self.get_status_display()}"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


class Party(models.Model):
    """A party (当事人). The ID number is never stored in clear.

    `id_number_masked` is what most people see, `id_number_hash` a keyed
    hash to match repeats, `id_number_encrypted` the full number, readable
    only with the key from the environment.
    """

    class Role(models.TextChoices):
        COMPLAINANT = "complainant", _("complainant")
        RESPONDENT = "respondent", _("respondent")
        OTHER = "other", _("other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True)
    id_number_encrypted = models.TextField(blank=True)
    name_phone_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        indexes = [
            # A resident follows their cases by their mobile number (disputes.residents).
            models.Index(
                fields=["phone"],
                condition=models.Q(role="complainant") & ~models.Q(phone=""),
                name="disputes_party_phone",
            )
        ]
        permissions = [("view_party_identity", _("Can see parties' names, phones and ID numbers"))]

    def __str__(self):
        return f"{self.get_role_display()} #{self.pk}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        DOCUMENT = "document", _("document")

    # Unique per uploader (a constraint below), like a case's key.
    uuid = models.UUIDField(_("client key"), default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Private: served only by a view that applies the case's scope.
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/", storage=PrivateStorage())
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(
                fields=["uploaded_by", "uuid", "county"], name="one_attachment_per_uploader_key"
            )
        ]


class CaseEvent(models.Model):
    """One change of a case. Append-only: the database refuses updates and deletes."""

    class Action(models.TextChoices):
        REPORT = "report", _("reported")
        ACCEPT = "accept", _("accepted")
        REJECT = "reject", _("not accepted")
        ESCALATE = "escalate", _("escalated")
        RESOLVE = "resolve", _("resolved")
        FOLLOW_UP = "follow_up", _("followed up")
        REOPEN = "reopen", _("reopened for review")
        TEAM = "team", _("team")
        SUPERVISE = "supervise", _("supervised (督办)")
        EXTEND = "extend", _("deadline extended")
        CLOSE = "close", _("closed")
        NOTE = "note", _("note")
        HAND_BACK = "hand_back", _("handed back by the team")
        REPLY = "reply", _("replied to the complainant")
        # 转办 to a department (disputes.departments)
        ROUTE = "route", _("routed to a department")
        ROUTE_TAKE = "route_take", _("accepted by the department")
        ROUTE_BACK = "route_back", _("returned by the department")
        ASSIST = "assist", _("co-handling reply")
        # 访调诉 (disputes.referrals)
        REFER = "refer", _("referred elsewhere")
        REFER_DONE = "refer_done", _("result of the referral")
        # 包案 (disputes.ownership)
        LEAD = "lead", _("包案 leader named")
        MEET = "meet", _("leader met the complainant")
        PLAN = "plan", _("resolution plan agreed")
        CHECK = "check", _("leader checked progress")
        PROGRESS = "progress", _("weekly progress")
        # 联席会议 (disputes.meetings)
        MEETING = "meeting", _("discussed at a joint meeting")
        DECISION = "decision", _("joint-meeting decision done")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_status = models.CharField(max_length=14, choices=Case.Status.choices, blank=True)
    to_status = models.CharField(max_length=14, choices=Case.Status.choices)
    from_level = models.CharField(max_length=10, choices=Level.choices, blank=True)
    to_level = models.CharField(max_length=10, choices=Level.choices)
    note = models.TextField(_("note"), blank=True)
    # What the handling unit wrote for the complainant (答复): shown on the resident's
    # tracking page and through Open311. The note stays internal.
    reply = models.TextField(_("reply to the complainant"), blank=True, default="", db_default="")
    # The day a step recorded afterwards happened (a 包案 leader's meeting, a referral).
    on_date = models.DateField(_("on"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")


class PartyAccessLog(models.Model):
    """Who saw the parties of a case unmasked, and when."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("party access")
        verbose_name_plural = _("party accesses")


class Holiday(models.Model):
    """A public holiday or a makeup working day (调休), for years the calendar package does not know."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=40)
    is_workday = models.BooleanField(
        _("makeup working day"), default=False, help_text=_("a weekend day worked instead")
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self):
        return f"{self.date} {self.name}"


class MediationSession(models.Model):
    """A mediation session a team held on a case (调解记录), kept in the case's file.

    Recorded by disputes.teams.services.sessions; the signed agreement is one of the
    case's attachments.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sessions")
    team = models.ForeignKey("disputes.Team", on_delete=models.PROTECT, related_name="sessions")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("held on"))
    attendees = models.TextField(_("attendees"))
    agreed = models.TextField(_("what was agreed"), blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=Case.Outcome.choices,
        blank=True,
        help_text=_("empty while mediation goes on"),
    )
    agreement = models.ForeignKey(
        Attachment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed agreement (调解协议书)"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")


class FigureDirtyDay(models.Model):
    """A county's day whose roll-up is out of date: one row per change, written with the change.

    Rows are only ever inserted by changes (disputes.cases.services.events, no
    unique key, so concurrent changes never wait on each other) and deleted by
    the refresh that read them (disputes.reporting.services.figures).
    """

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
