"""Canonical serialisation and hashing of audit events.

An event's hash is SHA-256 over the canonical JSON of its content fields plus
``prev_hash`` (the hash of the event before it). Canonical JSON: keys sorted,
no whitespace (``","`` and ``":"``), UTF-8 without escaping (``ensure_ascii=False``),
no NaN/Infinity, datetimes as ISO 8601 in UTC with microseconds
(``2026-01-31T08:00:00.000000Z``).

Changing anything here changes every hash: existing chains would no longer
verify. Treat this module as frozen.
"""

import datetime
import hashlib
import json
import uuid
from decimal import Decimal

from django.utils.functional import Promise

GENESIS_HASH = "0" * 64

# The fields covered by the hash, besides prev_hash. ``id`` is not among them:
# the database assigns it after the hash is computed; order is carried by the
# prev_hash links instead.
HASHED_FIELDS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "subject_code",
    "authority",
    "data",
    "ip",
)


def format_datetime(value: datetime.datetime) -> str:
    """ISO 8601 in UTC with microseconds and a ``Z``; naive datetimes are refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime in audit content: %r" % (value,))
    return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _default(value):
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID, Promise)):
        return str(value)
    raise TypeError("not serialisable in an audit event: %r" % (type(value).__name__,))


def canonical_json(value) -> str:
    """The one serialisation that is hashed."""
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_default,
    )


def event_hash(content: dict, prev_hash: str) -> str:
    """SHA-256 (hex) of the canonical JSON of ``content`` plus ``prev_hash``."""
    payload = {**content, "prev_hash": prev_hash}
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()
