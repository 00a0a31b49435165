"""Encryption of field values at rest with Fernet keys from ``CPMP_FIELD_ENCRYPTION_KEYS``.

The first key in the setting encrypts every new value; every key in the list decrypts. A key
is rotated by putting the new key first, deploying, running ``cpmp rotate_field_encryption``
and only then removing the old key (docs/access.md gives the procedure).

Fernet (from the ``cryptography`` package) is AES-128-CBC with an HMAC-SHA256 over the token,
so a changed ciphertext fails to decrypt rather than yielding altered text.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SETTING = "CPMP_FIELD_ENCRYPTION_KEYS"


class FieldEncryptionNotConfigured(ImproperlyConfigured):
    """``CPMP_FIELD_ENCRYPTION_KEYS`` is empty or contains a value that is not a Fernet key."""


class FieldDecryptionFailed(Exception):
    """A stored value could not be decrypted with any key in ``CPMP_FIELD_ENCRYPTION_KEYS``.

    The message names the model and field, never the value.
    """


def _configured_keys() -> tuple[str, ...]:
    keys = getattr(settings, SETTING, None) or []
    if isinstance(keys, str):
        raise FieldEncryptionNotConfigured(
            f"{SETTING} is a string: set it to a list of Fernet keys, the current key first."
        )
    cleaned = tuple(key.strip() for key in keys if key and key.strip())
    if not cleaned:
        raise FieldEncryptionNotConfigured(
            f"{SETTING} is empty: set it to a list of one or more Fernet keys, the current key "
            "first (generate one with cryptography.fernet.Fernet.generate_key())."
        )
    return cleaned


@lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[Fernet, ...]:
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.encode("ascii")))
        except (ValueError, UnicodeEncodeError):
            # The key itself is never put in the message.
            raise FieldEncryptionNotConfigured(
                f"Key {position} in {SETTING} is not a Fernet key: each key must be 32 bytes "
                "encoded as URL-safe base64 (44 characters)."
            ) from None
    return tuple(fernets)


def current_fernet() -> Fernet:
    """Return the Fernet of the first configured key, the one that encrypts new values."""
    return _fernets(_configured_keys())[0]


def multi_fernet() -> MultiFernet:
    """Return a MultiFernet that encrypts with the first key and decrypts with any key."""
    return MultiFernet(list(_fernets(_configured_keys())))


def current_key_id() -> str:
    """Return a short identifier of the current key that reveals nothing about the key."""
    key = _configured_keys()[0].encode("ascii")
    return hmac.new(key, b"cpmp field encryption key identifier", hashlib.sha256).hexdigest()[:16]


def encrypt_text(value: str) -> str:
    """Return ``value`` encrypted with the current key, as a Fernet token in ASCII."""
    return multi_fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str, *, label: str) -> str:
    """Return the clear text of ``token``, trying every configured key.

    ``label`` names where the token was stored (``assets.Source.true_name``) for the error
    message. Raises ``FieldDecryptionFailed`` when no key decrypts it.
    """
    try:
        return multi_fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):
        raise FieldDecryptionFailed(
            f"A value in {label} could not be decrypted with any key in {SETTING}: add the key "
            "it was encrypted with back to the setting, or restore the value from a backup."
        ) from None


def is_encrypted_with_current_key(token: str) -> bool:
    """Return whether ``token`` decrypts with the current key alone, so it needs no rotation."""
    try:
        current_fernet().decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def rotate_token(token: str, *, label: str) -> str:
    """Return ``token`` re-encrypted with the current key; its clear text is unchanged.

    Raises ``FieldDecryptionFailed`` when no configured key decrypts it.
    """
    try:
        return multi_fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError):
        raise FieldDecryptionFailed(
            f"A value in {label} could not be decrypted with any key in {SETTING}, so it cannot "
            "be re-encrypted: add the key it was encrypted with back to the setting."
        ) from None
