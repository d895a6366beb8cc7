"""接 intake: a case reported at a point lands in the grid that holds it."""

import hashlib
import json
import uuid as uuid_lib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from disputes.cases import identity, spatial
from disputes.cases.deadlines import ACCEPTANCE_DAYS, deadline_after
from disputes.cases.models import Case, CaseEvent, Category, Level, Party
from disputes.cases.services.events import event_record
from disputes.core.areas import point_in_area
from disputes.core.errors import CaseInputError, IdempotencyConflict
from disputes.core.notes import system_note
from grid.models import Grid
from grid.selectors import Location, PointOutsideTerritory, point_locate

REPEAT_WINDOW_DAYS = 180
REPEAT_RADIUS_M = 100
LOCATION_LEVEL = {
    "grid": Level.GRID,
    "village": Level.VILLAGE,
    "township": Level.TOWNSHIP,
    "county": Level.COUNTY,
}


@dataclass(frozen=True)
class PartyInput:
    role: str
    name: str
    phone: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class CaseReport:
    uuid: uuid_lib.UUID
    channel: str
    occurred_at: datetime
    lon: float
    lat: float
    category: Category
    description: str
    accuracy_m: float | None = None
    address: str = ""
    people_involved: int = 1
    amount_at_stake: Decimal | None = None
    urgency: str = Case.Urgency.NORMAL
    parties: list[PartyInput] = field(default_factory=list)


def request_hash(payload: dict) -> str:
    """A fingerprint of a request body as sent (how reports were told apart before 2026-12)."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _canonical(value):
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, uuid_lib.UUID):
        return str(value)
    if isinstance(value, Category):
        return value.code
    return value


def report_fingerprint(values: dict) -> str:
    """A fingerprint of a report's validated values (defaults filled in, nulls left out).

    Two bodies that differ only by a field one of them leaves at its default (or
    null) are the same request.
    """
    return request_hash(_canonical(values))


def case_report(
    *, reporter, report: CaseReport, fingerprint: str, also_same: tuple[str, ...] = ()
) -> tuple[Case, bool]:
    """Create the case, or return the one this reporter's client key created before.

    A client key belongs to its reporter: another user sending the same uuid gets
    what a new key would get, never the first reporter's case nor a hint that it
    exists. `also_same` are other fingerprints that count as the same request.
    Returns (case, created). Raises IdempotencyConflict when the key was used for
    a different request, CaseInputError for a point that cannot be placed or
    lies outside the reporter's area.
    """
    fingerprints = (fingerprint, *also_same)
    mine = Case.objects.filter(reporter=reporter, uuid=report.uuid).order_by()
    existing = mine.first()
    if existing is not None:
        return _replay(existing, fingerprints), False
    location = case_locate(reporter=reporter, lon=report.lon, lat=report.lat)
    try:
        with transaction.atomic():
            return _create(reporter, report, location, fingerprint), True
    except IntegrityError:
        # A concurrent request with the same key won the race.
        existing = mine.first()
        if existing is None:
            raise
        return _replay(existing, fingerprints), False


def _replay(case: Case, fingerprints: tuple[str, ...]) -> Case:
    if case.request_hash not in fingerprints:
        raise IdempotencyConflict(
            _("This client key (uuid) was already used for a different case.")
        )
    return case


def _locates(lon: float, lat: float) -> bool:
    try:
        point_locate(lon=lon, lat=lat)
    except PointOutsideTerritory:
        return False
    return True


def case_locate(*, reporter, lon: float, lat: float) -> Location:
    """Place a reported point in the territory and check it lies in the reporter's area."""
    in_range = -180 <= lon <= 180 and -90 <= lat <= 90
    error = ""
    try:
        location = point_locate(lon=lon, lat=lat) if in_range else None
    except PointOutsideTerritory as outside:
        location, error = None, str(outside)
    if location is None:
        if _locates(lat, lon):
            raise CaseInputError(
                "location",
                _(
                    "(%(lon)s, %(lat)s) would be inside the territory with longitude and latitude "
                    "swapped: send longitude first."
                )
                % {"lon": lon, "lat": lat},
            )
        if not -180 <= lon <= 180:
            raise CaseInputError("longitude", _("Longitude must be between -180 and 180."))
        if not -90 <= lat <= 90:
            raise CaseInputError("latitude", _("Latitude must be between -90 and 90."))
        raise CaseInputError("location", error)
    if not point_in_area(reporter, location):
        raise CaseInputError(
            "location",
            _("This point lies in %(place)s, outside your own area.")
            % {
                "place": (
                    location.grid or location.village or location.township or location.county
                ).name
            },
        )
    return location


def _create(reporter, report: CaseReport, location: Location, fingerprint: str) -> Case:
    today = timezone.localdate()
    deadline = deadline_after(today, ACCEPTANCE_DAYS)
    case = Case.objects.create(
        uuid=report.uuid,
        request_hash=fingerprint,
        channel=report.channel,
        reporter=reporter,
        occurred_at=report.occurred_at,
        location=f"SRID=4326;POINT({report.lon} {report.lat})",
        accuracy_m=report.accuracy_m,
        address=report.address,
        grid_id=location.grid.id if location.grid else None,
        village_id=location.village.id if location.village else None,
        township_id=location.township.id if location.township else None,
        county_id=location.county.id,
        category=report.category,
        people_involved=report.people_involved,
        amount_at_stake=report.amount_at_stake,
        description=report.description,
        urgency=report.urgency,
        level=_intake_level(location),
        due_date=deadline.due,
        deadline_kind=Case.DeadlineKind.ACCEPTANCE,
        deadline_basis=deadline.basis,
    )
    parties = [_party(case, p) for p in report.parties]
    Party.objects.bulk_create(parties)
    case.repeat_of_id = _earlier_case_id(case, parties, report)
    if case.repeat_of_id is not None:
        case.save(update_fields=["repeat_of"])
    event_record(
        case,
        reporter,
        CaseEvent.Action.REPORT,
        _placement_note(location),
        from_status="",
        from_level="",
    )
    return case


def _intake_level(location: Location) -> str:
    """A case starts in its grid, or in its village when no grid worker covers that grid."""
    if (
        location.level == "grid"
        and not Grid.workers.through.objects.filter(grid_id=location.grid.id).exists()
    ):
        return Level.VILLAGE
    return LOCATION_LEVEL[location.level]


def _party(case: Case, data: PartyInput) -> Party:
    number = data.id_number.strip().upper()
    return Party(
        case=case,
        county_id=case.county_id,
        role=data.role,
        name=data.name.strip(),
        phone=data.phone.strip(),
        id_number_masked=identity.mask_id_number(number),
        id_number_hash=identity.id_number_hash(number),
        id_number_encrypted=identity.id_number_encrypt(number),
        name_phone_hash=identity.name_phone_hash(data.name, data.phone),
    )


def _earlier_case_id(case: Case, parties: list[Party], report: CaseReport) -> int | None:
    """The latest earlier case (within 180 days) with the same party, or nearby of the same category."""
    return spatial.earlier_case_id(
        case_id=case.pk,
        lon=report.lon,
        lat=report.lat,
        metres=REPEAT_RADIUS_M,
        category_id=report.category.pk,
        since=case.reported_at - timedelta(days=REPEAT_WINDOW_DAYS),
        id_hashes={p.id_number_hash for p in parties if p.id_number_hash},
        np_hashes={p.name_phone_hash for p in parties if p.name_phone_hash},
    )


def _placement_note(location: Location) -> str:
    if location.level != "grid":
        return system_note(
            gettext_noop("No grid within the tolerance; the case lands in %(unit)s."),
            unit=(location.village or location.township or location.county).name,
        )
    if location.snapped:
        return system_note(
            gettext_noop("The point lies %(metres).0f m outside %(grid)s; placed in it."),
            metres=location.distance_m,
            grid=location.grid.name,
        )
    return ""
