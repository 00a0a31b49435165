"""Encrypted fields: ciphertext in the database, clear text in Python, and key rotation."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from cpmp.access.crypto import FieldDecryptionFailed, FieldEncryptionNotConfigured
from cpmp.assets.models import Source
from cpmp.audit.models import AuditEvent

from .personas import OUR_OPERATION, TRUE_ADDRESS, TRUE_NAME, make_operation, make_source

pytestmark = pytest.mark.django_db

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def _raw_columns(source_id: int) -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT true_name, true_date_of_birth, true_address FROM assets_source WHERE id = %s",
            [source_id],
        )
        return cursor.fetchone()


def test_round_trip_gives_clear_text() -> None:
    source = make_source(make_operation(OUR_OPERATION))
    stored = Source.objects.get(pk=source.pk)
    assert stored.true_name == TRUE_NAME
    assert stored.true_address == TRUE_ADDRESS
    assert stored.true_date_of_birth == date(1990, 2, 14)


def test_database_holds_only_ciphertext() -> None:
    source = make_source(make_operation(OUR_OPERATION))
    name, date_of_birth, address = _raw_columns(source.pk)
    for column in (name, date_of_birth, address):
        assert column.startswith("gAAAAA")
    assert TRUE_NAME not in name
    assert "1990" not in date_of_birth
    assert TRUE_ADDRESS not in address
    fernet = Fernet(b"dGVzdC1vbmx5LWZpZWxkLWtleS1ub3QtYS1zZWNyZXQ=")
    assert fernet.decrypt(name.encode()).decode() == TRUE_NAME


def test_same_value_encrypts_differently() -> None:
    operation = make_operation(OUR_OPERATION)
    first = make_source(operation)
    second = make_source(operation)
    assert _raw_columns(first.pk)[0] != _raw_columns(second.pk)[0]


def test_null_date_stays_null() -> None:
    source = make_source(make_operation(OUR_OPERATION), true_date_of_birth=None)
    assert _raw_columns(source.pk)[1] is None
    assert Source.objects.get(pk=source.pk).true_date_of_birth is None


def test_lookup_on_encrypted_field_raises() -> None:
    with pytest.raises(FieldError, match="true_name is encrypted"):
        list(Source.objects.filter(true_name=TRUE_NAME))
    assert Source.objects.filter(true_date_of_birth__isnull=True).count() == 0


def test_missing_keys_error_names_setting() -> None:
    with (
        override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[]),
        pytest.raises(FieldEncryptionNotConfigured, match="CPMP_FIELD_ENCRYPTION_KEYS"),
    ):
        make_source(make_operation(OUR_OPERATION))


def test_unknown_key_error_names_setting() -> None:
    source = make_source(make_operation(OUR_OPERATION))
    with (
        override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[NEW_KEY]),
        pytest.raises(FieldDecryptionFailed) as raised,
    ):
        Source.objects.get(pk=source.pk)
    message = str(raised.value)
    assert "CPMP_FIELD_ENCRYPTION_KEYS" in message
    assert "assets.Source.true_name" in message
    assert TRUE_NAME not in message


def test_rotation_reencrypts_and_old_key_can_go() -> None:
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        operation = make_operation(OUR_OPERATION)
        sources = [make_source(operation) for _ in range(5)]
    before = {source.pk: _raw_columns(source.pk) for source in sources}

    output = StringIO()
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        call_command("rotate_field_encryption", "--batch-size", "2", stdout=output)
    assert "assets.Source.true_name: 5 values, 5 re-encrypted" in output.getvalue()
    assert re.search(r"15 of 15 values in \d+ fields re-encrypted", output.getvalue())

    for source in sources:
        assert _raw_columns(source.pk) != before[source.pk]
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        for source in sources:
            stored = Source.objects.get(pk=source.pk)
            assert stored.true_name == TRUE_NAME
            assert stored.true_date_of_birth == date(1990, 2, 14)


def test_rotation_is_idempotent() -> None:
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        source = make_source(make_operation(OUR_OPERATION))
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        call_command("rotate_field_encryption", stdout=StringIO())
        after_first = _raw_columns(source.pk)
        output = StringIO()
        call_command("rotate_field_encryption", stdout=output)
    assert _raw_columns(source.pk) == after_first
    assert re.search(r"0 of 3 values in \d+ fields re-encrypted", output.getvalue())


def test_rotation_dry_run_changes_nothing() -> None:
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        source = make_source(make_operation(OUR_OPERATION))
    before = _raw_columns(source.pk)
    output = StringIO()
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        call_command("rotate_field_encryption", "--dry-run", stdout=output)
    assert _raw_columns(source.pk) == before
    summary = r"Dry run: 3 of 3 values in \d+ fields would be re-encrypted"
    assert re.search(summary, output.getvalue())
    assert not _rotation_events().exists()


def _rotation_events():
    return AuditEvent.objects.filter(
        event_type="field_encryption.rotated", object_type="assets.source"
    )


def test_rotation_writes_audit_event_per_batch() -> None:
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        operation = make_operation(OUR_OPERATION)
        sources = [make_source(operation) for _ in range(3)]
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        call_command("rotate_field_encryption", "--batch-size", "2", stdout=StringIO())
    events = list(_rotation_events().order_by("sequence"))
    assert len(events) == 2
    assert events[0].actor_label == "command-line"
    assert events[0].object_id == f"{sources[0].pk}-{sources[1].pk}"
    assert events[0].payload["reencrypted_count"] == 6
    assert events[1].payload["reencrypted_count"] == 3
    assert events[1].payload["first_id"] == str(sources[2].pk)
    assert TRUE_NAME not in str(events[0].payload)


def test_rotation_without_old_key_fails_clearly() -> None:
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        make_source(make_operation(OUR_OPERATION))
    with (
        override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[NEW_KEY]),
        pytest.raises(CommandError, match="add the key it was encrypted with back"),
    ):
        call_command("rotate_field_encryption", stdout=StringIO())
