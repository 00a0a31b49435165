"""Canonical serialisation and the HMAC-SHA256 of events, checkpoints and the chain head.

The bytes hashed for an event are the same whichever database stored it: keys sorted, no
whitespace, ASCII only, times in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, and no floats (payload
validation rejects them). Changing anything here breaks every existing chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .keys import AuditKey

# The previous hash of event 1 and the previous signature of checkpoint 1.
GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class EventFields:
    """The fields of one event that its hash covers, in their stored form."""

    sequence: int
    occurred_at: datetime
    actor_id: int | None
    actor_label: str
    event_type: str
    object_type: str
    object_id: str
    source: str
    request_id: str
    payload: Any
    key_id: str
    previous_hash: str


@dataclass(frozen=True)
class CheckpointFields:
    """The fields of one checkpoint that its signatures cover."""

    number: int
    sequence: int
    event_hash: str
    created_at: datetime
    kind: str
    key_id: str
    previous_key_id: str
    previous_signature: str


def format_timestamp(moment: datetime) -> str:
    """Return ``moment`` in UTC with microseconds, the form that hashes and exports use."""
    if moment.tzinfo is None:
        raise ValueError("Audit timestamps must be timezone-aware.")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> bytes:
    """Serialise ``value`` to the canonical bytes that are hashed."""
    text = json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    )
    return text.encode("ascii")


def event_bytes(fields: EventFields) -> bytes:
    """Return the canonical bytes of an event, its previous hash included."""
    return canonical_json(
        {
            "sequence": fields.sequence,
            "occurred_at": format_timestamp(fields.occurred_at),
            "actor_id": fields.actor_id,
            "actor_label": fields.actor_label,
            "event_type": fields.event_type,
            "object_type": fields.object_type,
            "object_id": fields.object_id,
            "source": fields.source,
            "request_id": fields.request_id,
            "payload": fields.payload,
            "key_id": fields.key_id,
            "previous_hash": fields.previous_hash,
        }
    )


def event_hash(key: AuditKey, fields: EventFields) -> str:
    """Return the hex HMAC-SHA256 of an event under ``key``."""
    return hmac.new(key.secret, event_bytes(fields), hashlib.sha256).hexdigest()


def checkpoint_signature(key: AuditKey, fields: CheckpointFields) -> str:
    """Return the hex HMAC-SHA256 of a checkpoint under ``key``."""
    message = canonical_json(
        {
            "record": "checkpoint",
            "number": fields.number,
            "sequence": fields.sequence,
            "event_hash": fields.event_hash,
            "created_at": format_timestamp(fields.created_at),
            "kind": fields.kind,
            "key_id": fields.key_id,
            "previous_key_id": fields.previous_key_id,
            "previous_signature": fields.previous_signature,
        }
    )
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()


def head_signature(key: AuditKey, *, sequence: int, last_hash: str, checkpoint_number: int) -> str:
    """Return the hex HMAC-SHA256 of the chain head: the last event and the last checkpoint."""
    message = canonical_json(
        {
            "record": "head",
            "sequence": sequence,
            "hash": last_hash,
            "checkpoint_number": checkpoint_number,
            "key_id": key.key_id,
        }
    )
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()


def signatures_match(expected: str, actual: str) -> bool:
    """Compare two hex digests in constant time."""
    return hmac.compare_digest(expected.encode("utf-8"), actual.encode("utf-8"))
