"""Canonical serialisation and hashing of the chain (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from cpmp.audit import chain
from cpmp.audit.keys import AuditKey, _audit_key

KEY = _audit_key("unit-test-key-0123456789")


def fields(**changes: object) -> chain.EventFields:
    values: dict[str, object] = {
        "sequence": 1,
        "occurred_at": datetime(2026, 3, 29, 0, 30, 0, 5, tzinfo=UTC),
        "actor_id": 7,
        "actor_label": "a.handler",
        "event_type": "record.changed",
        "object_type": "authorisation",
        "object_id": "42",
        "source": "192.0.2.1",
        "request_id": "abc",
        "payload": {"old": {"state": "draft"}, "new": {"state": "granted", "note": "é"}},
        "key_id": KEY.key_id,
        "previous_hash": chain.GENESIS_HASH,
    }
    values.update(changes)
    return chain.EventFields(**values)  # type: ignore[arg-type]


def test_timestamp_is_utc_with_microseconds() -> None:
    london_summer = timezone(timedelta(hours=1))
    moment = datetime(2026, 7, 1, 13, 0, 0, tzinfo=london_summer)
    assert chain.format_timestamp(moment) == "2026-07-01T12:00:00.000000Z"


def test_naive_timestamp_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        chain.format_timestamp(datetime(2026, 1, 1))


def test_canonical_json_sorts_keys_and_escapes() -> None:
    assert chain.canonical_json({"b": 1, "a": ["é", None, True]}) == (
        b'{"a":["\\u00e9",null,true],"b":1}'
    )


def test_canonical_json_rejects_nan() -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        chain.canonical_json({"x": float("nan")})


def test_event_hash_known_answer() -> None:
    # A fixed vector, checked with `openssl dgst -sha256 -hmac KEY` over the bytes above. If it
    # changes, every stored chain stops verifying.
    assert chain.event_bytes(fields()) == (
        b'{"actor_id":7,"actor_label":"a.handler","event_type":"record.changed",'
        b'"key_id":"' + KEY.key_id.encode() + b'","object_id":"42",'
        b'"object_type":"authorisation","occurred_at":"2026-03-29T00:30:00.000005Z",'
        b'"payload":{"new":{"note":"\\u00e9","state":"granted"},"old":{"state":"draft"}},'
        b'"previous_hash":"' + chain.GENESIS_HASH.encode() + b'","request_id":"abc",'
        b'"sequence":1,"source":"192.0.2.1"}'
    )
    assert chain.event_hash(KEY, fields()) == (
        "7a630ac76975cc1bd76e74769bc6ba84d532dca894e005811793066bfb3d680f"
    )


def test_payload_key_order_does_not_change_hash() -> None:
    reordered = fields(
        payload={"new": {"note": "é", "state": "granted"}, "old": {"state": "draft"}}
    )
    assert chain.event_hash(KEY, reordered) == chain.event_hash(KEY, fields())


@pytest.mark.parametrize(
    "change",
    [
        {"sequence": 2},
        {"occurred_at": datetime(2026, 3, 29, 0, 30, 0, 6, tzinfo=UTC)},
        {"actor_id": None},
        {"payload": {"old": {}, "new": {}}},
        {"previous_hash": "f" * 64},
        {"object_id": "43"},
    ],
)
def test_any_field_change_changes_hash(change: dict[str, object]) -> None:
    assert chain.event_hash(KEY, fields(**change)) != chain.event_hash(KEY, fields())


def test_other_key_gives_other_hash() -> None:
    other = _audit_key("another-unit-test-key-987")
    assert chain.event_hash(other, fields()) != chain.event_hash(KEY, fields())


def test_key_repr_hides_secret() -> None:
    key = AuditKey(key_id="0011", secret=b"super-secret-value")
    assert "super-secret-value" not in repr(key)
