"""Reads of 访调诉 referrals: a case's referrals, and a county's over a period by body and result."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery

from disputes.cases.models import Case, CaseEvent
from disputes.referrals.models import Referral


def referrals_of_case(*, case_id: int) -> list[Referral]:
    """The case's referrals, the newest first, with who recorded them."""
    return list(Referral.objects.filter(case_id=case_id).select_related("referred_by", "result_by"))


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


def referral_tally(*, county_id: int, start: datetime.date, end: datetime.date) -> list[BodyTally]:
    """The county's referrals made from `start` to `end` (inclusive), by kind of body.

    For each: how many were referred, how many still await their result, how many
    were settled there (the case resolved) and how many came back to handling.
    Every kind of body is listed, in the order of Referral.Body, zeros included.
    """
    rows = (
        Referral.objects.filter(county_id=county_id, referred_on__range=(start, end))
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
