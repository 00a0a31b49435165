"""Measure ``verify_chain`` in events per second against raw SHA-256 and HMAC-SHA256.

    .venv/bin/python benchmarks/audit_verify.py [--events 20000] [--database sqlite|postgresql|both]

The chain is filled with bulk inserts of correctly chained events (faster than appending one
transaction at a time), then verified. The same canonical bytes are then hashed in memory with
SHA-256 and HMAC-SHA256, so the figures show how much of verification is reading and decoding
rows rather than hashing.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import time
from pathlib import Path

from _audit_databases import run_child, setup_django

BATCH = 1000


def fill(count: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from cpmp.audit import chain
    from cpmp.audit.keys import current_key
    from cpmp.audit.models import AuditEvent, ChainHead

    key = current_key()
    previous = chain.GENESIS_HASH
    batch: list[AuditEvent] = []
    with transaction.atomic():
        for sequence in range(1, count + 1):
            fields = chain.EventFields(
                sequence=sequence,
                occurred_at=timezone.now(),
                actor_id=None,
                actor_label="system",
                event_type="record.changed",
                object_type="authorisation",
                object_id=str(sequence),
                source="192.0.2.1",
                request_id="0123456789abcdef0123456789abcdef",
                payload={"old": {"state": "draft"}, "new": {"state": "granted", "n": sequence}},
                key_id=key.key_id,
                previous_hash=previous,
            )
            previous = chain.event_hash(key, fields)
            batch.append(AuditEvent(**vars(fields), hash=previous))
            if len(batch) == BATCH:
                AuditEvent.objects.bulk_create(batch)
                batch = []
        AuditEvent.objects.bulk_create(batch)
        ChainHead.objects.create(
            id=1,
            sequence=count,
            hash=previous,
            checkpoint_number=0,
            key_id=key.key_id,
            signature=chain.head_signature(
                key, sequence=count, last_hash=previous, checkpoint_number=0
            ),
        )


def measure(count: int) -> dict[str, object]:
    setup_django()
    from django.db import connection

    from cpmp.audit import chain
    from cpmp.audit.keys import current_key
    from cpmp.audit.models import AuditEvent
    from cpmp.audit.verification import verify_chain

    fill(count)

    started = time.perf_counter()
    report = verify_chain()
    verify_seconds = time.perf_counter() - started
    if not report.intact or report.events_checked != count:
        raise RuntimeError(f"The benchmark chain did not verify: {report.as_dict()}")

    rows = list(AuditEvent.objects.order_by("sequence").values())
    started = time.perf_counter()
    messages = [
        chain.event_bytes(chain.EventFields(**{k: v for k, v in row.items() if k != "hash"}))
        for row in rows
    ]
    serialise_seconds = time.perf_counter() - started
    total_bytes = sum(len(message) for message in messages)

    started = time.perf_counter()
    for message in messages:
        hashlib.sha256(message).digest()
    sha256_seconds = time.perf_counter() - started

    secret = current_key().secret
    started = time.perf_counter()
    for message in messages:
        hmac.new(secret, message, hashlib.sha256).digest()
    hmac_seconds = time.perf_counter() - started

    return {
        "vendor": connection.vendor,
        "events": count,
        "mean_event_bytes": round(total_bytes / count),
        "verify_events_per_second": round(count / verify_seconds),
        "canonical_json_events_per_second": round(count / serialise_seconds),
        "sha256_events_per_second": round(count / sha256_seconds),
        "hmac_sha256_events_per_second": round(count / hmac_seconds),
        "hmac_sha256_megabytes_per_second": round(total_bytes / hmac_seconds / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20000, help="Events in the chain.")
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgresql", "both"],
        default="both",
        help="Database to measure (default both).",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.child:
        print(json.dumps(measure(options.events)))
        return
    kinds = ["sqlite", "postgresql"] if options.database == "both" else [options.database]
    for kind in kinds:
        print(json.dumps(run_child(Path(__file__), kind, ["--events", str(options.events)])))


if __name__ == "__main__":
    main()
