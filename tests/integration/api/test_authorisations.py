"""``/api/authorisations``: filters, sorting, paging, totals, the detail and its audit."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from cpmp.audit.models import AuditEvent
from cpmp.authorities.models import RecordState
from tests.factories import a_gatekeeper, an_administrator, make_authorisation

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

LIST = "/api/authorisations"


@pytest.fixture
def gatekeeper_client(api_client: ApiClient) -> ApiClient:
    return api_client.as_user(a_gatekeeper())


def _live(**fields):
    now = timezone.now()
    return make_authorisation(
        granted_from=now - timedelta(days=10),
        expires_latest=fields.pop("expires_latest", now + timedelta(days=80)),
        **fields,
    )


def test_list_item_shape(gatekeeper_client: ApiClient) -> None:
    granted = datetime.fromisoformat("2026-01-01T09:30:00+00:00")
    expires = datetime.fromisoformat("2026-03-31T23:00:00+00:00")
    make_authorisation(
        reference="DS/2026/1",
        operation="Op Kestrel",
        urgent=True,
        granted_from=granted,
        takes_effect="2026-01-01T09:30:00+00:00",
        expires_at=expires,
        expires_earliest=expires,
        expires_latest=expires,
        findings=["never_cancelled"],
    )

    body = gatekeeper_client.get(LIST).json()

    assert body["count"] == 1
    item = body["items"][0]
    assert item["reference"] == "DS/2026/1"
    assert item["kind"] == "directed-surveillance"
    assert item["operation"] == "Op Kestrel"
    assert item["urgent"] is True
    assert item["granted_at"] == "2026-01-01T09:30:00+00:00"
    assert item["takes_effect_at"] == "2026-01-01T09:30:00+00:00"
    assert item["expires_at"] == "2026-04-01T00:00:00+01:00"
    assert item["expires_latest_at"] == "2026-04-01T00:00:00+01:00"
    assert item["status"] == "expired-not-cancelled"
    assert item["findings"] == ["never_cancelled"]
    assert set(item) >= {"id", "reference", "kind", "operation", "status", "findings"}


def test_list_keeps_date_precision(gatekeeper_client: ApiClient) -> None:
    make_authorisation(granted="2020-07")
    item = gatekeeper_client.get(LIST).json()["items"][0]
    assert item["granted_at"] == "2020-07"


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"kind": "chis"}, {"CHIS/1"}),
        ({"status": "live"}, {"DS/LIVE/1", "CHIS/1", "DS/DUE/1"}),
        ({"status": "refused"}, {"DS/REFUSED/1"}),
        ({"operation": "kestrel"}, {"DS/LIVE/1"}),
        ({"reference": "due"}, {"DS/DUE/1"}),
        ({"due_within_days": 7}, {"DS/DUE/1"}),
        ({"kind": "directed-surveillance", "status": "live"}, {"DS/LIVE/1", "DS/DUE/1"}),
    ],
)
def test_list_filters(gatekeeper_client: ApiClient, parameters: dict, expected: set) -> None:
    now = timezone.now()
    _live(reference="DS/LIVE/1", operation="Op Kestrel")
    _live(reference="CHIS/1", kind="chis", operation="Op Heron")
    _live(reference="DS/DUE/1", operation="Op Heron", expires_latest=now + timedelta(days=3))
    make_authorisation(reference="DS/REFUSED/1", state=RecordState.REFUSED)

    body = gatekeeper_client.get(LIST, parameters).json()

    assert {item["reference"] for item in body["items"]} == expected
    assert body["count"] == len(expected)


def test_list_paging_and_total(gatekeeper_client: ApiClient) -> None:
    for number in range(7):
        make_authorisation(reference=f"DS/PAGE/{number}")

    first = gatekeeper_client.get(LIST, {"page_size": 3, "sort": "reference"}).json()
    third = gatekeeper_client.get(LIST, {"page_size": 3, "page": 3, "sort": "reference"}).json()
    beyond = gatekeeper_client.get(LIST, {"page_size": 3, "page": 4}).json()

    assert first["count"] == 7
    assert [item["reference"] for item in first["items"]] == [
        "DS/PAGE/0",
        "DS/PAGE/1",
        "DS/PAGE/2",
    ]
    assert (first["page"], first["page_size"]) == (1, 3)
    assert [item["reference"] for item in third["items"]] == ["DS/PAGE/6"]
    assert third["count"] == 7
    assert beyond["items"] == []
    assert beyond["count"] == 7


def test_list_total_counts_filtered_rows(gatekeeper_client: ApiClient) -> None:
    for number in range(5):
        make_authorisation(reference=f"DS/A/{number}")
    make_authorisation(reference="CHIS/B/1", kind="chis")
    body = gatekeeper_client.get(LIST, {"kind": "chis", "page_size": 1}).json()
    assert body["count"] == 1


def test_list_sort_descending(gatekeeper_client: ApiClient) -> None:
    for reference in ("B", "A", "C"):
        make_authorisation(reference=reference)
    body = gatekeeper_client.get(LIST, {"sort": "-reference"}).json()
    assert [item["reference"] for item in body["items"]] == ["C", "B", "A"]


@pytest.mark.parametrize(
    ("parameters", "field"),
    [
        ({"page_size": 201}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": "first"}, "page"),
        ({"status": "asleep"}, "status"),
        ({"kind": "telepathy"}, "kind"),
        ({"sort": "colour"}, "sort"),
        ({"due_within_days": -1}, "due_within_days"),
        ({"reference": "x" * 101}, "reference"),
    ],
)
def test_list_rejects_invalid_parameters(
    gatekeeper_client: ApiClient, parameters: dict, field: str
) -> None:
    response = gatekeeper_client.get(LIST, parameters)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert field in error["fields"]
    assert field in error["message"]


def test_detail_fields(gatekeeper_client: ApiClient) -> None:
    record = make_authorisation(details={"URN": "DS/1", "Notes": "kept"}, oral=True)
    body = gatekeeper_client.get(f"{LIST}/{record.pk}").json()
    assert body["id"] == record.pk
    assert body["oral"] is True
    assert body["state"] == "granted"
    assert body["origin"] == "workflow"
    assert body["details"] == {"URN": "DS/1", "Notes": "kept"}
    assert body["import_id"] is None


def test_detail_read_is_audited(api_client: ApiClient) -> None:
    user = a_gatekeeper()
    record = make_authorisation()
    api_client.as_user(user).get(f"{LIST}/{record.pk}")
    event = AuditEvent.objects.get(event_type="authorisation.viewed")
    assert event.object_type == "authorisation"
    assert event.object_id == str(record.pk)
    assert event.actor_id == user.pk
    assert event.payload == {"view_name": "api:authorisation-detail"}
    assert event.source == "127.0.0.1"
    assert event.request_id


def test_list_view_is_audited(api_client: ApiClient) -> None:
    user = a_gatekeeper()
    for _ in range(3):
        make_authorisation()
    api_client.as_user(user).get(LIST, {"page_size": 2})
    event = AuditEvent.objects.get(event_type="record.list_viewed")
    assert event.object_type == "authorisation_register"
    assert event.actor_id == user.pk
    assert event.payload == {"view_name": "api:authorisation-list", "row_count": 3, "filters": {}}


def test_denied_detail_matches_missing(api_client: ApiClient) -> None:
    record = make_authorisation()
    client = api_client.as_user(an_administrator())
    denied = client.get(f"{LIST}/{record.pk}")
    missing = client.get(f"{LIST}/{record.pk + 1000}")
    assert denied.status_code == missing.status_code == 404
    assert denied.content == missing.content
    assert not AuditEvent.objects.filter(event_type="authorisation.viewed").exists()


def test_missing_detail_for_reader_matches(api_client: ApiClient) -> None:
    record = make_authorisation()
    denied = api_client.as_user(an_administrator()).get(f"{LIST}/{record.pk}")
    missing = api_client.as_user(a_gatekeeper()).get(f"{LIST}/{record.pk + 1000}")
    assert missing.status_code == 404
    assert denied.content == missing.content


def test_detail_id_beyond_integer_range(gatekeeper_client: ApiClient) -> None:
    response = gatekeeper_client.get(f"{LIST}/{2**63}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
