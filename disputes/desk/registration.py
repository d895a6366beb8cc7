"""Registering a case at the desk: the clerk's places, the repeat preview, and the save.

The save goes through the intake (disputes.cases.services.intake.case_report),
as the API's reports do; the preview runs the intake's own repeat check without
writing anything, and shows only the cases the clerk may open.
"""

from dataclasses import dataclass, field, replace

from django.contrib.gis.db.models.functions import Envelope
from django.db import transaction
from django.db.models import Q

from disputes.cases import identity
from disputes.cases import selectors as cases
from disputes.cases.models import Attachment, Case, Party
from disputes.cases.query_codes import query_code_hash, query_code_new
from disputes.cases.services import attachments, intake, repeats
from disputes.core.areas import in_unit_q, user_units
from disputes.core.errors import CaseInputError
from grid.models import Grid
from grid.selectors import Location
from villages.models import Village

SEARCH_MAX_LENGTH = 30
SEARCH_RESULTS = 10
PREVIEW_SHOWN = 10


# --- the clerk's places ------------------------------------------------------------------


def _area_filters(user) -> tuple[Q, Q] | None:
    """Filters of the villages and of the grids of the clerk's area; None without one."""
    level, home = user_units(user)
    if home is None:
        return None
    unit = in_unit_q(level, home)
    return (Q(pk=home.pk) if level == "village" else unit), unit


def area_villages(*, user):
    """The villages of the clerk's area, by township, for the “no point known” choice."""
    area = _area_filters(user)
    if area is None:
        return Village.objects.none()
    return (
        Village.objects.filter(area[0])
        .select_related("township")
        .defer("boundary", "township__boundary")
        .order_by("township__code", "code")
    )


def _bounds(envelope) -> list[float] | None:
    """[south, west, north, east] of a unit's boundary, for the map to frame it."""
    if envelope is None:
        return None
    xmin, ymin, xmax, ymax = envelope.extent
    return [round(v, 6) for v in (ymin, xmin, ymax, xmax)]


def places_search(*, user, text: str) -> list[dict]:
    """Villages and grids of the clerk's area whose name holds `text`: where to click.

    Each: {level, id, name, label, bounds}; villages first, at most SEARCH_RESULTS each.
    """
    text = text.strip()[:SEARCH_MAX_LENGTH]
    area = _area_filters(user)
    if not text or area is None:
        return []
    in_villages, in_grids = area
    villages = (
        Village.objects.filter(in_villages, name__icontains=text)
        .select_related("township")
        .only("id", "name", "township__name")
        .annotate(box=Envelope("boundary"))
        .order_by("code")[:SEARCH_RESULTS]
    )
    grids = (
        Grid.objects.filter(in_grids, name__icontains=text)
        .select_related("village")
        .only("id", "name", "village__name")
        .annotate(box=Envelope("boundary"))
        .order_by("code")[:SEARCH_RESULTS]
    )
    return [
        {
            "level": "village",
            "id": village.pk,
            "name": village.name,
            "label": f"{village.township.name} {village.name}",
            "bounds": _bounds(village.box),
        }
        for village in villages
    ] + [
        {
            "level": "grid",
            "id": grid.pk,
            "name": grid.name,
            "label": f"{grid.village.name} {grid.name}",
            "bounds": _bounds(grid.box),
        }
        for grid in grids
    ]


def place_check(*, user, point=None, village=None) -> tuple[Location | None, str]:
    """Where a registration would go: (location, "") or (None, why it cannot go there)."""
    try:
        if village is not None:
            _lon, _lat, location = intake.village_locate(reporter=user, village_id=village.pk)
        elif point is not None:
            location = intake.case_locate(reporter=user, lon=point[0], lat=point[1])
        else:
            return None, ""
    except CaseInputError as refused:
        return None, refused.message
    return location, ""


# --- the repeat preview ------------------------------------------------------------------


@dataclass
class PossibleRepeat:
    case: Case
    reasons: list[str] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)  # the matching parties, masked


def repeat_preview(
    *, user, county_id, category=None, point=None, parties=()
) -> list[PossibleRepeat]:
    """The earlier cases of the county the intake's repeat check finds for these values,
    that `user` may open: the same party (ID number, or name and phone) or the same
    category nearby.

    `point` None (unknown, or placed at a village): only the parties are compared.
    """
    inputs = [
        intake.PartyInput(
            role=p.get("role", ""),
            name=p.get("name", ""),
            phone=p.get("phone", ""),
            id_number=p.get("id_number", ""),
        )
        for p in parties
    ]
    matches = repeats.repeat_preview(
        county_id=county_id,
        category_id=category.pk if category is not None else None,
        lon=point[0] if point else None,
        lat=point[1] if point else None,
        parties=inputs,
    )
    if not matches:
        return []
    visible = {
        case.pk: case
        for case in cases.case_list(user=user).filter(pk__in={m.case_id for m in matches})
    }
    found: dict[int, PossibleRepeat] = {}
    for match in matches:
        if match.case_id in visible:
            row = found.setdefault(match.case_id, PossibleRepeat(visible[match.case_id]))
            if match.reason not in row.reasons:
                row.reasons.append(match.reason)
    rows = sorted(found.values(), key=lambda r: (r.case.reported_at, r.case.pk), reverse=True)
    rows = rows[:PREVIEW_SHOWN]
    id_hashes = {identity.id_number_hash(p.id_number.strip().upper()) for p in inputs} - {""}
    np_hashes = {identity.name_phone_hash(p.name, p.phone) for p in inputs} - {""}
    if id_hashes or np_hashes:
        by_case = {row.case.pk: row for row in rows}
        same = Party.objects.filter(case_id__in=by_case).filter(
            Q(id_number_hash__in=id_hashes) | Q(name_phone_hash__in=np_hashes)
        )
        for party in same.only("case_id", "name", "role"):
            by_case[party.case_id].parties.append(identity.mask_name(party.name))
    return rows


# --- the save ----------------------------------------------------------------------------


@transaction.atomic
def case_register(
    *, clerk, report: intake.CaseReport, fingerprint: str, scan=None
) -> tuple[Case, bool, str]:
    """Register the case (the intake), attach the scan, give the complainant a query code.

    Returns (case, created, query code); a form sent again with the same key returns
    the case it made, not created, and no code (the first receipt has it). Nothing
    is kept when the scan is refused (CaseInputError "file").
    """
    code = query_code_new()
    report = replace(report, query_code_hash=query_code_hash(code))
    reported = intake.case_report(reporter=clerk, report=report, fingerprint=fingerprint)
    case = reported.case
    if not reported.created:
        return case, False, ""
    if scan is not None:
        attachments.attachment_add(
            case_id=case.pk,
            actor=clerk,
            uuid=report.uuid,
            kind=Attachment.Kind.DOCUMENT,
            name=scan.name,
            file=scan,
        )
    return case, True, code
