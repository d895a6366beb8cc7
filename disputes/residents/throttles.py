"""Counters that slow down abuse of pages open to anyone: per address, per mobile number,
per case number.

A counter lives in the cache (Redis) for its window from its first hit; its key holds
a keyed hash of what it counts, never the address or number itself. With Redis away
the counters fail open (logged), like the rest of the cache (config.cache).
"""

import hashlib
import hmac
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from config.cache import REDIS_DOWN

logger = logging.getLogger("disputes.residents")

HOUR = 3600
DAY = 24 * HOUR


@dataclass(frozen=True)
class Rate:
    name: str
    limit: int
    seconds: int


# Reports sent, per address and per (confirmed) mobile number.
REPORT_ADDRESS = Rate("report-addr", 10, HOUR)
REPORT_PHONE = Rate("report-phone", 5, DAY)
# One-time codes sent by SMS (besides one per 60 s per number: disputes.residents.phone_codes).
CODE_ADDRESS = Rate("code-addr", 10, HOUR)
CODE_PHONE = Rate("code-phone", 5, HOUR)
# Tracking attempts of any kind, per address.
TRACK_ADDRESS = Rate("track-addr", 60, HOUR)
# Wrong codes (query codes and one-time codes): the captcha appears after CAPTCHA_AFTER,
# and after `limit` in the window even a right code is refused.
FAILED_ADDRESS = Rate("fail-addr", 20, HOUR)
FAILED_CASE = Rate("fail-case", 20, HOUR)
FAILED_PHONE = Rate("fail-phone", 20, HOUR)
CAPTCHA_AFTER = 3


def fingerprint(value) -> str:
    """A keyed hash of an address or number, for keys and logs (never the value itself)."""
    key = settings.PARTY_HASH_KEY.encode()
    return hmac.new(key, f"throttle:{value}".encode(), hashlib.sha256).hexdigest()[:24]


def _key(rate: Rate, value) -> str:
    return f"residents:throttle:{rate.name}:{fingerprint(value)}"


def hit(rate: Rate, value) -> int:
    """Count one more; returns the count in the window (0 when the cache is away)."""
    key = _key(rate, value)
    try:
        cache.add(key, 0, timeout=rate.seconds)
        return cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(key, 1, timeout=rate.seconds)
        return 1
    except REDIS_DOWN as error:
        logger.warning("throttle %s: cache unavailable (%s); not counted", rate.name, error)
        return 0


def count(rate: Rate, value) -> int:
    return int(cache.get(_key(rate, value), 0) or 0)


def over(rate: Rate, value) -> bool:
    """Whether the window's limit is reached already."""
    return count(rate, value) >= rate.limit


def reset(rate: Rate, value) -> None:
    cache.delete(_key(rate, value))
