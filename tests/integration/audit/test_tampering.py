"""Each kind of tampering, done past the triggers, is found at the first bad sequence number."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from cpmp.audit import chain
from cpmp.audit.actions import create_checkpoint
from cpmp.audit.keys import _audit_key, current_key
from cpmp.audit.models import AuditCheckpoint, AuditEvent, ChainHead
from cpmp.audit.testing import audit_triggers_disabled, unguarded
from cpmp.audit.verification import Problem, verify_chain

from .conftest import Appender

FORGER_KEY = _audit_key("a-key-the-forger-made-up-0000")


def first_problem() -> Problem:
    report = verify_chain()
    assert not report.intact, "tampering was not detected"
    problem = report.first_problem
    assert problem is not None
    return problem


def forged_event(sequence: int, previous_hash: str) -> AuditEvent:
    """Build an event that looks right but is hashed with a key the forger invented."""
    fields = chain.EventFields(
        sequence=sequence,
        occurred_at=timezone.now(),
        actor_id=None,
        actor_label="command-line",
        event_type="record.changed",
        object_type="authorisation",
        object_id="99",
        source="command-line",
        request_id="",
        payload={"old": {"state": "granted"}, "new": {"state": "cancelled"}},
        key_id=current_key().key_id,
        previous_hash=previous_hash,
    )
    return AuditEvent(
        sequence=fields.sequence,
        occurred_at=fields.occurred_at,
        actor_label=fields.actor_label,
        event_type=fields.event_type,
        object_type=fields.object_type,
        object_id=fields.object_id,
        source=fields.source,
        request_id=fields.request_id,
        payload=fields.payload,
        key_id=fields.key_id,
        previous_hash=fields.previous_hash,
        hash=chain.event_hash(FORGER_KEY, fields),
    )


def test_edited_payload_detected(append_many: Appender) -> None:
    append_many(6)
    with audit_triggers_disabled():
        unguarded(AuditEvent).filter(sequence=3).update(
            payload={"old": {"state": "draft"}, "new": {"state": "refused"}}
        )
    problem = first_problem()
    assert problem.sequence == 3
    assert problem.kind == "hash-mismatch"


def test_edited_time_detected(append_many: Appender) -> None:
    append_many(6)
    with audit_triggers_disabled():
        unguarded(AuditEvent).filter(sequence=4).update(
            occurred_at=F("occurred_at") - timedelta(days=1)
        )
    problem = first_problem()
    assert problem.sequence == 4
    assert problem.kind == "hash-mismatch"


def test_edited_hash_detected(append_many: Appender) -> None:
    append_many(6)
    with audit_triggers_disabled():
        unguarded(AuditEvent).filter(sequence=3).update(hash="f" * 64)
    problem = first_problem()
    assert problem.sequence == 3
    assert problem.kind == "hash-mismatch"


def test_deleted_event_detected(append_many: Appender) -> None:
    append_many(6)
    with audit_triggers_disabled():
        unguarded(AuditEvent).filter(sequence=3).delete()
    problem = first_problem()
    assert problem.sequence == 3
    assert problem.kind == "missing"


def test_deleted_first_event_detected(append_many: Appender) -> None:
    append_many(3)
    with audit_triggers_disabled():
        unguarded(AuditEvent).filter(sequence=1).delete()
    problem = first_problem()
    assert problem.sequence == 1
    assert problem.kind == "missing"


def test_forged_event_inserted_mid_chain_detected(append_many: Appender) -> None:
    events = append_many(6)
    with audit_triggers_disabled():
        # Make room at 3 by moving events 3..6 up one, in two steps so no number collides.
        unguarded(AuditEvent).filter(sequence__gte=3).update(sequence=-F("sequence") - 1)
        unguarded(AuditEvent).filter(sequence__lt=0).update(sequence=-F("sequence"))
        forged_event(3, previous_hash=events[1].hash).save()
    problem = first_problem()
    assert problem.sequence == 3
    assert problem.kind == "hash-mismatch"


def test_forged_event_appended_detected(append_many: Appender) -> None:
    events = append_many(4)
    forged_event(5, previous_hash=events[-1].hash).save()
    problem = first_problem()
    assert problem.sequence == 5
    assert problem.kind == "hash-mismatch"


def test_swapped_events_detected(append_many: Appender) -> None:
    append_many(6)
    with audit_triggers_disabled():
        unguarded(AuditEvent).filter(sequence=2).update(sequence=-2)
        unguarded(AuditEvent).filter(sequence=5).update(sequence=2)
        unguarded(AuditEvent).filter(sequence=-2).update(sequence=5)
    problem = first_problem()
    assert problem.sequence == 2
    assert problem.kind == "broken-link"


@override_settings(CPMP_AUDIT_CHECKPOINT_EVERY=5)
def test_tail_truncated_past_checkpoint_detected(append_many: Appender) -> None:
    append_many(7)
    with audit_triggers_disabled():
        unguarded(AuditEvent).filter(sequence__gte=4).delete()
        unguarded(ChainHead).update(sequence=3)
    problem = first_problem()
    assert problem.sequence == 4
    assert problem.kind == "truncated"


@override_settings(CPMP_AUDIT_CHECKPOINT_EVERY=5)
def test_tail_truncated_after_last_checkpoint_detected(append_many: Appender) -> None:
    append_many(8)
    with audit_triggers_disabled():
        unguarded(AuditEvent).filter(sequence__gte=7).delete()
    problem = first_problem()
    assert problem.sequence == 7
    assert problem.kind == "truncated"


@override_settings(CPMP_AUDIT_CHECKPOINT_EVERY=5)
def test_truncation_with_head_rewritten_detected(append_many: Appender) -> None:
    append_many(8)
    with audit_triggers_disabled():
        unguarded(AuditEvent).filter(sequence__gte=7).delete()
    # Without the key, the forger cannot re-sign the head for the shorter chain.
    last = AuditEvent.objects.get(sequence=6)
    unguarded(ChainHead).update(sequence=6, hash=last.hash)
    problem = first_problem()
    assert problem.sequence == 7
    assert problem.kind == "head-forged"


@override_settings(CPMP_AUDIT_CHECKPOINT_EVERY=5)
def test_forged_checkpoint_hash_detected(append_many: Appender) -> None:
    append_many(11)
    with audit_triggers_disabled():
        unguarded(AuditCheckpoint).filter(number=2).update(event_hash="e" * 64)
    problem = first_problem()
    assert problem.sequence == 10
    assert problem.kind == "checkpoint-forged"


@override_settings(CPMP_AUDIT_CHECKPOINT_EVERY=5)
def test_inserted_checkpoint_detected(append_many: Appender) -> None:
    append_many(7)
    previous = AuditCheckpoint.objects.get(number=1)
    fields = chain.CheckpointFields(
        number=2,
        sequence=7,
        event_hash=AuditEvent.objects.get(sequence=7).hash,
        created_at=timezone.now(),
        kind="on-demand",
        key_id=current_key().key_id,
        previous_key_id="",
        previous_signature=previous.signature,
    )
    AuditCheckpoint(
        number=2,
        sequence=7,
        event_hash=fields.event_hash,
        created_at=fields.created_at,
        kind=fields.kind,
        key_id=fields.key_id,
        previous_signature=fields.previous_signature,
        signature=chain.checkpoint_signature(FORGER_KEY, fields),
    ).save()
    problem = first_problem()
    assert problem.sequence == 7
    assert problem.kind == "checkpoint-forged"


@override_settings(CPMP_AUDIT_CHECKPOINT_EVERY=3)
def test_deleted_middle_checkpoint_detected(append_many: Appender) -> None:
    append_many(10)
    with audit_triggers_disabled():
        unguarded(AuditCheckpoint).filter(number=2).delete()
    problem = first_problem()
    assert problem.sequence == 9
    assert problem.kind == "checkpoint-missing"


@override_settings(CPMP_AUDIT_CHECKPOINT_EVERY=3)
def test_deleted_last_checkpoint_detected(append_many: Appender) -> None:
    append_many(7)
    with audit_triggers_disabled():
        unguarded(AuditCheckpoint).filter(number=2).delete()
    problem = first_problem()
    assert problem.kind == "checkpoint-missing"


def test_event_under_checkpoint_edited_detected(append_many: Appender) -> None:
    append_many(4)
    create_checkpoint()
    with audit_triggers_disabled():
        unguarded(AuditEvent).filter(sequence=4).update(source="203.0.113.66")
    problem = first_problem()
    assert problem.sequence == 4
    assert problem.kind == "hash-mismatch"


def test_from_checkpoint_checks_only_later_events(append_many: Appender) -> None:
    append_many(4)
    create_checkpoint()
    append_many(3)
    with audit_triggers_disabled():
        unguarded(AuditEvent).filter(sequence=2).update(source="203.0.113.66")
        unguarded(AuditEvent).filter(sequence=6).update(source="203.0.113.66")

    quick = verify_chain(from_checkpoint=True)
    assert quick.first_sequence == 5
    assert quick.first_problem is not None
    assert quick.first_problem.sequence == 6

    full = verify_chain()
    assert full.first_problem is not None
    assert full.first_problem.sequence == 2


def test_from_checkpoint_intact_chain(append_many: Appender) -> None:
    append_many(4)
    create_checkpoint()
    append_many(2)
    report = verify_chain(from_checkpoint=True)
    assert report.intact
    assert report.first_sequence == 5
    assert report.last_sequence == 6
    assert report.events_checked == 2


def test_triggers_restored_after_tampering(append_many: Appender) -> None:
    from django.db import DatabaseError, transaction

    append_many(2)
    with audit_triggers_disabled():
        pass
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        unguarded(AuditEvent).filter(sequence=1).delete()
