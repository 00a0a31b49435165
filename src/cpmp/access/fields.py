"""Model fields whose values are stored encrypted (a Fernet token in a text column).

Python code gets clear text; the database column holds only the token, so a database
administrator, a backup or a leaked dump shows no true identity. Each save encrypts with the
current key and a fresh IV, so the same clear text gives a different token every time: the
database cannot compare, search, sort or index these values. Lookups other than ``isnull``
therefore raise ``FieldError`` rather than silently matching nothing.

NOTE: a token is about 4/3 of the clear text's length rounded up to a 16-byte block, so the
column still shows roughly how long each value is.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import FieldError
from django.db import models

from .crypto import decrypt_text, encrypt_text


class EncryptedFieldMixin:
    """Encrypts on the way to the database and decrypts on the way back.

    Subclasses convert between their Python value and clear text with ``to_clear_text`` and
    ``from_clear_text``. ``cpmp rotate_field_encryption`` finds every field with this mixin.
    """

    encrypted = True

    def get_internal_type(self) -> str:
        return "TextField"

    def to_clear_text(self, value: Any) -> str:
        return str(value)

    def from_clear_text(self, text: str) -> Any:
        return text

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return encrypt_text(self.to_clear_text(self.to_python(value)))  # type: ignore[attr-defined]

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        # The token is text whatever the Python type, so no backend-specific adaptation applies.
        if not prepared:
            value = self.get_prep_value(value)
        return value

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        label = f"{self.model._meta.label}.{self.name}"  # type: ignore[attr-defined]
        return self.from_clear_text(decrypt_text(value, label=label))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.name} is encrypted, so the database cannot compare it: only the isnull "  # type: ignore[attr-defined]
                f"lookup works, not {lookup_name}. Filter in Python after access checks instead."
            )
        return super().get_lookup(lookup_name)  # type: ignore[misc]

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(f"{self.name} is encrypted, so it has no {lookup_name} transform.")  # type: ignore[attr-defined]


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """Text stored encrypted. Use ``blank=True`` for optional values; ``null`` means unknown."""

    def to_python(self, value: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return str(value)


class EncryptedDateField(EncryptedFieldMixin, models.DateField):
    """A date stored encrypted as ISO 8601 text, such as a date of birth."""

    def to_clear_text(self, value: Any) -> str:
        assert isinstance(value, datetime.date)
        return value.isoformat()

    def from_clear_text(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)
