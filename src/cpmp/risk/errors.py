"""Errors of the risk actions, in the ``cpmp.errors`` family."""

from __future__ import annotations

from collections.abc import Mapping

from cpmp.errors import Forbidden, InvalidRequest


class RiskInvalid(InvalidRequest):
    """A version or acceptance is incomplete; ``fields["errors"]`` maps fields to messages."""

    code = "risk_invalid"

    def __init__(self, errors: Mapping[str, str]) -> None:
        count = len(errors)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"There is {count} {noun} with this risk assessment: correct each one and try again",
            fields={"errors": dict(errors)},
        )
        self.errors = dict(errors)


class RiskNotPermitted(Forbidden):
    """The person may not make this change to this assessment."""

    code = "risk_not_permitted"
