"""Test helpers that get past the append-only triggers. Never call these outside tests.

Django's flush after a transactional test (``transaction=True``, live server, browser) empties
tables with DELETE on SQLite, which the audit triggers reject once a test has stored an audit
event. Such tests call ``empty_audit_tables()`` in their teardown. PostgreSQL flushes with
TRUNCATE, which fires no row trigger, so there it is not needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, models

from .models import AuditCheckpoint, AuditEvent, ChainHead

APPEND_ONLY_TABLES = ("audit_auditevent", "audit_auditcheckpoint")


@contextmanager
def audit_triggers_disabled(using: str = "default") -> Iterator[None]:
    """Suspend the append-only triggers for the block, then restore them.

    SQLite drops the triggers and recreates them from their stored definitions. PostgreSQL
    disables them with ALTER TABLE, which needs the table's owner (the test user is) and no
    pending deferred foreign-key checks, so those are run first.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name IN ('audit_auditevent', 'audit_auditcheckpoint')"
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
            try:
                yield
            finally:
                for _name, sql in triggers:
                    cursor.execute(sql)
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in APPEND_ONLY_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            try:
                yield
            finally:
                for table in APPEND_ONLY_TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
                # Django creates its foreign keys DEFERRABLE INITIALLY DEFERRED.
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def unguarded(model: type[models.Model]) -> models.QuerySet:
    """Return a plain queryset of ``model``, without the append-only guards of its manager."""
    return models.QuerySet(model)


def empty_audit_tables(using: str = "default") -> None:
    """Delete every audit event, checkpoint and the chain head, triggers suspended."""
    with audit_triggers_disabled(using):
        unguarded(AuditCheckpoint).using(using).delete()
        unguarded(AuditEvent).using(using).delete()
        unguarded(ChainHead).using(using).delete()
