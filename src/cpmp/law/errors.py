"""The law core's errors. Each carries the values behind its message, so each front door can
turn it into a GOV.UK error summary, a JSON error body or a command-line exit status."""

from __future__ import annotations


class LawError(ValueError):
    """A question the law core cannot answer for the values given."""

    code = "law_error"


class InvalidInput(LawError):
    """A value the law core does not accept, named with what it accepts."""

    code = "invalid_input"

    def __init__(self, name: str, value: object, accepted: str) -> None:
        self.name = name
        self.value = value
        self.accepted = accepted
        super().__init__(f"{name} {value!r} is not valid: use {accepted}")


class RenewalAfterExpiry(LawError):
    """A renewal dated at or after the end of the period it would renew (RIPA s.43(4))."""

    code = "renewal_after_expiry"

    def __init__(self, renewed: object, previous_end: object) -> None:
        self.renewed = renewed
        self.previous_end = previous_end
        super().__init__(
            f"the renewal dated {renewed} is after the authorisation ended at {previous_end}: "
            "an authorisation can be renewed only before it ends, so grant a new one"
        )
