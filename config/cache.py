"""Django's Redis cache, failing open: with Redis away a request works uncached.

Nothing the platform keeps in the cache is the only copy of anything (map
tiles, chart images, throttle counters, a queue marker), so a Redis that is
down or restarting must cost speed, never a request: reads answer as a miss,
writes are dropped, and each failure is logged.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


def _fail_open(name, answer):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(FailOpenRedisCache, self), name)(*args, **kwargs)
        except REDIS_DOWN as error:
            logger.warning("cache: Redis unavailable for %s (%s); going on without it", name, error)
            return answer(*args, **kwargs)

    method.__name__ = name
    return method


def _default(key, default=None, *args, **kwargs):
    return default


class FailOpenRedisCache(RedisCache):
    get = _fail_open("get", _default)
    get_many = _fail_open("get_many", lambda *a, **k: {})
    has_key = _fail_open("has_key", lambda *a, **k: False)
    add = _fail_open("add", lambda *a, **k: False)
    set = _fail_open("set", lambda *a, **k: None)
    set_many = _fail_open("set_many", lambda keys, *a, **k: list(keys))
    touch = _fail_open("touch", lambda *a, **k: False)
    delete = _fail_open("delete", lambda *a, **k: False)
    delete_many = _fail_open("delete_many", lambda *a, **k: None)
    clear = _fail_open("clear", lambda *a, **k: False)
