"""The errors the lifecycle actions raise, each in the ``cpmp.errors`` family with a stable code.

Every error carries ``fields`` that a page can turn into a GOV.UK error summary: where a form
field is at fault, ``fields["errors"]`` maps its path (``"conduct.0.proportionality"``) to
the message for that field, in the order the form shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cpmp.errors import Conflict, CpmpError, Forbidden, InvalidRequest


class ApplicationInvalid(InvalidRequest):
    """A document is incomplete or inconsistent; ``fields["errors"]`` lists each field."""

    code = "application_invalid"

    def __init__(self, errors: Mapping[str, str]) -> None:
        count = len(errors)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"There is {count} {noun} with this form: correct each one and try again",
            fields={"errors": dict(errors)},
        )
        self.errors = dict(errors)


class StaleVersion(Conflict):
    """Someone changed the application after the person acting last loaded it."""

    code = "stale_version"

    def __init__(
        self,
        *,
        expected_version: int,
        current_version: int,
        changed_by_id: int,
        changed_by_name: str,
        changed_at: datetime,
    ) -> None:
        super().__init__(
            f"{changed_by_name} changed this application at {changed_at:%H:%M on %d %B %Y} "
            "after you opened it: reload it to see their change, then try again",
            fields={
                "expected_version": expected_version,
                "current_version": current_version,
                "changed_by_id": changed_by_id,
                "changed_by": changed_by_name,
                "changed_at": changed_at.isoformat(),
            },
        )


class WrongState(Conflict):
    """The action does not apply to the application or authorisation in its current state."""

    code = "wrong_state"


class NotPermitted(Forbidden):
    """The person acting may not take this action (role or rank)."""

    code = "not_permitted"


class LawRefusal(CpmpError):
    """The law core refuses the action. ``code`` names the rule family; ``fields["rules"]``
    lists the identifiers of the rules applied (``cpmp law rules`` prints them)."""

    code = "law_refusal"

    def __init__(
        self,
        message: str,
        *,
        code: str,
        rules: tuple[str, ...] | list[str] = (),
        field: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        fields: dict[str, Any] = {"rules": list(rules)}
        if field is not None:
            fields["errors"] = {field: message}
        fields.update(extra or {})
        super().__init__(message, fields=fields, code=code)
