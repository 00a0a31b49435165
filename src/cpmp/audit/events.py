"""The registry of audit event types and the payload shape each one declares.

Each member's value is what the database stores, so a value is never renamed or reused: retire a
type by moving its value to ``RETIRED_EVENT_VALUES`` and adding a new member.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# JavaScript-based SIEM tools read JSON numbers as doubles, which hold integers exactly up to 2**53.
MAX_SAFE_INTEGER = 2**53 - 1


@enum.unique
class EventType(enum.StrEnum):
    RECORD_VIEWED = "record.viewed"
    RECORD_CREATED = "record.created"
    RECORD_CHANGED = "record.changed"
    RECORD_DELETED = "record.deleted"
    AUTHORISATION_VIEWED = "authorisation.viewed"
    CENTRAL_RECORD_IMPORT_PREVIEWED = "central_record.import_previewed"
    CENTRAL_RECORD_IMPORT_STORED = "central_record.import_stored"
    SESSION_SIGNED_IN = "session.signed_in"
    SESSION_SIGN_IN_FAILED = "session.sign_in_failed"
    SESSION_SIGNED_OUT = "session.signed_out"
    EXPORT_CREATED = "export.created"
    AUDIT_VERIFIED = "audit.verified"
    AUDIT_EXPORTED = "audit.exported"
    AUDIT_KEY_ROTATED = "audit.key_rotated"
    APPLICATION_CREATED = "application.created"
    APPLICATION_DRAFT_SAVED = "application.draft_saved"
    APPLICATION_SUBMITTED = "application.submitted"
    APPLICATION_RETURNED = "application.returned"
    APPLICATION_ACCEPTED = "application.accepted"
    APPLICATION_GRANTED = "application.granted"
    APPLICATION_REFUSED = "application.refused"
    AUTHORISATION_ORAL_GRANT_RECORDED = "authorisation.oral_grant_recorded"
    AUTHORISATION_WRITTEN_GRANT_RECORDED = "authorisation.written_grant_recorded"
    AUTHORISATION_COMMISSIONER_NOTICE_RECORDED = "authorisation.commissioner_notice_recorded"
    AUTHORISATION_COMMISSIONER_DECISION_RECORDED = "authorisation.commissioner_decision_recorded"
    AUTHORISATION_REVIEWED = "authorisation.reviewed"
    AUTHORISATION_RENEWED = "authorisation.renewed"
    AUTHORISATION_VARIED = "authorisation.varied"
    AUTHORISATION_CANCELLED = "authorisation.cancelled"
    AUTHORISATION_EQUIPMENT_RECOVERED = "authorisation.equipment_recovered"
    EXTERNAL_AUTHORITY_RECORDED = "external_authority.recorded"
    RECORD_LIST_VIEWED = "record.list_viewed"
    SOURCE_TRUE_IDENTITY_VIEWED = "source.true_identity_viewed"
    FIELD_ENCRYPTION_ROTATED = "field_encryption.rotated"
    SOURCE_CONTACT_RECORDED = "source.contact_recorded"
    SOURCE_TASKED = "source.tasked"
    SOURCE_PAYMENT_REQUESTED = "source.payment_requested"
    SOURCE_PAYMENT_DECIDED = "source.payment_decided"
    SOURCE_CONTACT_LINKED = "source.contact_linked"
    SOURCE_WELFARE_NOTED = "source.welfare_noted"
    SOURCE_TRIAGE_RECORDED = "source.triage_recorded"
    RISK_ASSESSMENT_CREATED = "risk.assessment_created"
    RISK_ASSESSMENT_VERSIONED = "risk.assessment_versioned"
    RISK_ACCEPTED = "risk.accepted"
    RISK_CHANGE_RECORDED = "risk.change_recorded"
    DECONFLICTION_IDENTIFIER_INDEXED = "deconfliction.identifier_indexed"
    DECONFLICTION_IDENTIFIER_DEACTIVATED = "deconfliction.identifier_deactivated"
    DECONFLICTION_CASE_RAISED = "deconfliction.case_raised"
    DECONFLICTION_CASE_RESOLVED = "deconfliction.case_resolved"
    ASSET_REGISTERED = "asset.registered"
    ASSET_STATUS_CHANGED = "asset.status_changed"
    ASSET_CUSTODY_RECORDED = "asset.custody_recorded"
    SOURCE_STATUS_CHANGED = "source.status_changed"
    BOOKING_CREATED = "booking.created"
    BOOKING_CANCELLED = "booking.cancelled"
    DEPLOYMENT_RECORDED = "deployment.recorded"
    DEPLOYMENT_ENDED = "deployment.ended"
    RECOVERY_TASK_RAISED = "recovery_task.raised"
    RECOVERY_TASK_ESCALATED = "recovery_task.escalated"
    RECOVERY_TASK_CLOSED = "recovery_task.closed"
    REVIEW_TRIGGER_RAISED = "review_trigger.raised"
    REVIEW_TRIGGER_CLOSED = "review_trigger.closed"
    OPERATION_CREATED = "operation.created"
    OPERATION_MEMBER_ADDED = "operation.member_added"
    OPERATION_MEMBER_REMOVED = "operation.member_removed"
    RELEVANT_ERROR_RAISED = "relevant_error.raised"
    RELEVANT_ERROR_CONFIRMED = "relevant_error.confirmed"
    RELEVANT_ERROR_DISMISSED = "relevant_error.dismissed"
    RELEVANT_ERROR_REPORTED = "relevant_error.reported"
    RELEVANT_ERROR_DECIDED = "relevant_error.decided"
    RELEVANT_ERROR_CLOSED = "relevant_error.closed"


# Values that were once stored and must never name a new type.
RETIRED_EVENT_VALUES: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PayloadShape:
    """The keys an event type's payload must contain and the further keys it may contain."""

    required: frozenset[str]
    optional: frozenset[str] = frozenset()

    @classmethod
    def of(cls, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()) -> PayloadShape:
        return cls(frozenset(required), frozenset(optional))


PAYLOAD_SHAPES: Mapping[EventType, PayloadShape] = {
    # ``view_name`` is the URL pattern's name, never the path, whose query string may hold names.
    EventType.RECORD_VIEWED: PayloadShape.of(("view_name",)),
    # ``new`` and ``old`` map field names to values; a change lists only the fields that changed.
    EventType.RECORD_CREATED: PayloadShape.of(("new",)),
    EventType.RECORD_CHANGED: PayloadShape.of(("old", "new"), ("reason",)),
    EventType.RECORD_DELETED: PayloadShape.of(("old",), ("reason",)),
    EventType.AUTHORISATION_VIEWED: PayloadShape.of(("view_name",)),
    # ``filters`` maps each query parameter that narrowed the list to its value; ``row_count``
    # is the total the page reported across all its pages.
    EventType.RECORD_LIST_VIEWED: PayloadShape.of(("view_name", "row_count"), ("filters",)),
    EventType.SOURCE_TRUE_IDENTITY_VIEWED: PayloadShape.of(("view_name",)),
    # One event per batch of rows re-encrypted under the current key ``key_id``.
    EventType.FIELD_ENCRYPTION_ROTATED: PayloadShape.of(
        ("model", "key_id", "reencrypted_count", "first_id", "last_id")
    ),
    EventType.CENTRAL_RECORD_IMPORT_PREVIEWED: PayloadShape.of(
        ("file_sha256", "row_count"), ("finding_count",)
    ),
    EventType.CENTRAL_RECORD_IMPORT_STORED: PayloadShape.of(
        ("file_sha256", "row_count", "created_count", "changed_count"), ("finding_count",)
    ),
    EventType.SESSION_SIGNED_IN: PayloadShape.of(),
    # ``username`` is what was typed, which may name no account.
    EventType.SESSION_SIGN_IN_FAILED: PayloadShape.of(("username",), ("reason",)),
    EventType.SESSION_SIGNED_OUT: PayloadShape.of((), ("reason",)),
    EventType.EXPORT_CREATED: PayloadShape.of(("format", "row_count"), ("filters",)),
    EventType.AUDIT_VERIFIED: PayloadShape.of(
        ("first_sequence", "last_sequence", "event_count", "from_checkpoint")
    ),
    EventType.AUDIT_EXPORTED: PayloadShape.of(("after_sequence", "last_sequence", "event_count")),
    EventType.AUDIT_KEY_ROTATED: PayloadShape.of(
        ("checkpoint_number", "previous_key_id", "key_id")
    ),
}

# Every lifecycle step of an application (``cpmp.authorities.actions``) records ids only:
# the application, its version after the step, and the document version (with its SHA-256)
# and authorisations the step wrote. Names, places and form text stay in the case records.
_CASE_STEP = PayloadShape.of(
    ("application_id", "version"),
    ("document_id", "sha256", "kinds", "kind", "authorisation_ids", "warning_count", "outcome"),
)
_CASE_EVENT_TYPES = (
    EventType.APPLICATION_CREATED,
    EventType.APPLICATION_DRAFT_SAVED,
    EventType.APPLICATION_SUBMITTED,
    EventType.APPLICATION_RETURNED,
    EventType.APPLICATION_ACCEPTED,
    EventType.APPLICATION_GRANTED,
    EventType.APPLICATION_REFUSED,
    EventType.AUTHORISATION_ORAL_GRANT_RECORDED,
    EventType.AUTHORISATION_WRITTEN_GRANT_RECORDED,
    EventType.AUTHORISATION_COMMISSIONER_NOTICE_RECORDED,
    EventType.AUTHORISATION_COMMISSIONER_DECISION_RECORDED,
    EventType.AUTHORISATION_REVIEWED,
    EventType.AUTHORISATION_RENEWED,
    EventType.AUTHORISATION_VARIED,
    EventType.AUTHORISATION_CANCELLED,
    EventType.AUTHORISATION_EQUIPMENT_RECOVERED,
)
PAYLOAD_SHAPES = {
    **PAYLOAD_SHAPES,
    **dict.fromkeys(_CASE_EVENT_TYPES, _CASE_STEP),
    EventType.EXTERNAL_AUTHORITY_RECORDED: PayloadShape.of(
        ("external_authority_id", "operation_id"), ("document_id", "sha256")
    ),
}


# Source records, risk and deconfliction record ids and choice codes only (a payment's kind,
# a decision, a band, an identifier's category). Amounts, times, identifier values and every
# free-text field (what passed, welfare notes, hazards, rationales) stay in the records,
# because they can name people and places.
PAYLOAD_SHAPES = {
    **PAYLOAD_SHAPES,
    EventType.SOURCE_CONTACT_RECORDED: PayloadShape.of(
        ("source_id", "kind", "officer_ids", "welfare_concern")
    ),
    EventType.SOURCE_TASKED: PayloadShape.of(
        ("source_id", "authorisation_id", "conduct_ids", "risk_version_id", "contact_id")
    ),
    EventType.SOURCE_PAYMENT_REQUESTED: PayloadShape.of(
        ("source_id", "kind", "approvals_required", "senior_approval_required", "contact_id")
    ),
    # ``state`` is the payment's state after the decision; ``role`` is the approver's role.
    EventType.SOURCE_PAYMENT_DECIDED: PayloadShape.of(
        ("source_id", "approval_id", "decision", "role", "state")
    ),
    # ``record_type`` is "tasking" or "payment"; the event's object is that record.
    EventType.SOURCE_CONTACT_LINKED: PayloadShape.of(("source_id", "record_type", "contact_id")),
    EventType.SOURCE_WELFARE_NOTED: PayloadShape.of(("source_id", "concern")),
    EventType.SOURCE_TRIAGE_RECORDED: PayloadShape.of(("source_id", "outcome")),
    EventType.RISK_ASSESSMENT_CREATED: PayloadShape.of(
        ("subject_type", "source_id", "operation_id", "owner_id", "juvenile")
    ),
    EventType.RISK_ASSESSMENT_VERSIONED: PayloadShape.of(("assessment_id", "number", "band")),
    EventType.RISK_ACCEPTED: PayloadShape.of(("assessment_id", "version_id", "band", "role")),
    # ``reason`` is a short code such as "welfare-concern", never free text.
    EventType.RISK_CHANGE_RECORDED: PayloadShape.of(("source_id", "reason")),
    # ``conduct_id`` is None for an identifier a team member entered.
    EventType.DECONFLICTION_IDENTIFIER_INDEXED: PayloadShape.of(
        ("operation_id", "category", "conduct_id")
    ),
    EventType.DECONFLICTION_IDENTIFIER_DEACTIVATED: PayloadShape.of(
        ("operation_id", "conduct_id")
    ),
    EventType.DECONFLICTION_CASE_RAISED: PayloadShape.of(
        ("category", "operation_ids", "identifier_ids", "officer_id")
    ),
    EventType.DECONFLICTION_CASE_RESOLVED: PayloadShape.of(("outcome",)),
}


# The asset register, bookings, deployments, recovery and operations record ids and choice
# codes only (a kind, a status, an escalation level). References, locations, subjects,
# operation names and reviewers' notes stay in the records, because they can name people
# and places. Each event's object is the record named in its type.
PAYLOAD_SHAPES = {
    **PAYLOAD_SHAPES,
    # ``custody_entry_id`` is the first custody entry, for equipment registered with a location.
    EventType.ASSET_REGISTERED: PayloadShape.of(("kind",), ("custody_entry_id",)),
    EventType.ASSET_STATUS_CHANGED: PayloadShape.of(("kind", "old_status", "new_status")),
    # The event's object is the custody entry.
    EventType.ASSET_CUSTODY_RECORDED: PayloadShape.of(("equipment_id", "custodian_id")),
    EventType.SOURCE_STATUS_CHANGED: PayloadShape.of(("old_status", "new_status")),
    EventType.BOOKING_CREATED: PayloadShape.of(("asset_id", "operation_id")),
    EventType.BOOKING_CANCELLED: PayloadShape.of(("asset_id", "operation_id")),
    EventType.DEPLOYMENT_RECORDED: PayloadShape.of(
        ("booking_id", "asset_id", "operation_id", "authorisation_id")
    ),
    # ``end_reason`` is "stood-down" or "recovered".
    EventType.DEPLOYMENT_ENDED: PayloadShape.of(("asset_id", "operation_id", "end_reason")),
    # ``reason`` is "cancelled" or "expired": why the authority stopped covering the deployment.
    EventType.RECOVERY_TASK_RAISED: PayloadShape.of(("deployment_id", "authorisation_id", "reason")),
    # Levels are 0 (senior investigating officer), 1 (technical unit manager) and 2 (senior
    # responsible officer).
    EventType.RECOVERY_TASK_ESCALATED: PayloadShape.of(("old_level", "new_level")),
    EventType.RECOVERY_TASK_CLOSED: PayloadShape.of(("deployment_id", "authorisation_id")),
    EventType.REVIEW_TRIGGER_RAISED: PayloadShape.of(
        ("undercover_officer_id", "operation_id", "deployed_days")
    ),
    EventType.REVIEW_TRIGGER_CLOSED: PayloadShape.of(("undercover_officer_id", "operation_id")),
    # ``imported`` is true for an operation created because a central record import named it.
    EventType.OPERATION_CREATED: PayloadShape.of(("kind", "priority"), ("imported",)),
    EventType.OPERATION_MEMBER_ADDED: PayloadShape.of(("user_id", "membership_id")),
    EventType.OPERATION_MEMBER_REMOVED: PayloadShape.of(("user_id", "membership_id")),
}

# The relevant errors register (IPA 2016 s.231) records ids, dates and choice codes only.
# What happened, the dismissal reasons and the IPC's reference stay in the record.
PAYLOAD_SHAPES = {
    **PAYLOAD_SHAPES,
    # ``detected`` is the detection key of an automatically raised candidate, such as
    # "finding:17:never_cancelled"; a candidate raised by a person has none.
    EventType.RELEVANT_ERROR_RAISED: PayloadShape.of(
        ("category", "authorisation_ids"), ("operation_id", "detected")
    ),
    EventType.RELEVANT_ERROR_CONFIRMED: PayloadShape.of(("established_on", "owner_id")),
    EventType.RELEVANT_ERROR_DISMISSED: PayloadShape.of(("old_status",)),
    # ``late`` is true when the report was made after the England and Wales deadline.
    EventType.RELEVANT_ERROR_REPORTED: PayloadShape.of(("reported_on", "late")),
    EventType.RELEVANT_ERROR_DECIDED: PayloadShape.of(("serious", "decided_on")),
    EventType.RELEVANT_ERROR_CLOSED: PayloadShape.of(("old_status",)),
}


class InvalidAuditEvent(ValueError):
    """An event type is unknown or a payload does not match its declared shape.

    Messages name keys and types, never payload values, because payloads hold protected data.
    """


def event_type_for(value: EventType | str) -> EventType:
    """Return the registered type for ``value``, raising ``InvalidAuditEvent`` if there is none."""
    try:
        return EventType(value)
    except ValueError:
        raise InvalidAuditEvent(
            f"Unknown audit event type {value!r}: add it to cpmp.audit.events.EventType."
        ) from None


def validate_payload(event_type: EventType, payload: object) -> None:
    """Check ``payload`` against the shape declared for ``event_type`` and against JSON limits.

    Floats are rejected because their text form is not stable enough to hash; store decimals as
    strings. Strings may not contain NUL, which PostgreSQL cannot store in ``jsonb``.
    """
    if not isinstance(payload, dict):
        raise InvalidAuditEvent(
            f"The payload of a {event_type} event must be a dict, not {type(payload).__name__}."
        )
    shape = PAYLOAD_SHAPES[event_type]
    keys = set(payload)
    missing = shape.required - keys
    if missing:
        raise InvalidAuditEvent(
            f"The payload of a {event_type} event is missing {', '.join(sorted(missing))}."
        )
    unexpected = keys - shape.required - shape.optional
    if unexpected:
        names = ", ".join(sorted(str(key) for key in unexpected))
        raise InvalidAuditEvent(
            f"The payload of a {event_type} event has undeclared keys {names}: "
            "declare them in cpmp.audit.events.PAYLOAD_SHAPES."
        )
    _check_json_value(payload, path="payload")


def check_text(field: str, value: str, max_length: int) -> None:
    """Check a text column of an event: its length and the absence of NUL characters."""
    if len(value) > max_length:
        raise InvalidAuditEvent(f"The audit field {field} is longer than {max_length} characters.")
    if "\x00" in value:
        raise InvalidAuditEvent(f"The audit field {field} contains a NUL character.")


def _check_json_value(value: Any, *, path: str) -> None:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise InvalidAuditEvent(f"{path} is an integer beyond ±2**53; store it as a string.")
        return
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidAuditEvent(f"{path} contains a NUL character.")
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_json_value(item, path=f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidAuditEvent(f"{path} has a key of type {type(key).__name__}, not str.")
            if "\x00" in key:
                raise InvalidAuditEvent(f"{path} has a key containing a NUL character.")
            _check_json_value(item, path=f"{path}.{key}")
        return
    raise InvalidAuditEvent(
        f"{path} is of type {type(value).__name__}; payloads take only str, int, bool, None, "
        "list and dict (store decimals, dates and times as strings)."
    )
