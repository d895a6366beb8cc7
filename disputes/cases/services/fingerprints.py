"""A report's fingerprint: what tells two sends of one client key apart (idempotency)."""

import hashlib
import json
import uuid as uuid_lib
from datetime import UTC, datetime
from decimal import Decimal

from disputes.cases.models import Category


def request_hash(payload: dict) -> str:
    """A fingerprint of a request body as sent (how reports were told apart before 2026-12)."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _canonical(value):
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, uuid_lib.UUID):
        return str(value)
    if isinstance(value, Category):
        return value.code
    return value


def report_fingerprint(values: dict) -> str:
    """A fingerprint of a report's validated values (defaults filled in, nulls left out).

    Two bodies that differ only by a field one of them leaves at its default (or
    null) are the same request.
    """
    return request_hash(_canonical(values))
