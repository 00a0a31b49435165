"""Every change to a relevant error: one transaction each, with its audit event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction

from cpmp.audit.actions import append_event
from cpmp.audit.events import EventType
from cpmp.authorities.models import Authorisation

from .clock import LONDON, clock_for
from .errors import ErrorStepInvalid
from .models import ErrorCategory, ErrorStatus, RelevantError


def _require_status(error: RelevantError, allowed: tuple[str, ...], step: str) -> None:
    if error.status not in allowed:
        raise ErrorStepInvalid(
            f"You cannot {step} an error that is {error.get_status_display().lower()}.",
            fields={"status": error.status},
        )


def _require_not_future(value: date, now: datetime, field: str, label: str) -> None:
    # Days are Europe/London days: just after midnight in summer, UTC is still on yesterday.
    if value > now.astimezone(LONDON).date():
        raise ErrorStepInvalid(
            f"The date {label} must be today or in the past.", fields={field: value.isoformat()}
        )


def _append(
    error: RelevantError,
    event_type: EventType,
    payload: dict[str, Any],
    *,
    acting_user: Any,
    source: str,
) -> None:
    append_event(
        event_type,
        actor=acting_user,
        object_type="relevant_error",
        object_id=error.pk,
        payload=payload,
        source=source,
    )


def raise_candidate(
    *,
    acting_user: Any,
    summary: str,
    category: str,
    at: datetime,
    authorisations: Sequence[Authorisation] = (),
    operation_id: int | None = None,
    recovery_task_id: int | None = None,
    occurred_on: date | None = None,
    detection_key: str | None = None,
    source: str = "command-line",
) -> RelevantError:
    """Record a candidate error, which a person must confirm or dismiss."""
    if category not in ErrorCategory.values:
        raise ErrorStepInvalid("Select a category.", fields={"category": category})
    with transaction.atomic():
        error = RelevantError.objects.create(
            summary=summary,
            category=category,
            operation_id=operation_id,
            recovery_task_id=recovery_task_id,
            occurred_on=occurred_on,
            detection_key=detection_key,
            raised_at=at,
            raised_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        error.authorisations.set(authorisations)
        payload: dict[str, Any] = {
            "category": category,
            "authorisation_ids": sorted(record.pk for record in authorisations),
        }
        if operation_id is not None:
            payload["operation_id"] = operation_id
        if detection_key is not None:
            payload["detected"] = detection_key
        _append(
            error,
            EventType.RELEVANT_ERROR_RAISED,
            payload,
            acting_user=acting_user,
            source=source,
        )
    return error


def confirm_error(
    error: RelevantError,
    *,
    acting_user: Any,
    established_on: date,
    owner: Any,
    now: datetime,
    source: str,
) -> RelevantError:
    """Confirm a candidate as a relevant error established on ``established_on``.

    The reporting clock runs from that day (IPA 2016 s.231), so it cannot be in the future.
    """
    _require_status(error, (ErrorStatus.CANDIDATE,), "confirm")
    _require_not_future(established_on, now, "established_on", "it was established")
    with transaction.atomic():
        error.status = ErrorStatus.CONFIRMED
        error.established_on = established_on
        error.owner = owner
        error.save(update_fields=["status", "established_on", "owner"])
        _append(
            error,
            EventType.RELEVANT_ERROR_CONFIRMED,
            {"established_on": established_on.isoformat(), "owner_id": owner.pk},
            acting_user=acting_user,
            source=source,
        )
    return error


def dismiss_error(
    error: RelevantError, *, acting_user: Any, reasons: str, source: str
) -> RelevantError:
    """Dismiss a candidate or a confirmed error that turned out not to be one, with reasons."""
    _require_status(error, (ErrorStatus.CANDIDATE, ErrorStatus.CONFIRMED), "dismiss")
    if not reasons.strip():
        raise ErrorStepInvalid("Enter why this is not a relevant error.", fields={"reasons": ""})
    old_status = error.status
    with transaction.atomic():
        error.status = ErrorStatus.DISMISSED
        error.dismissal_reasons = reasons.strip()
        error.save(update_fields=["status", "dismissal_reasons"])
        _append(
            error,
            EventType.RELEVANT_ERROR_DISMISSED,
            {"old_status": old_status},
            acting_user=acting_user,
            source=source,
        )
    return error


def record_report(
    error: RelevantError,
    *,
    acting_user: Any,
    reported_on: date,
    reference: str,
    now: datetime,
    source: str,
) -> RelevantError:
    """Record the report of a confirmed error to the Investigatory Powers Commissioner."""
    _require_status(error, (ErrorStatus.CONFIRMED,), "record a report for")
    _require_not_future(reported_on, now, "reported_on", "of the report")
    assert error.established_on is not None  # a confirmed error always has one
    if reported_on < error.established_on:
        raise ErrorStepInvalid(
            "The date of the report must be on or after the day the error was established.",
            fields={"reported_on": reported_on.isoformat()},
        )
    if not reference.strip():
        raise ErrorStepInvalid(
            "Enter the IPC's reference for the report.", fields={"reference": ""}
        )
    with transaction.atomic():
        error.status = ErrorStatus.REPORTED
        error.reported_on = reported_on
        error.ipc_reference = reference.strip()
        error.save(update_fields=["status", "reported_on", "ipc_reference"])
        late = clock_for(error, now).late
        _append(
            error,
            EventType.RELEVANT_ERROR_REPORTED,
            {"reported_on": reported_on.isoformat(), "late": late},
            acting_user=acting_user,
            source=source,
        )
    return error


def record_decision(
    error: RelevantError,
    *,
    acting_user: Any,
    serious: bool,
    decided_on: date,
    now: datetime,
    source: str,
) -> RelevantError:
    """Record whether the Commissioner decided the error is serious (IPA 2016 s.231(1))."""
    _require_status(error, (ErrorStatus.REPORTED,), "record a decision for")
    _require_not_future(decided_on, now, "decided_on", "of the decision")
    assert error.reported_on is not None  # a reported error always has one
    if decided_on < error.reported_on:
        raise ErrorStepInvalid(
            "The date of the decision must be on or after the date of the report.",
            fields={"decided_on": decided_on.isoformat()},
        )
    with transaction.atomic():
        error.ipc_serious = serious
        error.ipc_decided_on = decided_on
        error.save(update_fields=["ipc_serious", "ipc_decided_on"])
        _append(
            error,
            EventType.RELEVANT_ERROR_DECIDED,
            {"serious": serious, "decided_on": decided_on.isoformat()},
            acting_user=acting_user,
            source=source,
        )
    return error


def close_error(
    error: RelevantError, *, acting_user: Any, now: datetime, source: str
) -> RelevantError:
    """Close a reported error once the Commissioner's decision is recorded."""
    _require_status(error, (ErrorStatus.REPORTED,), "close")
    if error.ipc_serious is None:
        raise ErrorStepInvalid(
            "Record the IPC's decision before closing the error.", fields={"ipc_serious": None}
        )
    old_status = error.status
    with transaction.atomic():
        error.status = ErrorStatus.CLOSED
        error.closed_at = now
        error.save(update_fields=["status", "closed_at"])
        _append(
            error,
            EventType.RELEVANT_ERROR_CLOSED,
            {"old_status": old_status},
            acting_user=acting_user,
            source=source,
        )
    return error
