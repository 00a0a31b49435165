"""Shared set-up for the audit benchmarks: throwaway databases and a Django process per database.

Each benchmark runs its measurement in a child process per database, because the settings read
DATABASE_URL once at start-up. PostgreSQL comes from scripts/test-postgres (127.0.0.1 only);
SQLite is a file in a temporary directory, with the WAL and IMMEDIATE settings of base.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
TEST_POSTGRES = REPOSITORY / "scripts" / "test-postgres"


@contextmanager
def database_url(kind: str) -> Iterator[str]:
    """Yield the URL of a new, empty database of ``kind`` ("sqlite" or "postgresql")."""
    with tempfile.TemporaryDirectory(prefix="cpmp-bench-") as directory:
        if kind == "sqlite":
            yield f"sqlite:///{directory}/bench.sqlite3"
            return
        cluster = tempfile.mkdtemp(prefix="cpmp-pg.")
        try:
            # The command is this repository's script with a directory made just above.
            started = subprocess.run(  # noqa: S603
                [str(TEST_POSTGRES), "start", cluster],
                check=True,
                capture_output=True,
                text=True,
            )
            urls = [
                line for line in started.stdout.splitlines() if line.startswith("DATABASE_URL=")
            ]
            yield urls[0].removeprefix("DATABASE_URL=")
        finally:
            subprocess.run([str(TEST_POSTGRES), "stop", cluster], check=False)  # noqa: S603


def run_child(script: Path, kind: str, arguments: list[str]) -> dict[str, Any]:
    """Run ``script --child`` against a new database of ``kind`` and return its JSON output."""
    with database_url(kind) as url:
        environment = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "cpmp.config.settings.test",
        }
        finished = subprocess.run(  # noqa: S603 - this interpreter and a script beside this one
            [sys.executable, str(script), "--child", *arguments],
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        )
    result: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
    return result


def setup_django() -> None:
    """Start Django in a child process and create the schema in its empty database."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
