"""Who may call which endpoint: every persona, allowed and denied, with a bearer token."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from cpmp.access.models import User
from cpmp.oversight.models import CentralRecordImport
from tests.factories import PERSONAS, an_inspector, make_authorisation

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

ROLE_PERSONAS: dict[str, Callable[[], User]] = {
    **PERSONAS,
    "lapsed inspector": lambda: an_inspector(expires_at=timezone.now() - timedelta(days=1)),
}
REGISTER_READERS = {"gatekeeper", "authorising officer", "inspector"}
IMPORTERS = {"gatekeeper"}
# Everyone with a live role. The lapsed inspector has none.
LAW_USERS = set(PERSONAS)


@pytest.fixture
def import_id() -> int:
    return CentralRecordImport.objects.create(
        file_name="register.csv",
        sha256="0" * 64,
        content=b"x",
        as_at="2024-03-31",
        state="previewed",
        report={"records": [], "skipped": []},
    ).pk


def _client(api_client: ApiClient, persona: str) -> ApiClient:
    return api_client.as_user(ROLE_PERSONAS[persona]())


@pytest.mark.parametrize("persona", sorted(ROLE_PERSONAS))
def test_register_list_access(api_client: ApiClient, persona: str) -> None:
    make_authorisation()
    response = _client(api_client, persona).get("/api/authorisations")
    if persona in REGISTER_READERS:
        assert response.status_code == 200
        assert response.json()["count"] == 1
    else:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("persona", sorted(ROLE_PERSONAS))
def test_register_detail_access(api_client: ApiClient, persona: str) -> None:
    record = make_authorisation()
    response = _client(api_client, persona).get(f"/api/authorisations/{record.pk}")
    if persona in REGISTER_READERS:
        assert response.status_code == 200
        assert response.json()["id"] == record.pk
    else:
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("persona", sorted(ROLE_PERSONAS))
def test_import_create_access(api_client: ApiClient, persona: str, samples_dir: Path) -> None:
    with (samples_dir / "police_cab_register.csv").open("rb") as upload:
        response = _client(api_client, persona).post(
            "/api/central-record-imports", {"file": upload, "as_at": "2024-03-31"}
        )
    if persona in IMPORTERS:
        assert response.status_code == 201
    else:
        assert response.status_code == 403
        assert CentralRecordImport.objects.count() == 0


@pytest.mark.parametrize("persona", sorted(ROLE_PERSONAS))
def test_import_confirm_access(api_client: ApiClient, persona: str, import_id: int) -> None:
    response = _client(api_client, persona).post(f"/api/central-record-imports/{import_id}/confirm")
    if persona in IMPORTERS:
        # The stored file is no register, so the allowed response is the importer's error.
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "import_failed"
    else:
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("persona", sorted(ROLE_PERSONAS))
def test_law_deadlines_access(api_client: ApiClient, persona: str) -> None:
    response = _client(api_client, persona).get(
        "/api/law/deadlines", {"kind": "directed-surveillance", "granted": "2026-01-01"}
    )
    if persona in LAW_USERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_denied_import_confirm_matches_missing(api_client: ApiClient, import_id: int) -> None:
    client = _client(api_client, "authorising officer")
    denied = client.post(f"/api/central-record-imports/{import_id}/confirm")
    missing = client.post(f"/api/central-record-imports/{import_id + 1000}/confirm")
    assert denied.status_code == missing.status_code == 404
    assert denied.content == missing.content
