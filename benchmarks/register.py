"""Time the register page over 100,000 authorisations.

Usage, from the repository root:

    .venv/bin/python benchmarks/register.py [--records 100000] [--repeat 5]

Without DATABASE_URL the records go into a new SQLite file in a temporary folder, deleted
afterwards. With DATABASE_URL naming a PostgreSQL server, Django creates a throwaway
``test_<name>`` database there and drops it afterwards. Each page is requested through the
Django test client, once to warm up and then ``--repeat`` times. The script prints the
median and slowest times and the number of SQL queries. Results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

PAGES = [
    ("first page", "/authorisations/"),
    ("filtered: kind and status", "/authorisations/?kind=chis&status=live"),
    ("filtered: operation text", "/authorisations/?operation=gingerbread"),
    ("filtered: due within 28 days", "/authorisations/?due=28"),
    ("sorted by expiry", "/authorisations/?sort=-expires"),
    ("sorted by status", "/authorisations/?sort=status"),
    ("deep page (1,000 of 2,000)", "/authorisations/?page=1000"),
]

KINDS = [
    "directed-surveillance",
    "chis",
    "juvenile-chis",
    "intrusive-surveillance",
    "property-interference",
    "relevant-source",
]
OPERATIONS = [
    "Gingerbread",
    "Nutmeg",
    "Saffron",
    "Juniper",
    "Cardamom",
    "Fennel",
    "Paprika",
    "Sumac",
]
STATES = ["granted"] * 90 + ["refused"] * 4 + ["awaiting-approval"] * 3 + ["invalid-data"] * 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000, help="number of authorisations")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cpmp-benchmark-") as folder:
        # Always a fresh folder, so the benchmark never writes into a real var/ database.
        os.environ["CPMP_VAR_DIR"] = folder
        Path(folder, "static").mkdir()
        os.environ["DJANGO_SETTINGS_MODULE"] = "cpmp.config.settings.test"
        import django

        django.setup()
        run(args.records, args.repeat)


def run(record_count: int, repeat: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    postgres = connection.vendor == "postgresql"
    if postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        started = time.perf_counter()
        create_records(record_count)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"created {record_count:,} records in {time.perf_counter() - started:.1f} s")
        print(
            f"database: {connection.vendor} {database_version(connection)}, "
            f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}"
        )
        time_pages(repeat)
    finally:
        if postgres:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def database_version(connection: object) -> str:
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        if connection.vendor == "postgresql":  # type: ignore[attr-defined]
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return str(cursor.fetchone()[0])


def create_records(count: int) -> None:
    from cpmp.authorities.models import Authorisation

    randomiser = random.Random(20240331)  # noqa: S311 (reproducible test data, not security)
    now = datetime.now(UTC)
    batch: list[Authorisation] = []
    for number in range(count):
        granted = now - timedelta(days=randomiser.uniform(0, 6 * 365))
        expires = granted + timedelta(days=randomiser.choice([3, 90, 90, 365, 365 * 4]))
        cancelled = None
        if randomiser.random() < 0.7:
            cancelled = granted + timedelta(days=randomiser.uniform(1, 400))
        batch.append(
            Authorisation(
                origin="imported",
                reference=f"REF/{granted:%Y}/{number:06d}",
                kind=randomiser.choice(KINDS),
                operation=f"Op {randomiser.choice(OPERATIONS)} {number % 500}",
                granted=granted.isoformat(timespec="minutes"),
                granted_from=granted,
                cancelled=cancelled.date().isoformat() if cancelled else "",
                cancelled_from=cancelled,
                expires_at=expires,
                expires_earliest=expires,
                expires_latest=expires,
                state=randomiser.choice(STATES),
                findings=["never_cancelled"] if cancelled is None else [],
                details={"Notes": "benchmark record", "Reviews Held": "01/01/2024"},
            )
        )
        if len(batch) == 5000:
            Authorisation.objects.bulk_create(batch)
            batch = []
    Authorisation.objects.bulk_create(batch)


def time_pages(repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cpmp.access.models import RoleAssignment, User

    gatekeeper = User.objects.create_user(username="benchmark-gatekeeper")
    RoleAssignment.objects.create(user=gatekeeper, role="gatekeeper")
    client = Client()
    client.force_login(gatekeeper)

    print(f"{'page':<32} {'median ms':>10} {'slowest ms':>11} {'queries':>8}")
    for name, url in PAGES:
        assert client.get(url).status_code == 200, url
        timings = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, url
        median = statistics.median(timings)
        print(f"{name:<32} {median:>10.0f} {max(timings):>11.0f} {len(queries):>8}")


if __name__ == "__main__":
    main()
