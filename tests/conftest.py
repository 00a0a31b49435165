"""Shared fixtures: named personas and the paths of the sample registers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Django's live test server runs in a thread; Playwright's sync API runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPOSITORY = Path(__file__).resolve().parents[1]
SAMPLES = REPOSITORY / "tests" / "data" / "central-records"


@pytest.fixture
def samples_dir() -> Path:
    if not SAMPLES.is_dir():
        pytest.fail(f"sample registers not found at {SAMPLES}")
    return SAMPLES


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    names = set(request.fixturenames)
    if names & {"transactional_db", "live_server"}:
        return True
    marker = request.node.get_closest_marker("django_db")
    return marker is not None and bool(marker.kwargs.get("transaction", False))


@pytest.fixture(autouse=True)
def _empty_audit_tables_after_transactional_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Empty the audit tables before Django flushes the database after a transactional test.

    Django empties SQLite tables with DELETE, which the audit's append-only triggers reject.
    Requesting ``transactional_db`` here makes this teardown run before Django's flush.
    """
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    if connection.vendor == "sqlite":
        from cpmp.audit.testing import empty_audit_tables

        empty_audit_tables()
