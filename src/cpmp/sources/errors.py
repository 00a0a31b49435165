"""Errors of the source actions, in the ``cpmp.errors`` family."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cpmp.errors import CpmpError, Forbidden, InvalidRequest


class SourceRecordInvalid(InvalidRequest):
    """A record is incomplete; ``fields["errors"]`` maps each field to its message."""

    code = "source_record_invalid"

    def __init__(self, errors: Mapping[str, str]) -> None:
        count = len(errors)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"There is {count} {noun} with this record: correct each one and try again",
            fields={"errors": dict(errors)},
        )
        self.errors = dict(errors)


class SourceActionNotPermitted(Forbidden):
    """The person may not make this change for this source."""

    code = "source_action_not_permitted"


class TaskingRefused(CpmpError):
    """A tasking the law or the risk register does not allow; ``fields["reasons"]`` lists codes.

    Codes: ``no_risk_assessment``, ``risk_assessment_stale``, ``risk_not_accepted``,
    ``no_live_authorisation``, ``conduct_not_authorised``.
    """

    code = "tasking_refused"

    def __init__(self, reasons: Sequence[tuple[str, str]]) -> None:
        messages = [message for _, message in reasons]
        super().__init__(
            "The source cannot be tasked: " + "; ".join(messages),
            fields={"reasons": [code for code, _ in reasons], "messages": messages},
        )
        self.reasons = [code for code, _ in reasons]


class PaymentRefused(CpmpError):
    """A payment request or decision the approval rules do not allow."""

    code = "payment_refused"


class TriageRequired(CpmpError):
    """The potential-source clock has run out and no triage decision has been recorded."""

    code = "triage_required"
