"""Who may call which endpoint: every persona, allowed and denied, with a bearer token.

The policy is the pages' one (``cpmp.access.compartments``): the gatekeeper and a live
inspector oversee every operation; an authorising officer sees an operation's records only
when in its team; the applicant and the administrator see none; a lapsed inspector holds no
role at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from cpmp.access.models import User
from cpmp.authorities.models import Authorisation
from cpmp.operations.models import Operation, OperationMembership
from cpmp.oversight.models import CentralRecordImport
from tests.factories import PERSONAS, an_authorising_officer, an_inspector, make_authorisation

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

TEAM_OPERATION = "Op Kestrel"


def _officer_in_team() -> User:
    officer = an_authorising_officer()
    operation, _ = Operation.objects.get_or_create(name=TEAM_OPERATION)
    OperationMembership.objects.create(operation=operation, user=officer)
    return officer


ROLE_PERSONAS: dict[str, Callable[[], User]] = {
    **PERSONAS,
    "lapsed inspector": lambda: an_inspector(expires_at=timezone.now() - timedelta(days=1)),
    "authorising officer in the team": _officer_in_team,
}
OVERSEE_ALL = {"gatekeeper", "inspector"}
REGISTER_OPENERS = OVERSEE_ALL | {"authorising officer in the team"}
IMPORTERS = {"gatekeeper"}
# Everyone with a live role. The lapsed inspector has none.
LAW_USERS = set(ROLE_PERSONAS) - {"lapsed inspector"}


def _team_record() -> Authorisation:
    operation, _ = Operation.objects.get_or_create(name=TEAM_OPERATION)
    return make_authorisation(operation=TEAM_OPERATION, operation_ref=operation)


def _other_record() -> Authorisation:
    operation, _ = Operation.objects.get_or_create(name="Op Heron")
    return make_authorisation(operation="Op Heron", operation_ref=operation)


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
    client = _client(api_client, persona)
    _team_record()
    _other_record()
    make_authorisation(operation="")

    response = client.get("/api/authorisations")

    if persona in OVERSEE_ALL:
        assert response.status_code == 200
        assert response.json()["count"] == 3
    elif persona in REGISTER_OPENERS:
        assert response.status_code == 200
        assert response.json()["count"] == 1
        assert response.json()["items"][0]["operation"] == TEAM_OPERATION
    else:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("persona", sorted(ROLE_PERSONAS))
def test_register_detail_access(api_client: ApiClient, persona: str) -> None:
    client = _client(api_client, persona)
    team, other = _team_record(), _other_record()

    team_response = client.get(f"/api/authorisations/{team.pk}")
    other_response = client.get(f"/api/authorisations/{other.pk}")

    if persona in OVERSEE_ALL:
        assert team_response.status_code == 200
        assert other_response.status_code == 200
    elif persona in REGISTER_OPENERS:
        assert team_response.status_code == 200
        assert team_response.json()["id"] == team.pk
        assert other_response.status_code == 404
    else:
        assert team_response.status_code == 404
        assert other_response.status_code == 404
        assert team_response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("persona", sorted(ROLE_PERSONAS))
def test_import_create_access(api_client: ApiClient, persona: str, samples_dir: Path) -> None:
    client = _client(api_client, persona)
    with (samples_dir / "police_cab_register.csv").open("rb") as upload:
        response = client.post(
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
        assert response.json()["error"]["code"] == "forbidden"


def test_denied_import_confirm_matches_missing(api_client: ApiClient, import_id: int) -> None:
    client = _client(api_client, "inspector")
    denied = client.post(f"/api/central-record-imports/{import_id}/confirm")
    missing = client.post(f"/api/central-record-imports/{import_id + 1000}/confirm")
    assert denied.status_code == missing.status_code == 404
    assert denied.content == missing.content


def test_other_team_record_matches_missing(api_client: ApiClient) -> None:
    client = _client(api_client, "authorising officer in the team")
    other = _other_record()
    denied = client.get(f"/api/authorisations/{other.pk}")
    missing = client.get(f"/api/authorisations/{other.pk + 1000}")
    assert denied.status_code == missing.status_code == 404
    assert denied.content == missing.content


def test_total_counts_only_visible_records(api_client: ApiClient) -> None:
    client = _client(api_client, "authorising officer in the team")
    for _ in range(2):
        _team_record()
    for _ in range(3):
        _other_record()

    everything = client.get("/api/authorisations", {"page_size": 1}).json()
    other_team = client.get("/api/authorisations", {"operation": "Heron"}).json()

    assert everything["count"] == 2
    assert len(everything["items"]) == 1
    assert other_team["count"] == 0
    assert other_team["items"] == []
