"""The OpenAPI document, and the rule that every operation checks a permission."""

from __future__ import annotations

import json

import pytest
from ninja import NinjaAPI, Router

from cpmp.api.api import API_VERSION, api
from cpmp.api.auth import BearerToken
from cpmp.api.permissions import (
    UNDECLARED,
    api_operations,
    holds_a_live_role,
    no_permission_declared,
    requires,
    unchecked_operations,
)
from tests.factories import a_gatekeeper

from .conftest import ApiClient

EXPECTED_OPERATIONS = {
    ("post", "/api/assets/{asset_id}/bookings"),
    ("post", "/api/bookings/{booking_id}/deployments"),
    ("get", "/api/deployments/now"),
    ("get", "/api/authorised-now"),
    ("post", "/api/recovery-tasks/{task_id}/recovery"),
    ("get", "/api/authorisations"),
    ("get", "/api/authorisations/{authorisation_id}"),
    ("post", "/api/central-record-imports"),
    ("post", "/api/central-record-imports/{import_id}/confirm"),
    ("get", "/api/law/deadlines"),
    ("post", "/api/applications"),
    ("get", "/api/applications/{application_id}"),
    ("get", "/api/applications/{application_id}/deadlines"),
    ("put", "/api/applications/{application_id}/draft"),
    ("post", "/api/applications/{application_id}/submit"),
    ("post", "/api/applications/{application_id}/accept"),
    ("post", "/api/applications/{application_id}/return"),
    ("post", "/api/applications/{application_id}/grant"),
    ("post", "/api/applications/{application_id}/refuse"),
    ("post", "/api/applications/{application_id}/oral-grant"),
    ("post", "/api/applications/{application_id}/written-grant"),
    ("post", "/api/applications/{application_id}/commissioner-notices"),
    ("post", "/api/applications/{application_id}/commissioner-decisions"),
    ("post", "/api/authorisations/{authorisation_id}/reviews"),
    ("post", "/api/authorisations/{authorisation_id}/renewals"),
    ("post", "/api/authorisations/{authorisation_id}/variations"),
    ("post", "/api/authorisations/{authorisation_id}/cancellation"),
    ("post", "/api/authorisations/{authorisation_id}/equipment-recovered"),
    ("post", "/api/external-authorities"),
    ("get", "/api/source-records/{source_id}"),
    ("post", "/api/source-records/{source_id}/contacts"),
    ("post", "/api/source-records/{source_id}/taskings"),
    ("post", "/api/source-records/{source_id}/payments"),
    ("post", "/api/source-records/payments/{payment_id}/decisions"),
    ("post", "/api/source-records/{source_id}/triage"),
    ("get", "/api/source-reports"),
    ("get", "/api/risk-assessments"),
    ("post", "/api/risk-assessments"),
    ("get", "/api/risk-assessments/{assessment_id}"),
    ("post", "/api/risk-assessments/{assessment_id}/versions"),
    ("post", "/api/risk-assessments/{assessment_id}/acceptances"),
    ("get", "/api/deconfliction/cases"),
    ("get", "/api/deconfliction/cases/{case_id}"),
    ("post", "/api/deconfliction/cases/{case_id}/resolution"),
    ("post", "/api/deconfliction/identifiers"),
    ("get", "/api/errors"),
    ("get", "/api/errors/{error_id}"),
    ("post", "/api/errors/{error_id}/confirmation"),
    ("post", "/api/errors/{error_id}/dismissal"),
    ("post", "/api/errors/{error_id}/report"),
    ("post", "/api/errors/{error_id}/decision"),
    ("post", "/api/errors/{error_id}/closure"),
}


@pytest.mark.django_db
def test_openapi_document_lists_operations(api_client: ApiClient) -> None:
    response = api_client.as_user(a_gatekeeper()).get("/api/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)

    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "CPMP API"
    assert document["info"]["version"] == API_VERSION
    listed = {(method, path) for path, methods in document["paths"].items() for method in methods}
    assert listed == EXPECTED_OPERATIONS


@pytest.mark.django_db
def test_openapi_operations_need_bearer(api_client: ApiClient) -> None:
    document = api_client.as_user(a_gatekeeper()).get("/api/openapi.json").json()
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            assert operation.get("security") == [{"BearerToken": []}], (method, path)
            assert "401" in operation["responses"], (method, path)


def test_docs_page_is_off() -> None:
    assert api.docs_url is None


def test_every_operation_checks_permission() -> None:
    operations = api_operations(api)
    assert len(operations) == len(EXPECTED_OPERATIONS)
    for path, operation in operations:
        assert len(operation.auth_callbacks) == 1, path
        callback = operation.auth_callbacks[0]
        assert isinstance(callback, BearerToken), path
        assert callback is not UNDECLARED, path
        assert callback.predicate is not no_permission_declared, path
    assert unchecked_operations(api) == []


def test_unchecked_operation_is_reported() -> None:
    router = Router()

    @router.get("/checked", auth=requires(holds_a_live_role))
    def checked(request):  # type: ignore[no-untyped-def]
        return {}

    @router.get("/unchecked")
    def unchecked(request):  # type: ignore[no-untyped-def]
        return {}

    @router.get("/open", auth=None)
    def open_to_all(request):  # type: ignore[no-untyped-def]
        return {}

    trial = NinjaAPI(auth=UNDECLARED, urls_namespace="trial-api")
    trial.add_router("/", router)

    problems = unchecked_operations(trial)

    assert len(problems) == 2
    assert problems[0].startswith("GET /unchecked: the route does not pass auth=requires")
    assert problems[1].startswith("GET /open: the operation has no authentication")


@pytest.mark.django_db
def test_undeclared_route_refuses_everyone(api_client: ApiClient) -> None:
    from tests.integration.api import test_errors

    response = api_client.as_user(a_gatekeeper()).get("/api/undeclared")
    assert UNDECLARED in test_errors.failing_api.auth
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


test_undeclared_route_refuses_everyone = pytest.mark.urls("tests.integration.api.test_errors")(
    test_undeclared_route_refuses_everyone
)
