"""PostgreSQL only: concurrent writers and the application role's privileges."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection, connections, transaction

from cpmp.access.models import User
from cpmp.audit.actions import SystemActor, append_event
from cpmp.audit.events import EventType
from cpmp.audit.models import AuditEvent, ChainHead
from cpmp.audit.verification import verify_chain

from .conftest import Appender

WRITERS = 4
EVENTS_PER_WRITER = 25
APPLICATION_ROLE = "cpmp_audit_test_app"

trigger_migration = importlib.import_module(
    "cpmp.audit.migrations.0002_reject_update_and_delete_on_audit_tables"
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_chain_gapless(
    postgresql_only: None, committed_audit: None
) -> None:
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            barrier.wait(timeout=10)
            for number in range(EVENTS_PER_WRITER):
                with transaction.atomic():
                    user = User.objects.create_user(username=f"writer-{writer}-{number}")
                    append_event(
                        EventType.RECORD_CREATED,
                        actor=SystemActor.SYSTEM,
                        object_type="user",
                        object_id=user.pk,
                        payload={"new": {"writer": writer, "number": number}},
                        source="system",
                    )
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    total = WRITERS * EVENTS_PER_WRITER
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, total + 1))
    assert ChainHead.objects.get().sequence == total
    assert User.objects.filter(username__startswith="writer-").count() == total
    report = verify_chain()
    assert report.intact
    assert report.events_checked == total


@contextmanager
def as_application_role(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Create a login-less role with the usual CRUD grants, restrict it, and act as it.

    CREATE ROLE is transactional, so the test's rollback removes the role again.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {APPLICATION_ROLE} NOLOGIN")
        cursor.execute(
            "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public "
            f"TO {APPLICATION_ROLE}"
        )
        cursor.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {APPLICATION_ROLE}")
    monkeypatch.setenv("CPMP_DB_APP_ROLE", APPLICATION_ROLE)
    with connection.schema_editor(atomic=False) as editor:
        trigger_migration.restrict_application_role(None, editor)
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {APPLICATION_ROLE}")
        try:
            yield
        finally:
            cursor.execute("RESET ROLE")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET source = 'elsewhere'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "TRUNCATE audit_auditcheckpoint",
        "DELETE FROM audit_chainhead",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER USER",
    ],
)
def test_application_role_cannot_change_audit(
    postgresql_only: None,
    append_many: Appender,
    monkeypatch: pytest.MonkeyPatch,
    statement: str,
) -> None:
    append_many(2)
    with (
        as_application_role(monkeypatch),
        pytest.raises(DatabaseError, match=r"permission denied|must be owner"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)


def test_application_role_can_append(
    postgresql_only: None, append_many: Appender, monkeypatch: pytest.MonkeyPatch
) -> None:
    append_many(2)
    with as_application_role(monkeypatch):
        append_many(1)
        assert verify_chain().intact
    assert AuditEvent.objects.count() == 3


def test_invalid_role_name_rejected(
    postgresql_only: None, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CPMP_DB_APP_ROLE", 'app"; DROP TABLE audit_auditevent; --')
    with (
        connection.schema_editor(atomic=False) as editor,
        pytest.raises(ValueError, match="not a plain PostgreSQL role name"),
    ):
        trigger_migration.restrict_application_role(None, editor)
