"""The one family of errors that CPMP's front doors turn into responses.

Each error has a stable ``code`` that clients may match on, a ``message`` in GOV.UK style (what
happened and what to do) and the ``fields`` behind the message, such as the invalid value and
what is accepted. The JSON API turns one into ``{"error": {"code", "message", "fields"}}``.
The HTTP status belongs to that boundary (``cpmp.api.errors``), not to the error.

Older errors keep their own classes (``cpmp.law.errors.LawError``, which stays free of Django,
and ``cpmp.oversight.importing.errors.ImportFailed``), and the API maps them onto this family
by type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class CpmpError(Exception):
    """An error with a stable ``code``, a GOV.UK-style ``message`` and its ``fields``.

    ``fields`` contains only JSON values (str, int, bool, None, lists and dicts of them), because
    every front door may print it. It must not contain a secret.
    """

    code: str = "error"

    def __init__(
        self, message: str, *, fields: Mapping[str, Any] | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields: dict[str, Any] = dict(fields or {})
        # A mapped error keeps the code of the error it came from, such as "import_failed".
        if code is not None:
            self.code = code

    def as_json(self) -> dict[str, Any]:
        """Return the error as the JSON body the API sends."""
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}


class BadRequest(CpmpError):
    """A request that cannot be read at all, such as a body that is not valid JSON."""

    code = "bad_request"


class InvalidRequest(CpmpError):
    """A request that was read but contains invalid values. ``fields`` names each one."""

    code = "invalid_request"


class NotAuthenticated(CpmpError):
    """A request with no valid credentials: no token, or one unknown, expired or revoked."""

    code = "not_authenticated"


class Forbidden(CpmpError):
    """A person who may not use an endpoint at all, such as a list they may not see."""

    code = "forbidden"


class NotFound(CpmpError):
    """A record that does not exist, or that the person may not see: the two look the same."""

    code = "not_found"


class Conflict(CpmpError):
    """A request that clashed with another change made at the same time; it may be retried."""

    code = "conflict"
