"""The ``cpmp audit`` command: verify, export, checkpoint and rotate-key."""

from __future__ import annotations

import io
import json
import logging
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from cpmp.audit.actions import ChainKeyMismatch
from cpmp.audit.export import SCHEMA
from cpmp.audit.keys import PREVIOUS_KEYS_VARIABLE, _audit_key
from cpmp.audit.management.commands.audit import Command as AuditCommand
from cpmp.audit.models import AuditCheckpoint, AuditEvent, ChainHead
from cpmp.audit.testing import audit_triggers_disabled, unguarded
from cpmp.audit.verification import verify_chain

from .conftest import Appender, append_changes

EXPORT_FIELDS = {
    "schema",
    "sequence",
    "occurred_at",
    "event_type",
    "actor_id",
    "actor_label",
    "object_type",
    "object_id",
    "source",
    "request_id",
    "payload",
    "key_id",
    "previous_hash",
    "hash",
}
OLD_KEY = "test-audit-key-not-a-secret"
NEW_KEY = "the-new-audit-key-for-rotation-tests"


def run_audit(*arguments: str) -> tuple[int, str, str]:
    """Run ``cpmp audit ...`` and return (exit status, standard output, standard error)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("audit", *arguments, stdout=stdout, stderr=stderr)
    except SystemExit as exit_:
        return int(exit_.code or 0), stdout.getvalue(), stderr.getvalue()
    except CommandError as error:
        return error.returncode, stdout.getvalue(), str(error)
    return 0, stdout.getvalue(), stderr.getvalue()


def test_verify_intact_exits_zero(append_many: Appender) -> None:
    append_many(3)
    status, output, _ = run_audit("verify")
    assert status == 0
    assert "Audit chain intact: checked 3 events" in output


def test_verify_records_audit_verified(append_many: Appender) -> None:
    append_many(3)
    run_audit("verify")
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert event.sequence == 4
    assert event.event_type == "audit.verified"
    assert event.actor_label == "command-line"
    assert event.source == "command-line"
    assert event.payload == {
        "first_sequence": 1,
        "last_sequence": 3,
        "event_count": 3,
        "from_checkpoint": False,
    }
    assert verify_chain().intact


def test_verify_json_output(append_many: Appender) -> None:
    append_many(2)
    status, output, _ = run_audit("verify", "--format", "json")
    assert status == 0
    assert json.loads(output) == {
        "status": "intact",
        "from_checkpoint": False,
        "first_sequence": 1,
        "last_sequence": 2,
        "events_checked": 2,
        "checkpoints_checked": 0,
        "first_problem": None,
    }


def test_verify_tampered_exits_one(append_many: Appender) -> None:
    append_many(5)
    with audit_triggers_disabled():
        unguarded(AuditEvent).filter(sequence=4).update(object_id="404")
    status, output, _ = run_audit("verify", "--format", "json")
    assert status == 1
    result = json.loads(output)
    assert result["status"] == "tampered"
    assert result["first_problem"]["sequence"] == 4
    assert result["first_problem"]["kind"] == "hash-mismatch"
    # A failed verification appends nothing.
    assert AuditEvent.objects.count() == 5


def test_verify_tampered_text_names_event(append_many: Appender) -> None:
    append_many(5)
    with audit_triggers_disabled():
        unguarded(AuditEvent).filter(sequence=2).delete()
    status, output, _ = run_audit("verify")
    assert status == 1
    assert "first bad event is 2 (missing)" in output


def test_verify_from_checkpoint(append_many: Appender) -> None:
    append_many(3)
    run_audit("checkpoint")
    append_many(2)
    status, output, _ = run_audit("verify", "--from-checkpoint")
    assert status == 0
    assert "checked 2 events after the last checkpoint (events 4 to 5)" in output


@pytest.mark.parametrize(
    "arguments",
    [
        ("verify", "--format", "xml"),
        ("verify", "--bogus"),
        ("export", "--since", "many"),
        ("rewrite",),
    ],
)
def test_bad_usage_exits_two(
    arguments: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    # As from the shell: call_command turns usage errors into CommandError with status 1.
    with pytest.raises(SystemExit) as exited:
        AuditCommand().run_from_argv(["cpmp", "audit", *arguments])
    assert exited.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_export_negative_since_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        AuditCommand().run_from_argv(["cpmp", "audit", "export", "--since", "-1"])
    assert exited.value.code == 2
    assert "--since must be 0 or more" in capsys.readouterr().err


def test_export_writes_one_event_per_line(append_many: Appender) -> None:
    events = append_many(3)
    status, output, _ = run_audit("export")
    assert status == 0
    lines = output.splitlines()
    assert len(lines) == 3
    records = [json.loads(line) for line in lines]
    assert [record["sequence"] for record in records] == [1, 2, 3]
    for record, event in zip(records, events, strict=True):
        assert set(record) == EXPORT_FIELDS
        assert record["schema"] == SCHEMA
        assert record["hash"] == event.hash
        assert record["previous_hash"] == event.previous_hash
        assert record["payload"] == event.payload
        assert record["occurred_at"].endswith("Z")


def test_export_since_skips_earlier_events(append_many: Appender) -> None:
    append_many(5)
    _, output, _ = run_audit("export", "--since", "3")
    assert [json.loads(line)["sequence"] for line in output.splitlines()] == [4, 5]


def test_export_records_audit_exported(append_many: Appender) -> None:
    append_many(2)
    run_audit("export", "--since", "1")
    event = AuditEvent.objects.get(sequence=3)
    assert event.event_type == "audit.exported"
    assert event.payload == {"after_sequence": 1, "last_sequence": 2, "event_count": 1}


def test_export_to_file_owner_only(append_many: Appender, tmp_path: Path) -> None:
    append_many(2)
    target = tmp_path / "audit.jsonl"
    status, output, message = run_audit("export", "--output", str(target))
    assert status == 0
    assert output == ""
    assert "Wrote 2 events" in message
    assert len(target.read_text().splitlines()) == 2
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_to_missing_directory_exits_two(db: None, tmp_path: Path) -> None:
    status, _, message = run_audit("export", "--output", str(tmp_path / "absent" / "a.jsonl"))
    assert status == 2
    assert "Cannot write the export" in message


def test_checkpoint_command(append_many: Appender) -> None:
    append_many(2)
    status, output, _ = run_audit("checkpoint")
    assert status == 0
    assert "Checkpoint 1 signs event 2." in output


def test_checkpoint_on_empty_chain_exits_two(db: None) -> None:
    status, _, message = run_audit("checkpoint")
    assert status == 2
    assert "no events yet" in message


def test_commands_log_no_payload_value(
    db: None, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Informant codename Kestrel"
    from cpmp.audit.actions import SystemActor, append_event

    append_event(
        "record.changed",
        actor=SystemActor.SYSTEM,
        object_type="source",
        object_id="1",
        payload={"old": {"codename": "none"}, "new": {"codename": secret}},
        source="system",
    )
    run_audit("verify")
    run_audit("export")
    with audit_triggers_disabled():
        unguarded(AuditEvent).filter(sequence=1).update(
            payload={"old": {"codename": secret}, "new": {}}
        )
    run_audit("verify")
    assert "Audit chain tampered" in caplog.text
    assert secret not in caplog.text


class TestKeyRotation:
    def rotate(self, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
        monkeypatch.setenv(PREVIOUS_KEYS_VARIABLE, OLD_KEY)
        with override_settings(CPMP_AUDIT_KEY=NEW_KEY):
            return run_audit("rotate-key")

    def test_rotation_chains_new_events_under_new_key(
        self, append_many: Appender, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        append_many(3)
        status, output, _ = self.rotate(monkeypatch)
        assert status == 0
        assert "Key rotated at checkpoint 1 (event 3)" in output

        checkpoint = AuditCheckpoint.objects.get()
        assert checkpoint.kind == "key-rotation"
        assert checkpoint.previous_key_id == _audit_key(OLD_KEY).key_id
        assert checkpoint.key_id == _audit_key(NEW_KEY).key_id
        rotated = AuditEvent.objects.get(sequence=4)
        assert rotated.event_type == "audit.key_rotated"
        assert rotated.key_id == _audit_key(NEW_KEY).key_id

        with override_settings(CPMP_AUDIT_KEY=NEW_KEY):
            append_changes(2)
            assert verify_chain().intact
            assert ChainHead.objects.get().sequence == 6

    def test_verify_after_rotation_needs_old_key(
        self, append_many: Appender, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        append_many(2)
        self.rotate(monkeypatch)
        monkeypatch.delenv(PREVIOUS_KEYS_VARIABLE)
        with override_settings(CPMP_AUDIT_KEY=NEW_KEY):
            status, _, message = run_audit("verify")
        assert status == 2
        assert "add it to CPMP_AUDIT_PREVIOUS_KEYS" in message

    def test_old_key_rejected_after_rotation(
        self, append_many: Appender, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        append_many(2)
        self.rotate(monkeypatch)
        with pytest.raises(ChainKeyMismatch):
            append_changes(1)

    def test_rotation_without_old_key_exits_two(self, append_many: Appender) -> None:
        append_many(2)
        with override_settings(CPMP_AUDIT_KEY=NEW_KEY):
            status, _, message = run_audit("rotate-key")
        assert status == 2
        assert "not in CPMP_AUDIT_PREVIOUS_KEYS" in message
        assert not AuditCheckpoint.objects.exists()

    def test_rotation_to_same_key_exits_two(self, append_many: Appender) -> None:
        append_many(1)
        status, _, message = run_audit("rotate-key")
        assert status == 2
        assert "already uses key" in message

    def test_old_key_event_after_rotation_detected(
        self, append_many: Appender, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        append_many(2)
        self.rotate(monkeypatch)
        # Someone holding only the retired key appends an event signed with it.
        head = ChainHead.objects.get()
        from django.utils import timezone

        from cpmp.audit import chain

        old = _audit_key(OLD_KEY)
        fields = chain.EventFields(
            sequence=head.sequence + 1,
            occurred_at=timezone.now(),
            actor_id=None,
            actor_label="command-line",
            event_type="record.changed",
            object_type="authorisation",
            object_id="1",
            source="command-line",
            request_id="",
            payload={"old": {}, "new": {}},
            key_id=old.key_id,
            previous_hash=head.hash,
        )
        AuditEvent(
            **{name: getattr(fields, name) for name in fields.__dataclass_fields__},
            hash=chain.event_hash(old, fields),
        ).save()
        with override_settings(CPMP_AUDIT_KEY=NEW_KEY):
            report = verify_chain()
        assert report.first_problem is not None
        assert report.first_problem.sequence == head.sequence + 1
        assert report.first_problem.kind == "wrong-key"
