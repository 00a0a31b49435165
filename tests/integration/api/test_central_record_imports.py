"""``/api/central-record-imports``: upload a sample register, confirm it, and confirm again."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from cpmp.audit.models import AuditEvent
from cpmp.authorities.models import Authorisation
from cpmp.oversight.models import CentralRecordImport, ImportState
from tests.factories import a_gatekeeper

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

CREATE = "/api/central-record-imports"
POLICE = "police_cab_register.csv"
POLICE_RECORDS = 38


@pytest.fixture
def gatekeeper_client(api_client: ApiClient) -> ApiClient:
    return api_client.as_user(a_gatekeeper())


def _upload(client: ApiClient, path: Path, **fields: str):
    with path.open("rb") as upload:
        return client.post(CREATE, {"file": upload, "as_at": "2024-03-31", **fields})


def test_upload_previews_without_storing(gatekeeper_client: ApiClient, samples_dir: Path) -> None:
    response = _upload(gatekeeper_client, samples_dir / POLICE)

    assert response.status_code == 201
    body = response.json()
    batch = CentralRecordImport.objects.get()
    assert body["import_id"] == batch.pk
    assert body["state"] == ImportState.PREVIEWED
    assert body["file"] == POLICE
    assert body["as_at"] == "2024-03-31"
    assert len(body["records"]) == POLICE_RECORDS
    assert body["stored"] is None
    assert set(body["records"][0]) >= {"source_record", "reference", "status", "findings"}
    assert Authorisation.objects.count() == 0


def test_preview_response_is_audited(gatekeeper_client: ApiClient, samples_dir: Path) -> None:
    import_id = _upload(gatekeeper_client, samples_dir / POLICE).json()["import_id"]
    event = AuditEvent.objects.get(event_type="record.viewed")
    assert event.object_type == "central_record_import"
    assert event.object_id == str(import_id)
    assert event.payload == {"view_name": "api:central-record-import-create"}


def test_confirm_stores_records(gatekeeper_client: ApiClient, samples_dir: Path) -> None:
    import_id = _upload(gatekeeper_client, samples_dir / POLICE).json()["import_id"]

    response = gatekeeper_client.post(f"{CREATE}/{import_id}/confirm")

    assert response.status_code == 200
    assert response.json() == {"import_id": import_id, "created": POLICE_RECORDS, "unchanged": 0}
    assert Authorisation.objects.count() == POLICE_RECORDS
    assert CentralRecordImport.objects.get().state == ImportState.STORED


def test_confirm_twice_stores_nothing_new(gatekeeper_client: ApiClient, samples_dir: Path) -> None:
    import_id = _upload(gatekeeper_client, samples_dir / POLICE).json()["import_id"]
    gatekeeper_client.post(f"{CREATE}/{import_id}/confirm")

    again = gatekeeper_client.post(f"{CREATE}/{import_id}/confirm")

    assert again.status_code == 200
    assert again.json() == {"import_id": import_id, "created": 0, "unchanged": POLICE_RECORDS}
    assert Authorisation.objects.count() == POLICE_RECORDS


def test_same_file_uploaded_again_stores_nothing_new(
    gatekeeper_client: ApiClient, samples_dir: Path
) -> None:
    first = _upload(gatekeeper_client, samples_dir / POLICE).json()["import_id"]
    gatekeeper_client.post(f"{CREATE}/{first}/confirm")
    second = _upload(gatekeeper_client, samples_dir / POLICE).json()["import_id"]

    response = gatekeeper_client.post(f"{CREATE}/{second}/confirm")

    assert second != first
    assert response.json()["created"] == 0
    assert response.json()["unchanged"] == POLICE_RECORDS
    assert Authorisation.objects.count() == POLICE_RECORDS


def test_upload_without_dry_run_stores(gatekeeper_client: ApiClient, samples_dir: Path) -> None:
    response = _upload(gatekeeper_client, samples_dir / POLICE, dry_run="false")
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == ImportState.STORED
    assert body["stored"] == {
        "import_id": body["import_id"],
        "created": POLICE_RECORDS,
        "unchanged": 0,
    }
    assert Authorisation.objects.count() == POLICE_RECORDS


def test_upload_every_sample(gatekeeper_client: ApiClient, samples_dir: Path) -> None:
    for path in sorted(samples_dir.iterdir()):
        response = _upload(gatekeeper_client, path)
        assert response.status_code in (201, 422), path.name
        if response.status_code == 422:
            assert response.json()["error"]["code"] == "import_failed", path.name


def test_confirm_missing_import_is_404(gatekeeper_client: ApiClient) -> None:
    response = gatekeeper_client.post(f"{CREATE}/999999/confirm")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def _post_file(client: ApiClient, name: str, content: bytes, **fields: str):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(CREATE, {"file": upload, "as_at": "2024-03-31", **fields})


@pytest.mark.parametrize(
    ("name", "content", "fields", "message"),
    [
        ("register.txt", b"a,b\n1,2\n", {}, "must be a CSV or XLSX"),
        ("register.csv", b"", {}, "is empty"),
        ("register.csv", b"a,b\n", {"mapping": "not json"}, "JSON object"),
        ("register.csv", b"a,b\n", {"mapping": '["URN"]'}, "JSON object"),
        ("register.csv", b"a,b\n", {"mapping": '{"URN": 3}'}, "JSON object"),
    ],
)
def test_upload_rejects_invalid_input(
    gatekeeper_client: ApiClient, name: str, content: bytes, fields: dict, message: str
) -> None:
    response = _post_file(gatekeeper_client, name, content, **fields)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert message in error["message"]
    assert CentralRecordImport.objects.count() == 0


def test_upload_rejects_future_as_at(gatekeeper_client: ApiClient) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = _post_file(gatekeeper_client, "register.csv", b"a,b\n1,2\n", as_at=tomorrow)
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"as_at": tomorrow}


def test_upload_rejects_missing_fields(gatekeeper_client: ApiClient) -> None:
    response = gatekeeper_client.post(CREATE, {})
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert "file" in fields
    assert "as_at" in fields


@override_settings(CPMP_IMPORT_MAX_BYTES=10)
def test_upload_rejects_large_file(gatekeeper_client: ApiClient) -> None:
    response = _post_file(gatekeeper_client, "register.csv", b"a,b\n" * 10)
    assert response.status_code == 422
    assert "smaller than" in response.json()["error"]["message"]


def test_unreadable_file_is_import_failed(gatekeeper_client: ApiClient) -> None:
    response = _post_file(gatekeeper_client, "register.csv", b"nothing,here\n1,2\n")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "import_failed"
    assert error["message"].startswith("Cannot import register.csv")
    assert error["fields"]["file_name"] == "register.csv"
    assert error["fields"]["reason"]
