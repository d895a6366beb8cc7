"""Checks of imported boundaries against what is stored: names, encoding, parents.

A file can be read without error and still be wrong: read in the wrong
encoding, a polygon on another unit's code, or a whole layer in the wrong
coordinate system. These checks find that before anything is written.
"""

import re

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from grid.models import GRID_CODE_RE
from villages.models import Village
from villages.services.report import Problem
from villages.spatial import outside_parent

CJK = re.compile(r"[\u4e00-\u9fff]")
GUESSES = ("gb18030", "utf-8")
# Names in files often drop or shorten the committee's suffix: 兴杨村 for 兴杨村委会.
SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会", "委员会", "委会")


def within_parent_share() -> float:
    """The share of a unit's area that must lie inside its parent (settings.BOUNDARY_WITHIN_PARENT)."""
    return settings.BOUNDARY_WITHIN_PARENT


def encoding_problem(features, *, encoding, known_names, filename) -> Problem | None:
    """A problem if the names look like text decoded with the wrong encoding, else None.

    Text decoded as latin1 but written in GBK reads "ÐËÑî…": no Chinese characters
    and no known name, yet re-encoded and decoded as GBK it is a Chinese name.
    """
    stated = encoding or "latin-1"
    named = [f for f in features if f.name]
    garbled = []
    for feature in named:
        if feature.name in known_names or CJK.search(feature.name):
            continue
        fixed = _redecoded(feature.name, stated)
        if fixed is not None:
            garbled.append((feature.name, *fixed))
    if not named or len(garbled) * 2 < len(named):
        return None
    name, guess, fixed = garbled[0]
    return Problem(
        filename,
        _(
            "the names read with encoding %(encoding)s match no division (e.g. “%(name)s”); "
            "read as %(guess)s they are Chinese (“%(fixed)s”): the encoding is probably wrong, "
            "try --encoding %(guess)s"
        )
        % {
            "encoding": encoding or _("(the file's own)"),
            "name": name,
            "guess": guess.upper(),
            "fixed": fixed,
        },
    )


def _redecoded(name, stated):
    try:
        raw = name.encode(stated)
    except (LookupError, UnicodeEncodeError):
        return None
    for guess in GUESSES:
        try:
            text = raw.decode(guess)
        except UnicodeDecodeError:
            continue
        if CJK.search(text):
            return guess, text
    return None


def names_agree(file_name: str, stored: str) -> bool:
    return _stem(file_name) == _stem(stored)


def _stem(name: str) -> str:
    name = name.strip()
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)].removesuffix("村").removesuffix("社区")
    return name.removesuffix("村").removesuffix("社区")


def name_mismatch(feature, target) -> Problem | None:
    if not feature.code or not feature.name or target is None:
        return None
    if names_agree(feature.name, target.name):
        return None
    return Problem(
        feature.where,
        _(
            "the file names it “%(file_name)s”, but code %(code)s is “%(stored)s”; "
            "give --trust-codes if the code is right"
        )
        % {"file_name": feature.name, "code": feature.code, "stored": target.name},
    )


def parent_with_boundary(level, feature, target, villages_by_code):
    """The nearest stored ancestor that has an imported boundary, or None."""
    if level == "county":
        return None
    if level == "grid":
        match = GRID_CODE_RE.match(feature.code)
        village = villages_by_code.get(match["village"]) if match else None
        chain = [village, village.township, village.county] if village else []
    elif level == "village":
        chain = [target.township, target.county]
    else:
        chain = [target.county]
    # A generated parent is a guess, not a reference: imported units are checked against
    # the nearest imported one.
    return next(
        (u for u in chain if u is not None and u.boundary is not None and not u.boundary_generated),
        None,
    )


def villages_with_parents() -> dict[str, Village]:
    """Every village with its township and county, boundaries included (one query)."""
    return {v.code: v for v in Village.objects.select_related("township", "county")}


def containment_problem(feature, parent) -> Problem | None:
    """A problem if less than the allowed share of the feature lies inside its parent."""
    found = outside_parent(
        boundary=feature.geometry, parent_table=parent._meta.db_table, parent_id=parent.pk
    )
    if not found.area_m2 or found.outside_m2 <= found.area_m2 * (1 - within_parent_share()):
        return None
    share = found.outside_m2 / found.area_m2 * 100
    direction = compass(found.azimuth)
    if found.distance_m > 0:
        message = _(
            "it lies wholly outside %(parent)s: %(distance).0f km %(direction)s of %(parent)s; "
            "is the coordinate system right?"
        ) % {
            "parent": parent.name,
            "distance": found.distance_m / 1000,
            "direction": direction,
        }
    else:
        message = _(
            "%(share).1f%% of it (%(area).2f km²) lies outside %(parent)s, "
            "%(direction)s of it; at most %(allowed).1f%% may"
        ) % {
            "share": share,
            "area": found.outside_m2 / 1e6,
            "parent": parent.name,
            "direction": direction,
            "allowed": (1 - within_parent_share()) * 100,
        }
    return Problem(feature.where, message)


def compass(azimuth: float | None) -> str:
    if azimuth is None:
        return ""
    names = [
        pgettext("direction", "north"),
        pgettext("direction", "north-east"),
        pgettext("direction", "east"),
        pgettext("direction", "south-east"),
        pgettext("direction", "south"),
        pgettext("direction", "south-west"),
        pgettext("direction", "west"),
        pgettext("direction", "north-west"),
    ]
    return names[round(azimuth / 45) % 8]
