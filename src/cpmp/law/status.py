"""The status of a register entry at an instant, from the facts the entry records."""

from __future__ import annotations

from datetime import datetime

from .rules import Confidence, define

FIXED_STATES = frozenset({"refused", "awaiting-approval", "cancelled-date-unknown", "invalid-data"})

STATUS_RULE = define(
    "central-record-status",
    "An authorisation is live until it is cancelled or its period ends; a cancellation dated "
    "on or after the end of the period is a cancellation after expiry.",
    "RIPA 2000 s.43, s.45; Codes of Practice, keeping of records",
    Confidence.RECALLED,
)


def status_at(
    *,
    state: str,
    expires_latest: datetime | None,
    cancelled_from: datetime | None,
    at: datetime,
) -> str:
    """Return the status at ``at`` of an entry whose recorded state is ``state``.

    ``state`` is what the record itself says: granted, refused, awaiting-approval,
    cancelled-date-unknown or invalid-data. For a granted entry the clock decides:
    cancelled (or cancelled-after-expiry), live, or expired-not-cancelled. Where only a range
    is known for the end, ``expires_latest`` is its upper bound, so "expired" is certain.
    A granted entry with no known end is invalid data.
    """
    if state in FIXED_STATES:
        return state
    if state != "granted":
        raise ValueError(f"unknown recorded state {state!r}")
    if cancelled_from is not None and cancelled_from <= at:
        if expires_latest is not None and cancelled_from >= expires_latest:
            return "cancelled-after-expiry"
        return "cancelled"
    if expires_latest is None:
        return "invalid-data"
    if at < expires_latest:
        return "live"
    return "expired-not-cancelled"
