"""``/api/law/deadlines``: the same deadlines as ``cpmp law deadlines``."""

from __future__ import annotations

import json

import pytest

from cpmp.law_cli import main as law_main
from tests.factories import an_applicant

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

URL = "/api/law/deadlines"


@pytest.fixture
def applicant_client(api_client: ApiClient) -> ApiClient:
    return api_client.as_user(an_applicant())


def test_written_directed_surveillance(applicant_client: ApiClient) -> None:
    response = applicant_client.get(
        URL, {"kind": "directed-surveillance", "granted": "2026-01-01T09:30"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["expires_at"] == "2026-04-01T00:00:00+01:00"
    assert body["last_day"] == "2026-03-31"
    assert body["event"] == "grant"


@pytest.mark.parametrize(
    ("parameters", "arguments"),
    [
        (
            {"kind": "directed-surveillance", "granted": "2026-01-01T09:30", "force": "met"},
            ["--kind", "directed-surveillance", "--granted", "2026-01-01T09:30"],
        ),
        (
            {
                "kind": "directed-surveillance",
                "granted": "2026-01-01T09:30",
                "urgent": "true",
                "oral": "true",
                "force": "met",
            },
            [
                "--kind",
                "directed-surveillance",
                "--granted",
                "2026-01-01T09:30",
                "--urgent",
                "--oral",
            ],
        ),
        (
            {"kind": "chis", "granted": "2026-02-14", "juvenile": "true", "force": "county"},
            ["--kind", "chis", "--granted", "2026-02-14", "--juvenile", "--force", "county"],
        ),
    ],
)
def test_matches_command_output(
    applicant_client: ApiClient,
    capsys: pytest.CaptureFixture[str],
    parameters: dict,
    arguments: list,
) -> None:
    assert law_main(["deadlines", *arguments]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert applicant_client.get(URL, parameters).json() == printed


def test_invalid_date_is_422(applicant_client: ApiClient) -> None:
    response = applicant_client.get(URL, {"kind": "directed-surveillance", "granted": "2026-13-01"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["message"].startswith("Granted '2026-13-01' is not a valid date")
    assert "--" not in error["message"]


def test_unknown_kind_is_422(applicant_client: ApiClient) -> None:
    response = applicant_client.get(URL, {"kind": "telepathy", "granted": "2026-01-01"})
    assert response.status_code == 422
    assert "kind" in response.json()["error"]["fields"]


def test_missing_granted_is_422(applicant_client: ApiClient) -> None:
    response = applicant_client.get(URL, {"kind": "chis"})
    assert response.status_code == 422
    assert "granted" in response.json()["error"]["fields"]


def test_cancellation_before_grant_is_422(applicant_client: ApiClient) -> None:
    response = applicant_client.get(
        URL,
        {"kind": "directed-surveillance", "granted": "2026-01-10", "cancelled": "2026-01-01"},
    )
    assert response.status_code == 422
    assert (
        "Cancelled '2026-01-01' is before granted '2026-01-10'"
        in response.json()["error"]["message"]
    )
