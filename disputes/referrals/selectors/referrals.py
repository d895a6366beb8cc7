"""Reads of 访调诉 referrals: a case's referrals, and a county's over a period by body and result."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery

from disputes.cases import policies
from disputes.cases.models import Case, CaseEvent
from disputes.referrals.models import Referral

AWAITING_SHOWN = 200


def referrals_of_case(*, case) -> list[Referral]:
    """The case's referrals, the newest first, with who recorded them."""
    return list(
        Referral.objects.filter(county_id=case.county_id, case_id=case.pk).select_related(
            "referred_by", "result_by"
        )
    )


def referral_awaiting(*, case_id: int) -> Referral | None:
    """The case's referral whose result is awaited (at most one: a constraint), if any."""
    return Referral.objects.filter(case_id=case_id, result_on__isnull=True).first()


def _back_status():
    """The status the case went to when the referral's result was recorded.

    The result's event (REFER_DONE) is the case's first after the referral was made:
    a case has one referral awaiting its result at a time.
    """
    return Subquery(
        CaseEvent.objects.filter(
            case_id=OuterRef("case_id"),
            action=CaseEvent.Action.REFER_DONE,
            at__gte=OuterRef("created_at"),
        )
        .order_by("at", "id")
        .values("to_status")[:1]
    )


@dataclass(frozen=True)
class BodyTally:
    body: str
    label: str
    referred: int
    awaiting: int
    settled_there: int
    came_back: int


def _in_area(user):
    return Referral.objects.filter(
        case_id__in=Case.objects.filter(policies.case_scope_q(user)).values("pk")
    )


def referral_tally(*, user, start: datetime.date, end: datetime.date) -> list[BodyTally]:
    """The referrals of the user's area made from `start` to `end` (inclusive), by kind of body.

    For each: how many were referred, how many still await their result, how many
    were settled there (the case resolved) and how many came back to handling.
    Every kind of body is listed, in the order of Referral.Body, zeros included.
    """
    rows = (
        _in_area(user)
        .filter(referred_on__range=(start, end))
        .annotate(back=_back_status())
        .values("body")
        .annotate(
            referred=Count("pk"),
            awaiting=Count("pk", filter=Q(result_on__isnull=True)),
            settled_there=Count("pk", filter=Q(result_on__isnull=False, back=Case.Status.RESOLVED)),
            came_back=Count(
                "pk", filter=Q(result_on__isnull=False) & ~Q(back=Case.Status.RESOLVED)
            ),
        )
        .order_by()
    )
    found = {row["body"]: row for row in rows}
    tallies = []
    for body in Referral.Body:
        row = found.get(body.value, {})
        tallies.append(
            BodyTally(
                body=body.value,
                label=str(body.label),
                referred=row.get("referred", 0),
                awaiting=row.get("awaiting", 0),
                settled_there=row.get("settled_there", 0),
                came_back=row.get("came_back", 0),
            )
        )
    return tallies


def referrals_awaiting(*, user, limit: int = AWAITING_SHOWN) -> list[Referral]:
    """The user's area's referrals still awaiting their result, the longest waiting first.

    Their cases run no time limit, so nothing else reminds anyone of them.
    """
    return list(
        _in_area(user)
        .filter(result_on__isnull=True)
        .select_related("case__category")
        .order_by("referred_on", "id")[:limit]
    )
