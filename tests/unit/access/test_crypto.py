"""Field encryption with the configured keys: round trip, rotation and clear errors."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from cpmp.access import crypto

FIRST = Fernet.generate_key().decode()
SECOND = Fernet.generate_key().decode()


@override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[FIRST])
def test_round_trip() -> None:
    token = crypto.encrypt_text("Jane Fictional-Doe")
    assert "Jane" not in token
    assert crypto.decrypt_text(token, label="test.field") == "Jane Fictional-Doe"


def test_first_key_encrypts_every_key_decrypts() -> None:
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[SECOND]):
        old_token = crypto.encrypt_text("value")
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[FIRST, SECOND]):
        new_token = crypto.encrypt_text("value")
        assert crypto.decrypt_text(old_token, label="test.field") == "value"
        assert crypto.is_encrypted_with_current_key(new_token)
        assert not crypto.is_encrypted_with_current_key(old_token)
    assert Fernet(FIRST.encode()).decrypt(new_token.encode()) == b"value"


def test_rotate_token_moves_to_current_key() -> None:
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[SECOND]):
        old_token = crypto.encrypt_text("value")
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[FIRST, SECOND]):
        rotated = crypto.rotate_token(old_token, label="test.field")
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[FIRST]):
        assert crypto.decrypt_text(rotated, label="test.field") == "value"


@pytest.mark.parametrize("keys", [[], [""], None])
def test_no_key_names_setting(keys: object) -> None:
    with (
        override_settings(CPMP_FIELD_ENCRYPTION_KEYS=keys),
        pytest.raises(crypto.FieldEncryptionNotConfigured, match="is empty"),
    ):
        crypto.encrypt_text("value")


def test_string_setting_rejected() -> None:
    with (
        override_settings(CPMP_FIELD_ENCRYPTION_KEYS=FIRST),
        pytest.raises(crypto.FieldEncryptionNotConfigured, match="is a string"),
    ):
        crypto.encrypt_text("value")


def test_invalid_key_named_by_position() -> None:
    with (
        override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[FIRST, "not-a-key"]),
        pytest.raises(crypto.FieldEncryptionNotConfigured) as raised,
    ):
        crypto.encrypt_text("value")
    assert "Key 2 in CPMP_FIELD_ENCRYPTION_KEYS" in str(raised.value)
    assert "not-a-key" not in str(raised.value)


def test_unknown_key_raises_with_label() -> None:
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[SECOND]):
        token = crypto.encrypt_text("value")
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[FIRST]):
        with pytest.raises(crypto.FieldDecryptionFailed, match=r"test\.field"):
            crypto.decrypt_text(token, label="test.field")
        with pytest.raises(crypto.FieldDecryptionFailed, match="CPMP_FIELD_ENCRYPTION_KEYS"):
            crypto.rotate_token(token, label="test.field")


def test_tampered_token_fails() -> None:
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[FIRST]):
        token = crypto.encrypt_text("value")
        tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        with pytest.raises(crypto.FieldDecryptionFailed):
            crypto.decrypt_text(tampered, label="test.field")


def test_key_id_hides_key() -> None:
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[FIRST, SECOND]):
        key_id = crypto.current_key_id()
    assert len(key_id) == 16
    assert key_id not in FIRST
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[SECOND]):
        assert crypto.current_key_id() != key_id
