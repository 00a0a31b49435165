"""Passwords are hashed with Argon2 outside the test settings."""

from __future__ import annotations

import importlib

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import override_settings

from cpmp.config.settings import base

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.parametrize("module", ["base", "local", "production"])
def test_settings_hash_new_passwords_with_argon2(
    module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CPMP_SECRET_KEY", "settings-test-secret-key")
    monkeypatch.setenv("CPMP_AUDIT_KEY", "settings-test-audit-key")
    monkeypatch.setenv("CPMP_FIELD_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    settings_module = importlib.import_module(f"cpmp.config.settings.{module}")
    assert settings_module.PASSWORD_HASHERS[0] == ARGON2


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_new_password_hash_is_argon2id() -> None:
    encoded = make_password("correct-horse-battery-staple")
    assert encoded.startswith("argon2$argon2id$")
    assert identify_hasher(encoded).algorithm == "argon2"
