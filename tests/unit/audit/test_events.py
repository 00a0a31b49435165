"""The event type registry and payload shape validation (no database)."""

from __future__ import annotations

from typing import Any

import pytest

from cpmp.audit.events import (
    PAYLOAD_SHAPES,
    RETIRED_EVENT_VALUES,
    EventType,
    InvalidAuditEvent,
    event_type_for,
    validate_payload,
)


def test_every_event_type_declares_a_payload_shape() -> None:
    assert set(PAYLOAD_SHAPES) == set(EventType)


def test_no_event_type_reuses_a_retired_value() -> None:
    assert not {member.value for member in EventType} & RETIRED_EVENT_VALUES


def test_stored_values_are_stable() -> None:
    # These strings are in stored chains: changing one breaks verification of old events.
    assert EventType.RECORD_VIEWED == "record.viewed"
    assert EventType.RECORD_CHANGED == "record.changed"
    assert EventType.CENTRAL_RECORD_IMPORT_STORED == "central_record.import_stored"
    assert EventType.SESSION_SIGN_IN_FAILED == "session.sign_in_failed"
    assert EventType.AUDIT_VERIFIED == "audit.verified"


def test_unknown_event_type_rejected() -> None:
    with pytest.raises(InvalidAuditEvent, match=r"record\.peeked"):
        event_type_for("record.peeked")


def test_event_type_accepts_stored_value() -> None:
    assert event_type_for("record.created") is EventType.RECORD_CREATED


def test_valid_change_payload_accepted() -> None:
    validate_payload(
        EventType.RECORD_CHANGED,
        {"old": {"state": "draft", "n": 1}, "new": {"state": "granted", "n": None}},
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"new": {}}, "missing old"),
        ({"old": {}, "new": {}, "colour": "red"}, "undeclared keys colour"),
        (["old", "new"], "must be a dict"),
        ({"old": {"rate": 1.5}, "new": {}}, r"payload\.old\.rate is of type float"),
        ({"old": {}, "new": {"when": object()}}, "is of type object"),
        ({"old": {}, "new": {"big": 2**60}}, "beyond"),
        ({"old": {}, "new": {"text": "a\x00b"}}, "NUL"),
        ({"old": {}, "new": {1: "x"}}, "key of type int"),
        ({"old": {}, "new": {"items": [1, 2.0]}}, r"payload\.new\.items\[1\]"),
    ],
)
def test_bad_change_payload_rejected(payload: Any, message: str) -> None:
    with pytest.raises(InvalidAuditEvent, match=message):
        validate_payload(EventType.RECORD_CHANGED, payload)


def test_rejection_message_omits_payload_values() -> None:
    with pytest.raises(InvalidAuditEvent) as raised:
        validate_payload(EventType.RECORD_CHANGED, {"old": {"name": 0.5}, "new": "Jane Covert"})
    assert "Jane Covert" not in str(raised.value)
    assert "0.5" not in str(raised.value)


def test_view_payload_needs_view_name() -> None:
    with pytest.raises(InvalidAuditEvent, match="missing view_name"):
        validate_payload(EventType.RECORD_VIEWED, {})
