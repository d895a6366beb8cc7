"""What a resident may read of a case: only public fields, in plain words.

The public view is built field by field into dataclasses, so that nothing else of the
case (notes, actors, team, parties, reporter, other cases) can reach a template.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disputes.cases.models import Case, CaseEvent, Level, Party
from disputes.cases.query_codes import query_code_matches
from disputes.cases.services.complainant import review_request_until
from disputes.residents.models import MailboxLeader
from disputes.residents.portal import PORTAL_USERNAME
from villages.models import County, Staff, Township, Village

S = Case.Status
A = CaseEvent.Action

STATUS_WORDS = {
    S.REPORTED: _("Registered, waiting to be accepted"),
    S.ACCEPTED: _("Accepted, being handled"),
    S.IN_HANDLING: _("Accepted, being handled"),
    S.IN_REVIEW: _("Under review"),
    S.REFERRED: _("Referred to arbitration, a court or another body; waiting for its decision"),
    S.RESOLVED: _("Resolved, please rate it"),
    S.FOLLOWED_UP: _("Resolved and rated"),
    S.CLOSED: _("Closed"),
    S.NOT_ACCEPTED: _("Not accepted"),
}
DEADLINE_WORDS = {
    Case.DeadlineKind.ACCEPTANCE: _("To be accepted or refused by"),
    Case.DeadlineKind.HANDLING: _("To be handled by"),
    Case.DeadlineKind.REVIEW: _("Review to be finished by"),
    Case.DeadlineKind.FOLLOW_UP: _("Return visit by"),
}
STEP_WORDS = {
    A.REPORT: _("Registered"),
    A.ACCEPT: _("Accepted"),
    A.REJECT: _("Not accepted"),
    A.ESCALATE: _("Passed to the level above"),
    A.EXTEND: _("Handling time limit extended"),
    A.RESOLVE: _("Resolved"),
    A.FOLLOW_UP: _("Rated"),
    A.REOPEN: _("Review (复查) started"),
    A.CLOSE: _("Closed"),
    A.REPLY: _("Reply"),
    A.REFER: _("Referred to arbitration, a court or another body"),
    A.REFER_DONE: _("Decision of the body it was referred to"),
}
SATISFACTION_WORDS = {
    Case.Satisfaction.SATISFIED: _("Satisfied"),
    Case.Satisfaction.BASICALLY_SATISFIED: _("Basically satisfied"),
    Case.Satisfaction.NOT_SATISFIED: _("Not satisfied"),
}


@dataclass(frozen=True)
class PublicStep:
    at: datetime
    words: str
    reply: str


@dataclass(frozen=True)
class PublicCase:
    number: int
    category: str
    status: str
    status_words: str
    reported_at: datetime
    unit: str
    due_date: date | None
    deadline_words: str
    satisfaction_words: str
    # what the resident wrote, for a case they reported on these pages (a case registered
    # at a desk or by a grid worker was written by staff: not shown)
    description: str
    may_rate: bool
    review_until: datetime | None
    steps: list[PublicStep] = field(default_factory=list)


def _unit_name(case: Case) -> str:
    """The name of the unit holding the case, at its level; never a person."""
    unit = {
        Level.GRID: case.grid,
        Level.VILLAGE: case.village,
        Level.TOWNSHIP: case.township,
        Level.COUNTY: case.county,
    }.get(case.level)
    return unit.name if unit is not None else case.county.name


def case_public(*, case_id: int) -> PublicCase | None:
    """The public view of a case (the caller has checked the resident may see it)."""
    case = (
        Case.objects.filter(pk=case_id)
        .select_related("category", "grid", "village", "township", "county", "reporter")
        .defer(
            "location",
            "grid__boundary",
            "village__boundary",
            "township__boundary",
            "county__boundary",
        )
        .first()
    )
    if case is None:
        return None
    events = (
        CaseEvent.objects.filter(case_id=case.pk, action__in=list(STEP_WORDS))
        .order_by("at", "id")
        .only("at", "action", "reply")
    )
    steps = [
        PublicStep(at=event.at, words=str(STEP_WORDS[event.action]), reply=event.reply)
        for event in events
        if event.action != A.REPLY or event.reply
    ]
    until = review_request_until(case)
    return PublicCase(
        number=case.pk,
        category=case.category.name,
        status=case.status,
        status_words=str(STATUS_WORDS[case.status]),
        reported_at=case.reported_at,
        unit=_unit_name(case),
        due_date=case.due_date,
        deadline_words=str(DEADLINE_WORDS.get(case.deadline_kind, "")),
        satisfaction_words=str(SATISFACTION_WORDS.get(case.satisfaction, "")),
        description=case.description if case.reporter.username == PORTAL_USERNAME else "",
        may_rate=case.status == S.RESOLVED,
        review_until=until if until is not None and timezone.now() <= until else None,
        steps=steps,
    )


@dataclass(frozen=True)
class PublicCaseRow:
    number: int
    category: str
    status_words: str
    reported_at: datetime


def cases_of_phone(*, phone: str, limit: int = 50) -> list[PublicCaseRow]:
    """The cases whose complainant has this mobile number, newest first."""
    if not phone:
        return []
    ids = Party.objects.filter(role=Party.Role.COMPLAINANT, phone=phone).values("case_id")
    cases = (
        Case.objects.filter(pk__in=ids)
        .select_related("category")
        .only("id", "status", "reported_at", "category__name")
        .order_by("-reported_at", "-id")[:limit]
    )
    return [
        PublicCaseRow(case.pk, case.category.name, str(STATUS_WORDS[case.status]), case.reported_at)
        for case in cases
    ]


def case_of_phone(*, case_id: int, phone: str) -> bool:
    """Whether the case's complainant has this mobile number."""
    return (
        bool(phone)
        and Party.objects.filter(
            Q(case_id=case_id), role=Party.Role.COMPLAINANT, phone=phone
        ).exists()
    )


@dataclass(frozen=True)
class LeaderRow:
    id: int
    title: str
    unit: str


def mailbox_leaders() -> list[LeaderRow]:
    """The leaders who receive letters, with their unit (the county or their township)."""
    leaders = (
        MailboxLeader.objects.filter(active=True, user__is_active=True)
        .select_related("user__staff__county", "user__staff__township")
        .defer("user__staff__county__boundary", "user__staff__township__boundary")
        .order_by("position", "id")
    )
    rows = []
    for leader in leaders:
        staff = getattr(leader.user, "staff", None)
        if staff is None or staff.role not in (
            Staff.Role.COUNTY_OFFICE,
            Staff.Role.TOWNSHIP_LEADER,
        ):
            continue
        unit = staff.township if staff.role == Staff.Role.TOWNSHIP_LEADER else staff.county
        rows.append(LeaderRow(leader.pk, leader.title, unit.name if unit else ""))
    return rows


def mailbox_leader(*, leader_id: int) -> MailboxLeader | None:
    ids = {row.id for row in mailbox_leaders()}
    if leader_id not in ids:
        return None
    return MailboxLeader.objects.select_related("user").get(pk=leader_id)


def case_code_matches(*, case_id: int, typed: str) -> bool:
    """Whether `typed` is the query code of the case (False for a case that does not exist)."""
    stored = Case.objects.filter(pk=case_id).values_list("query_code_hash", flat=True).first()
    return query_code_matches(stored or "", typed)


def county_villages(*, county):
    """The villages of the county, by township, for “I am not on the spot”."""
    if county is None:
        return Village.objects.none()
    return (
        Village.objects.filter(county=county)
        .select_related("township")
        .defer("boundary", "township__boundary")
        .order_by("township__code", "code")
    )


OUTLINE_TOLERANCE = 0.0005  # degrees (SRID 4326): about 50 m, enough for a phone's map


def county_outline(*, county) -> dict:
    """GeoJSON (SRID 4326) of the county's outline and its townships, simplified: the
    resident's map shows where the pin is without any basemap."""
    if county is None:
        return {"type": "FeatureCollection", "features": []}
    key = f"residents:outline:{county.pk}"
    found = cache.get(key)
    if found is not None:
        return found
    features = []
    shapes = [(county.name, "county", County.objects.get(pk=county.pk).boundary)]
    shapes += [
        (township.name, "township", township.boundary)
        for township in Township.objects.filter(county=county).order_by("code")
    ]
    for name, level, boundary in shapes:
        if boundary is None:
            continue
        shape = boundary.simplify(OUTLINE_TOLERANCE, preserve_topology=True)
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name, "level": level},
                "geometry": json.loads(shape.geojson),
            }
        )
    outline = {"type": "FeatureCollection", "features": features}
    cache.set(key, outline, timeout=3600)
    return outline
