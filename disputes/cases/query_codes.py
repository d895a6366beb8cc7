"""The complainant's query code: what a resident types, with the case number, to follow a case.

A code is 12 characters drawn at random (`secrets`) from 29 letters and digits
that cannot be mistaken for one another when read aloud or copied from paper
(no 0/O, 1/I/L, nor U/V), about 58 bits: it cannot be guessed. It is given once,
on the receipt, and stored only as a keyed hash (HMAC-SHA256 with
PARTY_HASH_KEY), so neither the database nor a backup holds it; a lost code is
replaced by issuing a new one, which makes the old one stop working.
"""

import hashlib
import hmac
import re
import secrets

from django.conf import settings

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LENGTH = 12
GROUP = 4


def query_code_new() -> str:
    """A fresh code, as the receipt prints it: ABCD-EFGH-JKMN."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(code[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def query_code_normalize(typed: str) -> str:
    """The code's characters as stored: upper case, without spaces or dashes."""
    return re.sub(r"[\s\-_]", "", typed or "").upper()[: LENGTH * 2]


def query_code_hash(code: str) -> str:
    """The keyed hash stored for a code (as typed or as printed)."""
    text = query_code_normalize(code)
    if not text:
        return ""
    key = settings.PARTY_HASH_KEY.encode()
    return hmac.new(key, ("qc:" + text).encode(), hashlib.sha256).hexdigest()


def query_code_matches(stored_hash: str, typed: str) -> bool:
    """Whether `typed` is the code whose hash is stored (in constant time)."""
    if not stored_hash or not typed:
        return False
    return hmac.compare_digest(stored_hash, query_code_hash(typed))
