"""Write audit events as JSON lines for a SIEM, one event per line in sequence order.

The field names and the ``schema`` value are a public contract (see docs/audit.md): add fields
under a new schema value, never rename or remove one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Protocol

from .chain import format_timestamp
from .models import AuditEvent


class TextSink(Protocol):
    def write(self, text: str, /) -> Any: ...


SCHEMA = "cpmp.audit.event/1"
BATCH_SIZE = 2000


def export_line(event: AuditEvent) -> str:
    """Return one event as a JSON object on a single line, without the newline."""
    record: dict[str, Any] = {
        "schema": SCHEMA,
        "sequence": event.sequence,
        "occurred_at": format_timestamp(event.occurred_at),
        "event_type": event.event_type,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "source": event.source,
        "request_id": event.request_id,
        "payload": event.payload,
        "key_id": event.key_id,
        "previous_hash": event.previous_hash,
        "hash": event.hash,
    }
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def events_after(sequence: int) -> Iterator[AuditEvent]:
    """Yield the events after ``sequence`` in order, fetched in bounded batches."""
    after = sequence
    while True:
        batch = list(
            AuditEvent.objects.filter(sequence__gt=after).order_by("sequence")[:BATCH_SIZE]
        )
        yield from batch
        if len(batch) < BATCH_SIZE:
            return
        after = batch[-1].sequence


def write_export(stream: TextSink, *, since: int = 0) -> tuple[int, int]:
    """Write the events after ``since`` to ``stream``; return (events written, last sequence)."""
    count, last = 0, since
    for event in events_after(since):
        # One write per line: Django's OutputWrapper adds a newline to a write that lacks one.
        stream.write(export_line(event) + "\n")
        count += 1
        last = event.sequence
    return count, last
