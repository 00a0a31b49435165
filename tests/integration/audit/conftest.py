"""Fixtures for the audit tests: a way to fill the chain and to clean up after commits."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.db import connection

from cpmp.audit.actions import SystemActor, append_event
from cpmp.audit.events import EventType
from cpmp.audit.models import AuditEvent
from cpmp.audit.testing import empty_audit_tables

Appender = Callable[[int], list[AuditEvent]]


def append_changes(count: int) -> list[AuditEvent]:
    """Append ``count`` record.changed events from the command line and return them."""
    return [
        append_event(
            EventType.RECORD_CHANGED,
            actor=SystemActor.COMMAND_LINE,
            object_type="authorisation",
            object_id=str(number),
            payload={"old": {"state": "draft"}, "new": {"state": "granted", "number": number}},
            source="command-line",
        )
        for number in range(count)
    ]


@pytest.fixture
def append_many(db: None) -> Appender:
    return append_changes


@pytest.fixture
def committed_audit(transactional_db: None) -> Iterator[None]:
    """A database where audit rows really commit, emptied before Django's flush."""
    yield
    empty_audit_tables()


@pytest.fixture
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (see scripts/test-postgres)")
