"""Appending to the chain: sequence, links, checkpoints, transactions and the append-only rule."""

from __future__ import annotations

import itertools
import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory, override_settings
from django.urls import ResolverMatch

from cpmp.access.models import User
from cpmp.audit.actions import (
    ChainKeyMismatch,
    SystemActor,
    append_event,
    create_checkpoint,
    record_view,
)
from cpmp.audit.chain import GENESIS_HASH
from cpmp.audit.events import EventType, InvalidAuditEvent
from cpmp.audit.models import AppendOnlyError, AuditCheckpoint, AuditEvent, ChainHead
from cpmp.audit.testing import unguarded
from cpmp.audit.verification import verify_chain

from .conftest import Appender, append_changes

SECRET_VALUE = "Operation Nightjar covert name"


def a_user(username: str = "h.handler") -> User:
    return User.objects.create_user(username=username, password="not-used-in-these-tests")


def test_first_event_chains_from_genesis(append_many: Appender) -> None:
    (event,) = append_many(1)
    assert event.sequence == 1
    assert event.previous_hash == GENESIS_HASH


def test_sequence_is_gapless_and_linked(append_many: Appender) -> None:
    events = append_many(5)
    assert [event.sequence for event in events] == [1, 2, 3, 4, 5]
    for before, after in itertools.pairwise(events):
        assert after.previous_hash == before.hash


def test_appended_chain_verifies(append_many: Appender) -> None:
    append_many(12)
    report = verify_chain()
    assert report.intact
    assert report.events_checked == 12
    assert report.last_sequence == 12


def test_empty_chain_verifies(db: None) -> None:
    report = verify_chain()
    assert report.intact
    assert report.events_checked == 0


def test_stored_event_reads_back_as_written(append_many: Appender) -> None:
    (written,) = append_many(1)
    stored = AuditEvent.objects.get(sequence=1)
    assert stored.payload == written.payload
    assert stored.occurred_at == written.occurred_at
    assert stored.hash == written.hash


def test_user_actor_stored_with_username(db: None) -> None:
    user = a_user()
    event = append_event(
        EventType.SESSION_SIGNED_IN,
        actor=user,
        object_type="user",
        object_id=user.pk,
        payload={},
        source="192.0.2.1",
        request_id="r1",
    )
    assert event.actor_id == user.pk
    assert event.actor_label == "h.handler"
    assert event.object_id == str(user.pk)


@pytest.mark.parametrize(
    ("actor", "label"),
    [
        (SystemActor.COMMAND_LINE, "command-line"),
        (SystemActor.SYSTEM, "system"),
        (AnonymousUser(), "anonymous"),
    ],
)
def test_actor_without_account_has_label(db: None, actor: object, label: str) -> None:
    event = append_event(
        EventType.SESSION_SIGN_IN_FAILED,
        actor=actor,  # type: ignore[arg-type]
        object_type="user",
        object_id="",
        payload={"username": "nobody"},
        source="192.0.2.1",
    )
    assert event.actor_id is None
    assert event.actor_label == label


def test_bad_payload_rejected_and_nothing_stored(append_many: Appender) -> None:
    append_many(2)
    with pytest.raises(InvalidAuditEvent, match="missing old"):
        append_event(
            EventType.RECORD_CHANGED,
            actor=SystemActor.SYSTEM,
            object_type="authorisation",
            object_id="1",
            payload={"new": {"state": "granted"}},
            source="system",
        )
    assert AuditEvent.objects.count() == 2
    assert ChainHead.objects.get().sequence == 2


def test_unknown_event_type_rejected(db: None) -> None:
    with pytest.raises(InvalidAuditEvent, match="Unknown audit event type"):
        append_event(
            "record.peeked",
            actor=SystemActor.SYSTEM,
            object_type="authorisation",
            object_id="1",
            payload={},
            source="system",
        )


def test_overlong_object_id_rejected(db: None) -> None:
    with pytest.raises(InvalidAuditEvent, match="object_id is longer than 100"):
        append_event(
            EventType.RECORD_VIEWED,
            actor=SystemActor.SYSTEM,
            object_type="authorisation",
            object_id="x" * 101,
            payload={"view_name": "v"},
            source="system",
        )


@override_settings(CPMP_AUDIT_CHECKPOINT_EVERY=3)
def test_checkpoint_written_every_n_events(append_many: Appender) -> None:
    append_many(7)
    checkpoints = list(AuditCheckpoint.objects.order_by("number"))
    assert [c.sequence for c in checkpoints] == [3, 6]
    assert [c.kind for c in checkpoints] == ["periodic", "periodic"]
    assert checkpoints[0].event_hash == AuditEvent.objects.get(sequence=3).hash
    assert checkpoints[1].previous_signature == checkpoints[0].signature


def test_on_demand_checkpoint_signs_last_event(append_many: Appender) -> None:
    append_many(4)
    checkpoint = create_checkpoint()
    assert checkpoint.sequence == 4
    assert checkpoint.kind == "on-demand"
    assert ChainHead.objects.get().checkpoint_number == 1
    assert verify_chain().intact


def test_on_demand_checkpoint_needs_an_event(db: None) -> None:
    with pytest.raises(ValueError, match="no events yet"):
        create_checkpoint()


def test_rollback_removes_event_with_change(append_many: Appender) -> None:
    append_many(1)

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        user = a_user("rolled.back")
        append_event(
            EventType.RECORD_CREATED,
            actor=SystemActor.COMMAND_LINE,
            object_type="user",
            object_id=user.pk,
            payload={"new": {"username": "rolled.back"}},
            source="command-line",
        )
        raise Abandoned

    assert not User.objects.filter(username="rolled.back").exists()
    assert AuditEvent.objects.count() == 1
    assert ChainHead.objects.get().sequence == 1
    assert verify_chain().intact
    # The next event takes the number the rolled-back one had, so the sequence stays gapless.
    (event,) = append_changes(1)
    assert event.sequence == 2


@pytest.mark.django_db(transaction=True)
def test_commit_keeps_event_with_change(committed_audit: None) -> None:
    with transaction.atomic():
        user = a_user("committed.user")
        append_event(
            EventType.RECORD_CREATED,
            actor=SystemActor.COMMAND_LINE,
            object_type="user",
            object_id=user.pk,
            payload={"new": {"username": "committed.user"}},
            source="command-line",
        )

    assert User.objects.filter(username="committed.user").exists()
    event = AuditEvent.objects.get()
    assert event.object_id == str(user.pk)
    assert verify_chain().intact


def test_record_view_stores_view_name_not_path(db: None) -> None:
    user = a_user()
    request = RequestFactory().get("/authorisations/17/?q=" + SECRET_VALUE, REMOTE_ADDR="192.0.2.8")
    request.user = user
    request.resolver_match = ResolverMatch(lambda r: None, (), {}, url_name="detail")
    event = record_view(request, "authorisation", 17)
    assert event.event_type == "authorisation.viewed"
    assert event.payload == {"view_name": "detail"}
    assert event.source == "192.0.2.8"
    assert len(event.request_id) == 32
    assert SECRET_VALUE not in str(AuditEvent.objects.values().get())


def test_record_view_of_other_record_type(db: None) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.8")
    request.user = a_user()
    event = record_view(request, "source", "S-1")
    assert event.event_type == "record.viewed"
    assert event.payload == {"view_name": ""}


def test_wrong_key_rejected(append_many: Appender) -> None:
    append_many(1)
    with (
        override_settings(CPMP_AUDIT_KEY="a-different-key-for-this-test"),
        pytest.raises(ChainKeyMismatch, match="restart with the chain's current key"),
    ):
        append_changes(1)
    assert AuditEvent.objects.count() == 1


def test_orm_update_rejected(append_many: Appender) -> None:
    (event,) = append_many(1)
    event.source = "elsewhere"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(sequence=1).update(source="elsewhere")


def test_orm_delete_rejected(append_many: Appender) -> None:
    (event,) = append_many(1)
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_orm_without_guards_stopped_by_trigger(append_many: Appender) -> None:
    append_many(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        unguarded(AuditEvent).filter(sequence=1).update(source="elsewhere")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        unguarded(AuditEvent).filter(sequence=1).delete()
    assert AuditEvent.objects.get(sequence=1).source == "command-line"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET source = 'elsewhere'",
        "DELETE FROM audit_auditevent",
        "UPDATE audit_auditcheckpoint SET event_hash = 'x'",
        "DELETE FROM audit_auditcheckpoint",
    ],
)
def test_raw_sql_change_stopped_by_trigger(append_many: Appender, statement: str) -> None:
    append_many(1)
    create_checkpoint()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert verify_chain().intact


def test_append_logs_no_payload_value(db: None, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    append_event(
        EventType.RECORD_CHANGED,
        actor=SystemActor.SYSTEM,
        object_type="source",
        object_id="9",
        payload={"old": {"name": "A"}, "new": {"name": SECRET_VALUE}},
        source="system",
    )
    with pytest.raises(InvalidAuditEvent):
        append_event(
            EventType.RECORD_CHANGED,
            actor=SystemActor.SYSTEM,
            object_type="source",
            object_id="9",
            payload={"old": {"name": 1.5}, "new": {"name": SECRET_VALUE}},
            source="system",
        )
    verify_chain()
    assert "appended" in caplog.text
    assert SECRET_VALUE not in caplog.text
