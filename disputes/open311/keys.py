"""The client systems' api_keys: issued once, stored as a hash, and each key's rate.

A key is shown once, when it is issued (the admin); only its SHA-256 and its first
characters are kept. Each client reports through its own system account, which
cannot log in: no password, not active, no staff role (so no area to see).
"""

import hashlib
import secrets
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction

from config.cache import REDIS_DOWN
from disputes.open311.models import Open311Client

KEY_BYTES = 32  # 43 characters of URL-safe base64
KEY_MAX_LENGTH = 100
PREFIX_LENGTH = 8
RATE_WINDOW_S = 60


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _key_new(client: Open311Client) -> str:
    key = secrets.token_urlsafe(KEY_BYTES)
    client.key_hash = key_hash(key)
    client.key_prefix = key[:PREFIX_LENGTH]
    return key


@transaction.atomic
def client_issue(*, client: Open311Client) -> str:
    """Save a new client (name, county, channel, rate set) with its system account and a key.

    Returns the key: the only time it exists in clear.
    """
    user = get_user_model()(
        username=f"open311-{secrets.token_hex(6)}", first_name=client.name, is_active=False
    )
    user.set_unusable_password()
    user.save()
    client.user = user
    key = _key_new(client)
    client.save()
    return key


@transaction.atomic
def client_save(*, client: Open311Client) -> Open311Client:
    """Save an existing client's settings; its account carries the client's name (the desk
    shows it as the reporter)."""
    client.save(update_fields=["name", "county", "channel", "requests_per_minute", "active"])
    user = client.user
    if user.first_name != client.name:
        user.first_name = client.name
        user.save(update_fields=["first_name"])
    return client


def key_rotate(*, client: Open311Client) -> str:
    """Give the client a new key; the old one stops working at once. Returns the new key."""
    key = _key_new(client)
    client.save(update_fields=["key_hash", "key_prefix"])
    return key


def client_for_key(key: str) -> Open311Client | None:
    """The active client this key belongs to, with its county; None for any other key."""
    if not key or len(key) > KEY_MAX_LENGTH:
        return None
    return (
        Open311Client.objects.filter(key_hash=key_hash(key), active=True)
        .select_related("county", "user")
        .defer("county__boundary")
        .first()
    )


def rate_take(client: Open311Client, now: float | None = None) -> int:
    """Count one request of this client in the current minute; returns 0 while within its
    `requests_per_minute`, else the seconds until the next minute (for Retry-After).

    The count lives in the cache (Redis); with Redis away requests are not limited,
    as everything else kept in the cache fails open.
    """
    now = time.time() if now is None else now
    window = int(now // RATE_WINDOW_S)
    counter = f"open311:rate:{client.key_hash[:16]}:{window}"
    try:
        cache.add(counter, 0, timeout=RATE_WINDOW_S + 1)
        count = cache.incr(counter)
    except (ValueError, *REDIS_DOWN):
        return 0
    if count <= client.requests_per_minute:
        return 0
    return max(1, int((window + 1) * RATE_WINDOW_S - now))
