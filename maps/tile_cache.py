"""The cache of map tiles (Django's cache, Redis), cleared where cases change.

Each tile address has a generation number; a cached tile's key carries the
generation it was made in, so bumping the generations of the tiles around a
changed case makes their old copies unreachable (they expire on their own).
"""

import logging
import math

from django.core.cache import cache
from redis.commands.core import Script

from config.cache import REDIS_DOWN
from disputes.core.outbox import task_for_the_sweep

logger = logging.getLogger(__name__)

MIN_ZOOM, MAX_ZOOM = 0, 18
TILE_SECONDS = 24 * 3600


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The x, y of the web-mercator tile holding a WGS-84 point at zoom z."""
    n = 2**z
    lat = max(min(lat, 85.05112878), -85.05112878)
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def _generation_key(z, x, y):
    return f"tilegen:{z}/{x}/{y}"


def tile_key(layer: str, variant: str, z: int, x: int, y: int) -> str:
    generation = cache.get(_generation_key(z, x, y), 0)
    return f"tile:{layer}:{variant}:{z}/{x}/{y}:{generation}"


def tiles_forget_after_change(sender=None, *, lon: float, lat: float, **kwargs) -> None:
    """tiles_invalidate once a change of a case is committed (disputes' case_changed, whose
    receiver this is): if Redis is away, a worker does it once it is back.

    Until then the cache is unreachable anyway; a stale tile kept from before cannot
    outlive the sweep that follows Redis's return.
    """
    try:
        tiles_invalidate(lon, lat)
    except REDIS_DOWN:
        logger.warning(
            "tiles: Redis away, forgetting the tiles at %s, %s is left to a worker", lon, lat
        )
        task_for_the_sweep("disputes.tasks.tiles_invalidate", lon, lat)


def tiles_invalidate(lon: float, lat: float) -> None:
    """Forget the tiles at every zoom that show a point, and their neighbours (bins reach over).

    Raises the Redis error if Redis cannot be reached.
    """
    keys = []
    for z in range(MIN_ZOOM, MAX_ZOOM + 1):
        x, y = tile_of(lon, lat, z)
        n = 2**z
        keys += [
            _generation_key(z, (x + dx) % n, y + dy)
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            if 0 <= y + dy < n
        ]
    # One round trip, one command: a script increments them all (Redis INCR starts a
    # missing generation at 1, kept without expiry). cache.incr costs two round trips
    # per key (171 keys took ~150 ms of every case change); a pipeline of 171 INCRs
    # still cost ~2 ms of packing commands in Python.
    keys = [cache.make_key(key) for key in keys]
    client = cache._cache.get_client(keys[0], write=True)
    _INCREMENT_ALL(keys=keys, client=client)


# Run by its hash on the client given (loaded again if Redis has forgotten it).
_INCREMENT_ALL = Script(None, b"for _, key in ipairs(KEYS) do redis.call('INCR', key) end")
