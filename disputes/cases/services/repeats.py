"""The repeat check (重复件): earlier cases of the county a new case repeats.

The same party (ID number, or name and phone, by keyed hash) within
REPEAT_WINDOW_DAYS, or the same category within REPEAT_RADIUS_M. The intake
keeps the latest as the case's `repeat_of`; the desk's registration previews
them all before saving.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from disputes.cases import identity, spatial
from disputes.cases.models import Party

REPEAT_WINDOW_DAYS = 180
REPEAT_RADIUS_M = 100


def _earlier(*, county_id, lon, lat, category_id, id_hashes, np_hashes, limit):
    """The repeat check's SQL in the county, within the window and the radius, newest first."""
    return spatial.repeat_candidates(
        county_id=county_id,
        case_id=None,
        lon=lon,
        lat=lat,
        metres=REPEAT_RADIUS_M,
        category_id=category_id,
        since=timezone.now() - timedelta(days=REPEAT_WINDOW_DAYS),
        id_hashes=id_hashes,
        np_hashes=np_hashes,
        limit=limit,
    )


def earlier_case_id(
    *, county_id: int, lon: float | None, lat: float | None, category_id: int, parties: list[Party]
) -> int | None:
    """The county's latest earlier case (within the window) with one of these parties, or
    near (lon, lat) of the same category; `lon`, `lat` None when no point is known."""
    found = _earlier(
        county_id=county_id,
        lon=lon,
        lat=lat,
        category_id=category_id,
        id_hashes={p.id_number_hash for p in parties if p.id_number_hash},
        np_hashes={p.name_phone_hash for p in parties if p.name_phone_hash},
        limit=1,
    )
    return found[0][0] if found else None


@dataclass(frozen=True)
class RepeatMatch:
    case_id: int
    reason: str  # "near", "id_number" or "name_phone"


def repeat_preview(
    *,
    county_id: int,
    category_id: int | None,
    lon: float | None,
    lat: float | None,
    parties: list,
) -> list[RepeatMatch]:
    """What the intake's repeat check would find in the county for a report not saved yet,
    newest first: every earlier case (up to 50) within the window, with why; nothing
    is written.

    `lon`, `lat` None when no point is known (only parties are compared), as for a
    case placed at its village. `parties`: the intake's PartyInput (role, name, phone,
    id_number).
    """
    numbers = {p.id_number.strip().upper() for p in parties if p.id_number.strip()}
    pairs = {(p.name, p.phone) for p in parties if p.name.strip() and p.phone.strip()}
    found = _earlier(
        county_id=county_id,
        lon=lon,
        lat=lat,
        category_id=category_id,
        id_hashes={identity.id_number_hash(n) for n in numbers},
        np_hashes={identity.name_phone_hash(name, phone) for name, phone in pairs} - {""},
        limit=50,
    )
    matches, seen = [], set()
    for case_id, reason in found:
        if (case_id, reason) not in seen:
            seen.add((case_id, reason))
            matches.append(RepeatMatch(case_id, reason))
    return matches
