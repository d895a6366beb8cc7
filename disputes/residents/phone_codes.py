"""One-time codes that confirm a resident's mobile number (短信验证码).

Six digits from `secrets`, sent by SMS (config.sms), kept in the cache (Redis) for
ten minutes only as a keyed hash (HMAC with PARTY_HASH_KEY), at most MAX_TRIES
tries, one code per number every RESEND_SECONDS. A code is for one purpose:
"report" (before a report is accepted) or "track" (to list the number's cases).
A right code confirms the number in the resident's session for CONFIRMED_SECONDS.
"""

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from config.sms import sms_send

PURPOSES = ("report", "track")
CODE_SECONDS = 10 * 60
MAX_TRIES = 5
RESEND_SECONDS = 60
CONFIRMED_SECONDS = 30 * 60
SESSION_KEY = "residents:phone"


class CodeNotSent(Exception):
    """Too soon after the last code for this number."""


def _digest(*parts: str) -> str:
    key = settings.PARTY_HASH_KEY.encode()
    return hmac.new(key, ":".join(parts).encode(), hashlib.sha256).hexdigest()


def _key(phone: str, purpose: str) -> str:
    return f"residents:code:{purpose}:{_digest('phone', phone)[:32]}"


def code_send(*, phone: str, purpose: str) -> None:
    """Send a new code to `phone` (the earlier one stops working).

    Raises CodeNotSent within RESEND_SECONDS of the last one, SmsError when the
    gateway refuses.
    """
    assert purpose in PURPOSES
    if not cache.add(_key(phone, purpose) + ":sent", 1, timeout=RESEND_SECONDS):
        raise CodeNotSent(_("A code was sent a moment ago; wait a minute before asking again."))
    code = f"{secrets.randbelow(10**6):06d}"
    entry = {
        "hash": _digest("code", purpose, phone, code),
        "tries": 0,
        "until": time.time() + CODE_SECONDS,
    }
    cache.set(_key(phone, purpose), entry, timeout=CODE_SECONDS)
    sms_send(
        phone,
        _("Your verification code is %(code)s, valid for 10 minutes. Do not tell anyone.")
        % {"code": code},
    )


def code_check(*, phone: str, purpose: str, typed: str) -> bool:
    """Whether `typed` is the code last sent to `phone` for `purpose`; a right code is used up,
    a code tried MAX_TRIES times wrongly is dropped."""
    key = _key(phone, purpose)
    entry = cache.get(key)
    typed = (typed or "").strip()
    if not entry or not typed:
        return False
    if hmac.compare_digest(entry["hash"], _digest("code", purpose, phone, typed)):
        cache.delete(key)
        return True
    entry["tries"] += 1
    left = int(entry["until"] - time.time())
    if entry["tries"] >= MAX_TRIES or left <= 0:
        cache.delete(key)
    else:
        cache.set(key, entry, timeout=left)
    return False


def phone_confirm(session, phone: str) -> None:
    session[SESSION_KEY] = {"phone": phone, "until": time.time() + CONFIRMED_SECONDS}


def phone_confirmed(session) -> str:
    """The mobile number this session confirmed within CONFIRMED_SECONDS, or ""."""
    entry = session.get(SESSION_KEY)
    if not entry or entry.get("until", 0) < time.time():
        return ""
    return entry["phone"]
