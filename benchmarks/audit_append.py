"""Measure audit appends per second with 1, 2 and 4 concurrent writers.

    .venv/bin/python benchmarks/audit_append.py [--seconds 3] [--database sqlite|postgresql|both]

Each writer is a thread with its own database connection that appends ``record.changed``
events, one transaction per event, for ``--seconds`` seconds per writer count. The chain is
verified afterwards, so a lost or duplicated sequence number fails the run.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from pathlib import Path

from _audit_databases import run_child, setup_django

WRITER_COUNTS = (1, 2, 4)


def measure(seconds: float) -> dict[str, object]:
    setup_django()
    from django.db import connection, connections

    from cpmp.audit.actions import SystemActor, append_event
    from cpmp.audit.verification import verify_chain

    def write(deadline: float, counts: list[int], index: int) -> None:
        try:
            while time.perf_counter() < deadline:
                append_event(
                    "record.changed",
                    actor=SystemActor.SYSTEM,
                    object_type="authorisation",
                    object_id=str(counts[index]),
                    payload={"old": {"state": "draft"}, "new": {"state": "granted"}},
                    source="system",
                )
                counts[index] += 1
        finally:
            connections.close_all()

    rates: dict[str, float] = {}
    for writers in WRITER_COUNTS:
        counts = [0] * writers
        deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        threads = [
            threading.Thread(target=write, args=(deadline, counts, index))
            for index in range(writers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        rates[str(writers)] = round(sum(counts) / elapsed)

    report = verify_chain()
    return {
        "vendor": connection.vendor,
        "appends_per_second_by_writers": rates,
        "events": report.events_checked,
        "chain_intact": report.intact,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="Seconds per writer count.")
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgresql", "both"],
        default="both",
        help="Database to measure (default both).",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.child:
        print(json.dumps(measure(options.seconds)))
        return
    kinds = ["sqlite", "postgresql"] if options.database == "both" else [options.database]
    for kind in kinds:
        result = run_child(Path(__file__), kind, ["--seconds", str(options.seconds)])
        print(json.dumps(result))


if __name__ == "__main__":
    main()
