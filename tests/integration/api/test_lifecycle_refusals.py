"""Refusals through the lifecycle API: the law, the policy, stale versions and hidden records."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from cpmp.access.roles import Rank
from cpmp.authorities.models import Authorisation
from cpmp.operations.models import OperationMembership
from tests.lifecycle_factories import (
    a_source,
    an_applicant_officer,
    an_operation,
    base_content,
    chis_content,
    decision,
)

from .lifecycle_support import a_team, applied, call

pytestmark = pytest.mark.django_db

GRANT_AT = "2026-02-01T10:00:00+00:00"
APPLIED_AT = "2026-02-01T09:00:00+00:00"


def _grant(officer: Any, application_id: int, version: int = 3, **extra: Any) -> Any:
    return call(
        officer,
        "post",
        f"/applications/{application_id}/grant",
        {
            "expected_version": version,
            "decision": decision("2026-02-20", **extra),
            "at": GRANT_AT,
        },
    )


def _error(response: Any) -> dict[str, Any]:
    return dict(response.json()["error"])


def test_wrong_rank_refused_422() -> None:
    team = a_team()
    inspector = team.officer(Rank.INSPECTOR)
    application_id = applied(team, ["directed-surveillance"], base_content(), at=APPLIED_AT)
    response = _grant(inspector, application_id)
    assert response.status_code == 422
    assert _error(response)["code"] == "authoriser_not_permitted"
    assert _error(response)["fields"]["rules"]


def test_self_authorisation_unrecorded_422() -> None:
    team = a_team()
    officer = team.officer()
    team.operation.senior_investigating_officer = officer
    team.operation.save()
    application_id = applied(team, ["directed-surveillance"], base_content(), at=APPLIED_AT)
    refused = _grant(officer, application_id)
    assert refused.status_code == 422
    assert _error(refused)["code"] == "self_authorisation_unrecorded"

    granted = _grant(officer, application_id, self_authorisation_reason="Only officer on duty.")
    assert granted.status_code == 200
    assert "self_authorised" in granted.json()["powers"][0]["findings"]


def test_review_before_approval_refused_409() -> None:
    team = a_team()
    chief = team.officer(Rank.ASSISTANT_COMMISSIONER, senior=True)
    content = base_content(
        grounds=["serious-crime"],
        serious_crime="Supply of class A drugs, punishable by life imprisonment.",
        conduct=[
            {"category": "premises", "identifier": "1 High St", "premises_use": "dwelling"},
            *base_content()["conduct"][2:],
        ],
    )
    application_id = applied(team, ["intrusive-surveillance"], content, at=APPLIED_AT)
    granted = _grant(chief, application_id)
    (power,) = granted.json()["powers"]
    assert power["status"] == "awaiting-approval"

    review = call(
        chief,
        "post",
        f"/authorisations/{power['authorisation_id']}/reviews",
        {
            "expected_version": 4,
            "review": {
                "changes": {
                    "contacts": "None.",
                    "product": "None.",
                    "risk": "None.",
                    "collateral_intrusion": "None.",
                },
                "continue": True,
                "reasoning": "Waiting for approval.",
                "next_review_on": "2026-02-20",
            },
            "at": "2026-02-02T10:00:00+00:00",
        },
    )
    assert review.status_code == 409
    assert _error(review)["code"] == "wrong_state"


def test_renewal_after_expiry_refused_422() -> None:
    team = a_team()
    officer = team.officer()
    application_id = applied(team, ["directed-surveillance"], base_content(), at=APPLIED_AT)
    (power,) = _grant(officer, application_id).json()["powers"]
    # The last day was 30 April 2026, so the period ended at midnight BST on 1 May.
    response = call(
        officer,
        "post",
        f"/authorisations/{power['authorisation_id']}/renewals",
        {
            "expected_version": 4,
            "renewal": {
                "changes": "None.",
                "necessity": "Still necessary.",
                "proportionality": "Still proportionate.",
                "value_so_far": "Some.",
                "first_review_on": "2026-05-20",
            },
            "at": "2026-05-01T00:00:00+01:00",
        },
    )
    assert response.status_code == 422
    assert _error(response)["code"] == "renewal_after_expiry"


def test_criminal_conduct_without_chis_422() -> None:
    team = a_team()
    officer = team.officer()
    source = a_source(team.operation)
    chis_id = applied(
        team,
        ["chis"],
        chis_content(team.applicant, team.applicant),
        at="2026-01-05T09:00:00+00:00",
        source_id=source.pk,
    )
    granted = call(
        officer,
        "post",
        f"/applications/{chis_id}/grant",
        {
            "expected_version": 3,
            "decision": decision("2026-02-15"),
            "at": "2026-01-05T10:00:00+00:00",
        },
    )
    chis_row = granted.json()["powers"][0]["authorisation_id"]

    other_source = a_source(team.operation)
    content = chis_content(
        team.applicant,
        team.applicant,
        criminal_conduct={
            "conduct": "Possession of a small quantity of cannabis when offered.",
            "human_rights_compatibility": "No violence or threat to anyone's rights.",
        },
    )
    cca_id = applied(
        team,
        ["criminal-conduct"],
        content,
        at="2026-01-06T09:00:00+00:00",
        source_id=other_source.pk,
        chis_authorisation_id=chis_row,
    )
    response = call(
        officer,
        "post",
        f"/applications/{cca_id}/grant",
        {
            "expected_version": 3,
            "decision": decision("2026-02-15"),
            "at": "2026-01-06T10:00:00+00:00",
        },
    )
    assert response.status_code == 422
    assert _error(response)["code"] == "criminal_conduct_without_live_chis"
    assert not Authorisation.objects.filter(application_id=cca_id).exists()


def test_stale_version_409_names_who_acted() -> None:
    team = a_team()
    first, second = team.officer(), team.officer()
    application_id = applied(team, ["directed-surveillance"], base_content(), at=APPLIED_AT)
    assert _grant(first, application_id).status_code == 200
    response = _grant(second, application_id)
    error = _error(response)
    assert response.status_code == 409
    assert error["code"] == "stale_version"
    assert error["fields"]["changed_by_id"] == first.pk
    assert error["fields"]["changed_by"] == first.get_full_name()
    assert error["fields"]["current_version"] == 4
    assert error["fields"]["changed_at"]


def test_invalid_content_422_lists_fields() -> None:
    team = a_team()
    created = call(
        team.applicant,
        "post",
        "/applications",
        {"operation_id": team.operation.pk, "kinds": ["directed-surveillance"], "reference": "X/1"},
    )
    application_id = created.json()["application"]["id"]
    response = call(
        team.applicant, "post", f"/applications/{application_id}/submit", {"expected_version": 1}
    )
    error = _error(response)
    assert response.status_code == 422
    assert error["code"] == "application_invalid"
    assert "necessity" in error["fields"]["errors"]


def test_future_instant_refused_422() -> None:
    team = a_team()
    application_id = applied(team, ["directed-surveillance"], base_content())
    response = call(
        team.officer(),
        "post",
        f"/applications/{application_id}/grant",
        {"expected_version": 3, "decision": decision("2099-02-20"), "at": "2099-01-01T10:00:00Z"},
    )
    assert response.status_code == 422
    assert "at" in _error(response)["fields"]


def test_hidden_application_404_as_missing() -> None:
    team = a_team()
    application_id = applied(team, ["directed-surveillance"], base_content())
    outsider = an_applicant_officer()
    an_operation(outsider)
    hidden = call(outsider, "get", f"/applications/{application_id}")
    missing = call(outsider, "get", "/applications/999999")
    assert hidden.status_code == 404
    assert hidden.json() == missing.json()

    # A write is refused before its body is read, so a bad body changes nothing.
    hidden_write = call(outsider, "post", f"/applications/{application_id}/submit", {})
    missing_write = call(outsider, "post", "/applications/999999/submit", {})
    assert hidden_write.status_code == 404
    assert hidden_write.json() == missing_write.json()


def test_hidden_operation_refused_on_create() -> None:
    team = a_team()
    outsider = an_applicant_officer()
    response = call(
        outsider,
        "post",
        "/applications",
        {"operation_id": team.operation.pk, "kinds": ["directed-surveillance"], "reference": "Y"},
    )
    assert response.status_code == 422
    assert "operation_id" in _error(response)["fields"]


def test_openapi_lists_lifecycle_operations() -> None:
    team = a_team()
    schema = call(team.gatekeeper, "get", "/openapi.json").json()
    operation_ids = {
        operation["operationId"]
        for methods in schema["paths"].values()
        for operation in methods.values()
    }
    assert {
        "create_application",
        "get_application",
        "get_application_deadlines",
        "save_draft",
        "submit_application",
        "accept_application",
        "return_for_amendment",
        "grant_application",
        "refuse_application",
        "record_oral_grant",
        "record_written_grant",
        "record_commissioner_notice",
        "record_commissioner_decision",
        "record_review",
        "renew_authorisation",
        "vary_authorisation",
        "cancel_authorisation",
        "record_equipment_recovered",
        "record_external_authority",
    } <= operation_ids


@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_one_409() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (see scripts/test-postgres)")
    team = a_team()
    officers = [team.officer(), team.officer()]
    application_id = applied(team, ["directed-surveillance"], base_content(), at=APPLIED_AT)
    barrier = threading.Barrier(2)
    responses: dict[int, Any] = {}

    def grant(officer: Any) -> None:
        try:
            barrier.wait()
            responses[officer.pk] = _grant(officer, application_id)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=grant, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(response.status_code for response in responses.values())
    assert statuses == [200, 409]
    (winner,) = [pk for pk, response in responses.items() if response.status_code == 200]
    (loser,) = [response for response in responses.values() if response.status_code == 409]
    assert _error(loser)["fields"]["changed_by_id"] == winner
    assert Authorisation.objects.filter(application_id=application_id).count() == 1
    assert OperationMembership.objects.filter(operation=team.operation).count() == 3
