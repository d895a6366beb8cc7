"""What the Open311 interface reads: the services (categories) and the public view of the
requests (cases) of the client's county.

The public view carries the place of the problem, its category, status, holding unit
and dates. It never carries a party, a phone, an ID number, a note, a team or the
reporter. The free text (the description, the replies) goes only to the client that
posted the request: a description written at the desk or on patrol often names the
people involved, and a reply is addressed to the complainant.
"""

from datetime import datetime, time

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from disputes.cases.models import Case, CaseEvent, Category
from disputes.open311.models import Open311Client
from villages.models import County

S = Case.Status
# "open: it has been reported; closed: it has been resolved" (GeoReport v2). A resolved case
# is handled, so closed, even while its return visit (回访) is pending; a case reopened
# for review is open again. Not accepted is closed: nothing more will be done. A case
# referred to arbitration or a court (访调诉) is open: its result is still to come.
OPEN = (S.REPORTED, S.ACCEPTED, S.IN_HANDLING, S.IN_REVIEW, S.REFERRED)
CLOSED = (S.NOT_ACCEPTED, S.RESOLVED, S.FOLLOWED_UP, S.CLOSED)
UNITS = ("grid", "village", "township", "county")


def w3_datetime(moment: datetime | None) -> str | None:
    """ISO 8601 with the offset of the server's time zone: 2026-12-01T08:00:00+08:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


# --- services ------------------------------------------------------------------------------


def county_by_code(code: str) -> County | None:
    return County.objects.filter(code=code).defer("boundary").first()


def _service(category: Category) -> dict:
    english = (get_language() or "").startswith("en")
    name = category.name_en if english and category.name_en else category.name
    both = [category.name, category.name_en] if category.name_en else [category.name]
    return {
        "service_code": category.code,
        "service_name": name,
        "description": " / ".join(both),
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join([*both, category.code]),
        "group": _("disputes"),
    }


def service_list() -> list[dict]:
    """The active categories as Open311 services, in the categories' order."""
    return [_service(c) for c in Category.objects.filter(active=True)]


def service_category(code: str) -> Category | None:
    return Category.objects.filter(code=code, active=True).first()


def service_definition(category: Category) -> dict:
    """A service's definition: every service takes the optional attribute `ticket`, the
    client's own ticket number, which makes a post idempotent (metadata stays false)."""
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": "ticket",
                "datatype": "string",
                "required": False,
                "datatype_description": _("4 to 30 letters, digits and dashes"),
                "order": 1,
                "description": _(
                    "Your own ticket number (for the 12345 hotline, its 工单号). Posting the "
                    "same ticket again returns the same request instead of a second one."
                ),
            }
        ],
    }


def service_codes_known(codes: list[str]) -> set[str]:
    """Which of these codes are categories, active or not (old requests keep theirs)."""
    return set(Category.objects.filter(code__in=codes).values_list("code", flat=True))


# --- requests ------------------------------------------------------------------------------


def _requests(client: Open311Client):
    events = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-at", "-id")
    return (
        Case.objects.filter(county_id=client.county_id)
        .select_related("category", *UNITS)
        .only(
            "id",
            "status",
            "level",
            "reported_at",
            "due_date",
            "address",
            "location",
            "point_known",
            "description",
            "reporter_id",
            "category__code",
            "category__name",
            "category__name_en",
            *(f"{unit}__name" for unit in UNITS),
        )
        .annotate(
            updated_at=Subquery(events.values("at")[:1]),
            last_reply=Subquery(events.exclude(reply="").values("reply")[:1]),
        )
        .order_by("-reported_at", "-id")
    )


def _holder(case: Case) -> str:
    holder = getattr(case, case.level, None) if case.level in UNITS else None
    for unit in (holder, case.village, case.township, case.county):
        if unit is not None:
            return unit.name
    return ""


def _expected(case: Case) -> str | None:
    """The end of the case's due day, while it is open (the current legal time limit)."""
    if case.due_date is None or case.status not in OPEN:
        return None
    end = datetime.combine(case.due_date, time(23, 59, 59))
    return w3_datetime(timezone.make_aware(end))


def request_public(case: Case, *, client: Open311Client) -> dict:
    """A case as GeoReport v2's request, in the specification's order of fields."""
    own = case.reporter_id == client.user_id
    english = (get_language() or "").startswith("en")
    category = case.category
    return {
        "service_request_id": str(case.pk),
        "status": "open" if case.status in OPEN else "closed",
        "status_notes": (case.last_reply or None) if own else None,
        "service_name": category.name_en if english and category.name_en else category.name,
        "service_code": category.code,
        "description": case.description if own else None,
        "agency_responsible": _holder(case),
        "service_notice": None,
        "requested_datetime": w3_datetime(case.reported_at),
        "updated_datetime": w3_datetime(case.updated_at or case.reported_at),
        "expected_datetime": _expected(case),
        "address": case.address or None,
        "address_id": None,
        "zipcode": None,
        # A case registered without a known point sits inside its village: no point to give.
        "lat": round(case.location.y, 6) if case.point_known else None,
        "long": round(case.location.x, 6) if case.point_known else None,
        "media_url": None,
    }


def request_list(*, client: Open311Client, filters) -> list[dict]:
    """The requests of the client's county that match `filters` (serializers.RequestFilters),
    newest first, one page."""
    cases = _requests(client)
    if filters.ids:
        cases = cases.filter(pk__in=filters.ids)
    else:
        cases = cases.filter(reported_at__gte=filters.start, reported_at__lte=filters.end)
        if filters.service_codes:
            cases = cases.filter(category__code__in=filters.service_codes)
        if filters.statuses == ["closed"]:
            cases = cases.filter(status__in=CLOSED)
        elif filters.statuses == ["open"]:
            cases = cases.filter(status__in=OPEN)
    first = (filters.page - 1) * filters.page_size
    page = cases[first : first + filters.page_size]
    return [request_public(case, client=client) for case in page]


def request_get(*, client: Open311Client, case_id: int) -> dict | None:
    """One request of the client's county; None for any other id."""
    case = _requests(client).filter(pk=case_id).first()
    return None if case is None else request_public(case, client=client)


def request_by_ticket(*, client: Open311Client, ticket: str) -> int | None:
    """The id of the request this client posted with this ticket number; None otherwise."""
    return (
        Case.objects.filter(reporter_id=client.user_id, uuid=client.ticket_uuid(ticket))
        .values_list("pk", flat=True)
        .first()
    )


def request_posted(*, client: Open311Client, case_id: int) -> dict:
    """The answer to a post: the request's id, what will happen next, the client's account_id."""
    case = Case.objects.only("id", "due_date").get(pk=case_id)
    notice = _("Registered as case %(id)s.") % {"id": case.pk}
    if case.due_date is not None:
        notice += " " + _("Whether it is accepted is decided by %(day)s.") % {
            "day": case.due_date.isoformat()
        }
    return {"service_request_id": str(case.pk), "service_notice": notice}
