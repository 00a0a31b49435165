"""Bearer tokens: who gets 401, with one JSON body, and that sessions are ignored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from cpmp.access.models import User
from cpmp.api.models import ApiToken
from cpmp.web.sessions import SIGNED_IN_AT_SESSION_KEY
from tests.factories import a_gatekeeper, authenticator, make_user

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

URL = "/api/authorisations"
EXPECTED_BODY = {
    "error": {
        "code": "not_authenticated",
        "message": (
            "The request has no valid API token. Send 'Authorization: Bearer <token>' with a "
            "token from 'cpmp token create' that has not expired or been revoked."
        ),
        "fields": {},
    }
}


def _assert_not_authenticated(response) -> None:
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == EXPECTED_BODY


def test_missing_header_gets_401(api_client: ApiClient) -> None:
    _assert_not_authenticated(api_client.get(URL))


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token cpmp_x", "Bearer cpmp_unknown", "Bearer x"],
)
def test_malformed_or_unknown_token_gets_401(api_client: ApiClient, header: str) -> None:
    _assert_not_authenticated(api_client.get(URL, HTTP_AUTHORIZATION=header))


def test_expired_token_gets_401(api_client: ApiClient, token_for: Callable[..., str]) -> None:
    token = token_for(a_gatekeeper(), now=timezone.now() - timedelta(days=2), lifetime_days=1)
    _assert_not_authenticated(api_client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}"))


def test_revoked_token_gets_401(api_client: ApiClient, token_for: Callable[..., str]) -> None:
    token = token_for(a_gatekeeper())
    ApiToken.objects.update(revoked_at=timezone.now())
    _assert_not_authenticated(api_client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}"))


def test_inactive_user_gets_401(api_client: ApiClient, token_for: Callable[..., str]) -> None:
    user = a_gatekeeper()
    token = token_for(user)
    user.is_active = False
    user.save()
    _assert_not_authenticated(api_client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}"))


def test_valid_token_is_accepted(api_client: ApiClient, token_for: Callable[..., str]) -> None:
    token = token_for(a_gatekeeper())
    response = api_client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


def test_use_records_last_used_at(api_client: ApiClient, token_for: Callable[..., str]) -> None:
    token = token_for(a_gatekeeper())
    assert ApiToken.objects.get().last_used_at is None
    api_client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert ApiToken.objects.get().last_used_at is not None


def _signed_in_client(user: User, **options: Any) -> Client:
    """Return a client whose session is signed in with the second factor passed.

    The session is written directly, as ``SignedInClient.force_login`` would leave it, without
    sending the sign-in signal, so the test needs no client address.
    """
    client = Client(**options)
    session = client.session
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session[SIGNED_IN_AT_SESSION_KEY] = timezone.now().timestamp()
    session.save()
    return client


def test_signed_in_session_opens_pages(api_client: ApiClient) -> None:
    client = _signed_in_client(a_gatekeeper())
    assert client.get("/authorisations/").status_code == 200


def test_session_is_not_accepted(api_client: ApiClient) -> None:
    # The skip check in api_client runs first, so the API is reachable here.
    client = _signed_in_client(a_gatekeeper())
    _assert_not_authenticated(client.get(URL))


def test_post_needs_no_csrf_token_but_a_bearer(api_client: ApiClient) -> None:
    client = _signed_in_client(a_gatekeeper(), enforce_csrf_checks=True)
    response = client.post("/api/central-record-imports/1/confirm")
    _assert_not_authenticated(response)


def test_openapi_document_needs_token(api_client: ApiClient) -> None:
    _assert_not_authenticated(api_client.get("/api/openapi.json"))


def test_token_of_person_without_role_authenticates(
    api_client: ApiClient, token_for: Callable[..., str]
) -> None:
    token = token_for(make_user(None))
    response = api_client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
