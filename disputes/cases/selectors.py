"""Reads of cases, always scoped to what the user may see."""

from datetime import timedelta

from django.http import Http404
from django.utils import timezone

from disputes.cases import policies, spatial
from disputes.cases.deadlines import DUE_SOON_DAYS
from disputes.cases.models import Attachment, Case, CaseEvent, Party, PartyAccessLog

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
    attachment = Attachment.objects.filter(
        county_id=case.county_id, case=case, pk=attachment_id
    ).first()
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
    # Every read of a case's rows names its county: distributed by county, the
    # database then asks one node (docs/scale.md).
    return (
        CaseEvent.objects.filter(county_id=case.county_id, case=case)
        .select_related("actor")
        .order_by("at", "id")
    )


def case_attachments(*, case: Case):
    """The case's files."""
    return case.attachments.filter(county_id=case.county_id)


def case_parties(*, user, case: Case) -> tuple[list[Party], bool]:
    """The parties of a case and whether the user sees them unmasked; an unmasked read is logged."""
    parties = list(case.parties.filter(county_id=case.county_id))
    unmasked = policies.may_see_identity(user, case)
    if unmasked and parties:
        PartyAccessLog.objects.create(case=case, county_id=case.county_id, user=user)
    return parties, unmasked


def cases_nearby(*, user, lon: float, lat: float, category_id: int, county_id=None):
    """Open cases of a category within 200 m that the user may see (to avoid a duplicate report);
    only those of `county_id` when given (a case's page: its own county's)."""
    ids = spatial.case_ids_near(
        county_id=county_id,
        lon=lon,
        lat=lat,
        metres=DUPLICATE_RADIUS_M,
        category_id=category_id,
        since=timezone.now() - timedelta(days=3650),
        statuses=Case.OPEN_STATUSES,
    )
    return case_list(user=user).filter(pk__in=ids)
