"""The HMAC keys of the audit chain: the current one and those it replaced.

``CPMP_AUDIT_KEY`` (a setting) signs new events. Keys retired by ``cpmp audit rotate-key`` are
needed only to verify older events and come from the environment variable
``CPMP_AUDIT_PREVIOUS_KEYS`` (or a setting of the same name), separated by commas.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREVIOUS_KEYS_VARIABLE = "CPMP_AUDIT_PREVIOUS_KEYS"
# The shortest key accepted, a guard against placeholders. ``secrets.token_urlsafe(50)``, which
# the workstation settings use, gives 67 characters.
MIN_KEY_LENGTH = 16


@dataclass(frozen=True)
class AuditKey:
    """One HMAC key and its public identifier."""

    key_id: str
    secret: bytes

    def __repr__(self) -> str:
        return f"AuditKey(key_id={self.key_id!r})"


@lru_cache(maxsize=16)
def _audit_key(text: str) -> AuditKey:
    secret = text.encode("utf-8")
    # The identifier is an HMAC of a fixed label, so it names the key without revealing it.
    key_id = hmac.new(secret, b"cpmp audit key identifier", hashlib.sha256).hexdigest()[:16]
    return AuditKey(key_id=key_id, secret=secret)


def current_key() -> AuditKey:
    """Return the key that signs new events, from ``settings.CPMP_AUDIT_KEY``."""
    text = getattr(settings, "CPMP_AUDIT_KEY", "")
    if len(text) < MIN_KEY_LENGTH:
        raise ImproperlyConfigured(
            f"CPMP_AUDIT_KEY is missing or shorter than {MIN_KEY_LENGTH} characters: "
            "set it to a long random value kept apart from the database."
        )
    return _audit_key(text)


def previous_keys() -> list[AuditKey]:
    """Return the retired keys named by ``CPMP_AUDIT_PREVIOUS_KEYS``, for verification only."""
    text = (
        os.environ.get(PREVIOUS_KEYS_VARIABLE)
        or getattr(settings, PREVIOUS_KEYS_VARIABLE, "")
        or ""
    )
    return [_audit_key(part.strip()) for part in text.split(",") if part.strip()]


def known_keys() -> dict[str, AuditKey]:
    """Return every configured key by identifier: the current key and the previous ones."""
    keys = {key.key_id: key for key in previous_keys()}
    current = current_key()
    keys[current.key_id] = current
    return keys
