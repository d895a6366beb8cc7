"""Reads of cases, always scoped to what the user may see."""

from datetime import timedelta

from django.http import Http404
from django.utils import timezone

from disputes import policies, spatial
from disputes.core import areas
from disputes.deadlines import DUE_SOON_DAYS
from disputes.models import (
    THREE_PILLARS,
    Assignment,
    Attachment,
    Case,
    CaseEvent,
    Notification,
    Party,
    PartyAccessLog,
    SupervisionNotice,
    Team,
)
from villages.models import Staff, Township

DUPLICATE_RADIUS_M = 200


# The units' names come along with a case; their boundaries (a county's has
# thousands of vertices) must not.
UNITS = ("grid", "village", "township", "county")
UNIT_BOUNDARIES = [f"{unit}__boundary" for unit in UNITS]


def _cases():
    return Case.objects.select_related("category", *UNITS).defer(*UNIT_BOUNDARIES)


def case_list(*, user):
    """The cases the user may see, newest first, ready for a list."""
    return _cases().filter(policies.case_scope_q(user)).order_by("-reported_at", "-id")


def case_get(*, user, case_id) -> Case:
    """A case the user may see; Http404 for any other, so that its existence is not revealed."""
    case = (
        Case.objects.filter(policies.case_scope_q(user), pk=case_id)
        .select_related(
            "category", "grid", "village", "township", "county", "reporter", "repeat_of"
        )
        .first()
    )
    if case is None:
        raise Http404
    return case


def attachment_get(*, user, case_id, attachment_id) -> Attachment:
    """A file of a case the user may see; Http404 for any other."""
    case = case_get(user=user, case_id=case_id)
    attachment = Attachment.objects.filter(case=case, pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment


def case_filter_due(queryset, due: str):
    """Only overdue cases, or only those due within the next DUE_SOON_DAYS days."""
    today = timezone.localdate()
    if due == "overdue":
        return queryset.filter(due_date__lt=today)
    if due == "soon":
        return queryset.filter(
            due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS)
        )
    return queryset


def case_timeline(*, case: Case):
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "id")


def case_parties(*, user, case: Case) -> tuple[list[Party], bool]:
    """The parties of a case and whether the user sees them unmasked; an unmasked read is logged."""
    parties = list(case.parties.all())
    unmasked = policies.may_see_identity(user, case)
    if unmasked and parties:
        PartyAccessLog.objects.create(case=case, county_id=case.county_id, user=user)
    return parties, unmasked


def cases_nearby(*, user, lon: float, lat: float, category_id: int):
    """Open cases of a category within 200 m that the user may see (to avoid a duplicate report)."""
    ids = spatial.case_ids_near(
        lon=lon,
        lat=lat,
        metres=DUPLICATE_RADIUS_M,
        category_id=category_id,
        since=timezone.now() - timedelta(days=3650),
        statuses=Case.OPEN_STATUSES,
    )
    return case_list(user=user).filter(pk__in=ids)


def coverage_report(*, township_ids) -> dict:
    """Which 三治 pillars cover each village of the townships, and what is missing.

    A pillar is present when an active team of it covers the village; each
    village should have its 法律明白人 and each township its 法律顾问.
    """
    townships = list(Township.objects.filter(pk__in=township_ids).order_by("code"))
    advisers = spatial.township_adviser_rows([t.pk for t in townships])
    villages, gaps = [], []
    for (
        village_id,
        code,
        name,
        township_id,
        pillars,
        legal_villager,
        team_ids,
        lon,
        lat,
    ) in spatial.village_coverage_rows([t.pk for t in townships]):
        present = [p for p in THREE_PILLARS if p in pillars]
        missing = [p for p in THREE_PILLARS if p not in pillars]
        villages.append(
            {
                "id": village_id,
                "code": code,
                "name": name,
                "township_id": township_id,
                "pillars": present,
                "missing": missing,
                "legal_villager": legal_villager,
                "teams": sorted(team_ids),
                "point": [lon, lat] if lon is not None else None,
            }
        )
        if missing:
            gaps.append({"kind": "pillar", "code": code, "name": name, "missing": missing})
        if not legal_villager:
            gaps.append({"kind": "legal_villager", "code": code, "name": name})
    township_items = []
    for township in townships:
        has_adviser = advisers.get(township.pk, False)
        township_items.append(
            {
                "id": township.pk,
                "code": township.code,
                "name": township.name,
                "legal_adviser": has_adviser,
            }
        )
        if not has_adviser:
            gaps.append({"kind": "legal_adviser", "code": township.code, "name": township.name})
    return {"townships": township_items, "villages": villages, "gaps": gaps}


def coverage_township_ids(*, user, township_code: str | None = None) -> list[int]:
    """The townships whose coverage a user may see (all of their area, or one of it); Http404 else."""
    staff = areas.staff_of(user)
    if user.is_superuser:
        townships = Township.objects.all()
    elif staff is None:
        townships = Township.objects.none()
    elif staff.role == Staff.Role.COUNTY_OFFICE:
        townships = Township.objects.filter(county_id=staff.county_id)
    else:
        townships = Township.objects.filter(pk=staff.township_id)
    if township_code:
        townships = townships.filter(code=township_code)
        if not townships.exists():
            raise Http404
    return list(townships.values_list("pk", flat=True))


def team_list(*, user):
    """Teams of the user's area: the county for the county office, else their township."""
    teams = (
        Team.objects.select_related("township", "village")
        .prefetch_related("categories", "memberships__user")
        .defer("coverage", "service_polygon")
    )
    if user.is_superuser:
        return teams
    staff = areas.staff_of(user)
    if staff is None:
        return teams.none()
    if staff.role == Staff.Role.COUNTY_OFFICE:
        return teams.filter(county_id=staff.county_id)
    return teams.filter(township_id=staff.township_id)


def assignment_get(*, user, assignment_id) -> Assignment:
    """An assignment of a case the user may see; Http404 for any other."""
    assignment = (
        Assignment.objects.filter(
            pk=assignment_id, case__in=Case.objects.filter(policies.case_scope_q(user))
        )
        .select_related("team")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def assignment_list(*, user):
    """Assignments of the teams the user belongs to, newest first."""
    return (
        Assignment.objects.filter(team__memberships__user=user)
        .select_related("team", "case__category", "case__village")
        .order_by("-proposed_at", "-id")
    )


def notice_list(*, user):
    """Supervision notices of the cases the user may see, most overdue first."""
    return (
        SupervisionNotice.objects.filter(case__in=Case.objects.filter(policies.case_scope_q(user)))
        .select_related("case__category", "issued_by")
        .order_by("-days_overdue", "-issued_at", "-id")
    )


def notification_list(*, user):
    """The user's in-app notifications, newest first."""
    return (
        Notification.objects.filter(user=user)
        .select_related("notice__case__category")
        .order_by("-created_at", "-id")
    )
