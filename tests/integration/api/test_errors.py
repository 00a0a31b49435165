"""The one error body: CPMP's errors and the older ones mapped onto it, and no stack traces."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import path
from ninja import NinjaAPI, Router

from cpmp.api.errors import as_cpmp_error, install_exception_handlers, status_for
from cpmp.api.permissions import UNDECLARED, holds_a_live_role, requires
from cpmp.errors import (
    BadRequest,
    Conflict,
    CpmpError,
    Forbidden,
    InvalidRequest,
    NotAuthenticated,
    NotFound,
)
from cpmp.law.errors import InvalidInput, RenewalAfterExpiry
from cpmp.law_cli import UsageError
from cpmp.oversight.importing.errors import ImportFailed
from tests.factories import a_gatekeeper

from .conftest import ApiClient


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (BadRequest("x"), 400),
        (NotAuthenticated("x"), 401),
        (Forbidden("x"), 403),
        (NotFound("x"), 404),
        (Conflict("x"), 409),
        (InvalidRequest("x"), 422),
        (CpmpError("x"), 422),
    ],
)
def test_status_for_each_error(error: CpmpError, status: int) -> None:
    assert status_for(error) == status


def test_error_body_shape() -> None:
    error = NotFound("No record was found.", fields={"id": 3})
    assert error.as_json() == {
        "error": {"code": "not_found", "message": "No record was found.", "fields": {"id": 3}}
    }


def test_invalid_input_maps_with_fields() -> None:
    mapped = as_cpmp_error(InvalidInput("kind", "telepathy", "one of chis, directed-surveillance"))
    assert isinstance(mapped, InvalidRequest)
    assert mapped.code == "invalid_input"
    assert status_for(mapped) == 422
    assert mapped.message.startswith("Kind 'telepathy' is not valid")
    assert mapped.fields == {
        "name": "kind",
        "value": "telepathy",
        "accepted": "one of chis, directed-surveillance",
    }


def test_renewal_after_expiry_maps() -> None:
    mapped = as_cpmp_error(RenewalAfterExpiry(date(2026, 5, 1), date(2026, 4, 1)))
    assert mapped is not None
    assert mapped.code == "renewal_after_expiry"
    assert mapped.fields == {"renewed": "2026-05-01", "previous_end": "2026-04-01"}


def test_import_failed_maps() -> None:
    mapped = as_cpmp_error(ImportFailed("register.csv", "no header row was found."))
    assert mapped is not None
    assert mapped.code == "import_failed"
    assert status_for(mapped) == 422
    assert mapped.message == "Cannot import register.csv: no header row was found."
    assert mapped.fields == {"file_name": "register.csv", "reason": "no header row was found."}


def test_usage_error_names_parameters() -> None:
    mapped = as_cpmp_error(UsageError("--section-97 is not valid with --kind chis"))
    assert mapped is not None
    assert mapped.message == "Section_97 is not valid with kind chis"


def test_other_errors_have_no_mapping() -> None:
    assert as_cpmp_error(RuntimeError("boom")) is None


# A throwaway API, mounted only by the tests that name this module's URLs: one route fails on
# purpose and one names no access predicate.
failing_api = NinjaAPI(auth=UNDECLARED, urls_namespace="failing-api")
install_exception_handlers(failing_api)
failing_router = Router()


@failing_router.get("/boom", auth=requires(holds_a_live_role))
def boom(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("secret detail that must not leak")


@failing_router.get("/undeclared")
def undeclared(request):  # type: ignore[no-untyped-def]
    return {"leaked": True}


failing_api.add_router("/", failing_router)
urlpatterns = [path("api/", failing_api.urls)]


@pytest.mark.django_db
@pytest.mark.urls("tests.integration.api.test_errors")
def test_unexpected_error_has_no_traceback(api_client: ApiClient) -> None:
    response = api_client.as_user(a_gatekeeper()).get("/api/boom")
    assert response.status_code == 500
    body = response.json()
    assert body["error"]["code"] == "server_error"
    assert body["error"]["fields"]["request_id"]
    assert "secret detail" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
