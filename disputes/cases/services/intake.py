"""接 intake: a case reported at a point lands in the grid that holds it."""

import uuid as uuid_lib
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from django.contrib.gis.db.models.functions import PointOnSurface
from django.contrib.gis.geos import Point
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from disputes.cases import identity
from disputes.cases.deadlines import ACCEPTANCE_DAYS, deadline_after
from disputes.cases.models import Case, CaseEvent, Category, Level, Party
from disputes.cases.services import repeats
from disputes.cases.services.events import event_record
from disputes.cases.signals import case_reported
from disputes.core.areas import point_in_area
from disputes.core.errors import CaseInputError, IdempotencyConflict
from disputes.core.notes import system_note
from grid.models import Grid
from grid.selectors import Location, PointOutsideTerritory, Unit, point_locate
from villages.models import County, Township, Village

HOTLINE_TICKET_CONSTRAINT = "one_case_per_hotline_ticket"
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
class AgentInput:
    """Who filed the case for a resident (代办): a cadre or relative, with their unit."""

    name: str
    unit: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Reported:
    """What a report did: the case, whether it was made now (not a replay of its key)
    and, when made now, the parties and events written with it, so that the answer
    shows them without reading them back (empty for a replay)."""

    case: Case
    created: bool
    parties: list[Party] = field(default_factory=list)
    events: list[CaseEvent] = field(default_factory=list)


@dataclass(frozen=True)
class CaseReport:
    """A report. Its place is the point (lon, lat), or, when no point is known,
    `village_id`: the case is then placed inside that village, its grid unknown."""

    uuid: uuid_lib.UUID
    channel: str
    occurred_at: datetime
    category: Category
    description: str
    lon: float | None = None
    lat: float | None = None
    village_id: int | None = None
    accuracy_m: float | None = None
    address: str = ""
    people_involved: int = 1
    amount_at_stake: Decimal | None = None
    urgency: str = Case.Urgency.NORMAL
    parties: list[PartyInput] = field(default_factory=list)
    hotline_ticket: str = ""
    agent: AgentInput | None = None
    # The keyed hash of the complainant's query code (disputes.cases.query_codes), if one
    # is given with the report; never the code itself.
    query_code_hash: str = ""


def case_report(
    *,
    reporter,
    report: CaseReport,
    fingerprint: str,
    also_same: tuple[str, ...] = (),
    county_id: int | None = None,
) -> Reported:
    """Create the case, or return the one this reporter's client key created before.

    A client key belongs to its reporter, in the county where the point lies:
    another user sending the same uuid gets what a new key would get, never the
    first reporter's case nor a hint that it exists. The key is tried by the insert
    itself (its unique constraint), so a first report does not read it first.
    `also_same` are other fingerprints that count as the same request.
    `county_id` is for the platform's own reporters (the resident pages, an Open311
    client): the place must then lie in that county instead of the reporter's area.
    Raises IdempotencyConflict when the key was used for a different request,
    CaseInputError for a point that cannot be placed or lies outside the reporter's
    area, or a 12345 ticket number the county has already.
    """
    fingerprints = (fingerprint, *also_same)
    mine = Case.objects.filter(reporter=reporter, uuid=report.uuid).order_by()
    try:
        report, location = _place(reporter, report, county_id)
    except CaseInputError:
        # A report sent again once its place no longer passes (the reporter moved to
        # another grid, its ticket is now taken: by itself) is still the same report.
        existing = mine.first()
        if existing is None:
            raise
        return _replay(existing, fingerprints)
    try:
        with transaction.atomic():
            return _create(reporter, report, location, fingerprint)
    except IntegrityError as error:
        # The key was used before, or by a concurrent request that won the race.
        existing = mine.filter(county_id=location.county.id).first()
        if existing is None:
            if HOTLINE_TICKET_CONSTRAINT in str(error):  # or with the same ticket
                raise _ticket_taken() from error
            raise
        return _replay(existing, fingerprints)


def _place(reporter, report: CaseReport, county_id: int | None) -> tuple[CaseReport, Location]:
    """The report's place, checked: at its point, or inside its village when no point is known."""
    if report.village_id is not None:
        lon, lat, location = village_locate(
            reporter=reporter, village_id=report.village_id, county_id=county_id
        )
        report = replace(report, lon=lon, lat=lat)
    else:
        location = case_locate(
            reporter=reporter, lon=report.lon, lat=report.lat, county_id=county_id
        )
    if report.hotline_ticket:
        _check_ticket_free(report.hotline_ticket, location.county.id)
    return report, location


def _replay(case: Case, fingerprints: tuple[str, ...]) -> Reported:
    if case.request_hash not in fingerprints:
        raise IdempotencyConflict(
            _("This client key (uuid) was already used for a different case.")
        )
    return Reported(case, created=False)


def _locates(lon: float, lat: float) -> bool:
    try:
        point_locate(lon=lon, lat=lat)
    except PointOutsideTerritory:
        return False
    return True


def _in_area(reporter, location: Location, county_id: int | None) -> bool:
    if county_id is not None:
        return location.county.id == county_id
    return point_in_area(reporter, location)


def case_locate(*, reporter, lon: float, lat: float, county_id: int | None = None) -> Location:
    """Place a reported point in the territory and check it lies in the reporter's area
    (or, for the platform's own reporters, in `county_id`)."""
    in_range = -180 <= lon <= 180 and -90 <= lat <= 90
    error = ""
    try:
        location = point_locate(lon=lon, lat=lat, worker_id=reporter.pk) if in_range else None
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
    if not _in_area(reporter, location, county_id):
        message = (
            _("This point lies in %(place)s, outside your own area.")
            if county_id is None
            else _("This point lies in %(place)s, outside the county served here.")
        )
        raise CaseInputError(
            "location",
            message
            % {
                "place": (
                    location.grid or location.village or location.township or location.county
                ).name
            },
        )
    return location


def village_locate(
    *, reporter, village_id: int, county_id: int | None = None
) -> tuple[float, float, Location]:
    """Where a case with no known point goes: a point inside the village (its point on
    surface), the village and the units above it, no grid. Checks the reporter's area."""
    village = (
        Village.objects.filter(pk=village_id)
        .select_related("township", "county")
        .defer("boundary", "township__boundary", "county__boundary")
        .annotate(spot=PointOnSurface("boundary"))
        .first()
    )
    if village is None:
        raise CaseInputError("village", _("There is no such village."))
    if village.spot is None:
        raise CaseInputError(
            "village",
            _("%(village)s has no boundary to place the case in; click the map instead.")
            % {"village": village.name},
        )

    def unit(division):
        return Unit(division.id, division.code, division.name)

    location = Location(
        "village", 0.0, None, unit(village), unit(village.township), unit(village.county)
    )
    if not _in_area(reporter, location, county_id):
        raise CaseInputError(
            "village",
            _("%(village)s lies outside your own area.") % {"village": village.name},
        )
    return village.spot.x, village.spot.y, location


def _ticket_taken() -> CaseInputError:
    return CaseInputError(
        "hotline_ticket", _("A case with this 12345 ticket number is already registered.")
    )


def _check_ticket_free(ticket: str, county_id: int) -> None:
    if Case.objects.filter(county_id=county_id, hotline_ticket=ticket).exists():
        raise _ticket_taken()


def _create(reporter, report: CaseReport, location: Location, fingerprint: str) -> Reported:
    """Write the case, its parties, its "report" event and its day's roll-up mark.

    The case carries its units as the locate query named them (id, code, name),
    so that the answer names them without reading them back.
    """
    today = timezone.localdate()
    deadline = deadline_after(today, ACCEPTANCE_DAYS)
    parties = [_party(p) for p in report.parties]
    case = Case.objects.create(
        uuid=report.uuid,
        request_hash=fingerprint,
        channel=report.channel,
        reporter=reporter,
        occurred_at=report.occurred_at,
        location=Point(report.lon, report.lat, srid=4326),
        accuracy_m=report.accuracy_m,
        address=report.address,
        grid=_unit(Grid, location.grid),
        village=_unit(Village, location.village),
        township=_unit(Township, location.township),
        county=_unit(County, location.county),
        category=report.category,
        people_involved=report.people_involved,
        amount_at_stake=report.amount_at_stake,
        description=report.description,
        urgency=report.urgency,
        point_known=report.village_id is None,
        hotline_ticket=report.hotline_ticket,
        agent_name=report.agent.name.strip() if report.agent else "",
        agent_unit=report.agent.unit.strip() if report.agent else "",
        agent_phone=report.agent.phone.strip() if report.agent else "",
        query_code_hash=report.query_code_hash,
        level=_intake_level(location),
        due_date=deadline.due,
        deadline_kind=Case.DeadlineKind.ACCEPTANCE,
        deadline_basis=deadline.basis,
        # Checked before the insert: the new case is not there yet to be excluded.
        repeat_of_id=repeats.earlier_case_id(
            county_id=location.county.id,
            lon=report.lon if report.village_id is None else None,
            lat=report.lat if report.village_id is None else None,
            category_id=report.category.pk,
            parties=parties,
        ),
    )
    for party in parties:
        party.case, party.county_id = case, case.county_id
    Party.objects.bulk_create(parties)
    event = event_record(
        case,
        reporter,
        CaseEvent.Action.REPORT,
        _placement_note(location, point_known=report.village_id is None),
        from_status="",
        from_level="",
    )
    case_reported.send(sender=Case, case=case)  # linked to a project's area (disputes.risks)
    return Reported(case, created=True, parties=parties, events=[event])


def _unit(model, unit: Unit | None):
    """A unit as the locate query gave it: enough to name it, never saved."""
    return None if unit is None else model(id=unit.id, code=unit.code, name=unit.name)


def _intake_level(location: Location) -> str:
    """A case starts in its grid, or in its village when no grid worker covers that grid."""
    if location.level == "grid":
        staffed = location.grid_staffed
        if staffed is None:
            staffed = Grid.workers.through.objects.filter(grid_id=location.grid.id).exists()
        if not staffed:
            return Level.VILLAGE
    return LOCATION_LEVEL[location.level]


def _party(data: PartyInput) -> Party:
    number = data.id_number.strip().upper()
    return Party(
        role=data.role,
        name=data.name.strip(),
        phone=data.phone.strip(),
        id_number_masked=identity.mask_id_number(number),
        id_number_hash=identity.id_number_hash(number),
        id_number_encrypted=identity.id_number_encrypt(number),
        name_phone_hash=identity.name_phone_hash(data.name, data.phone),
    )


def _placement_note(location: Location, *, point_known: bool = True) -> str:
    if not point_known:
        return system_note(
            gettext_noop(
                "No point was known: the case is placed inside %(village)s; its grid is not known."
            ),
            village=location.village.name,
        )
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
