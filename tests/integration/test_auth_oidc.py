"""OpenID Connect sign-in: off by default, and mapping claims to existing accounts only.

No test makes a network call: the token and user info exchanges are patched at the function
level, and ``requests`` inside mozilla-django-oidc is replaced by a stub that fails if called.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from cpmp.access.models import OrganisationIdentity, User
from cpmp.access.oidc import OrganisationAccountBackend
from cpmp.access.roles import Role
from tests.factories import authenticator, current_code, make_user

pytestmark = pytest.mark.django_db

CLIENT_ID = "cpmp-test-client"
TENANT = "00000000-0000-0000-0000-0000000000aa"
ISSUER = f"https://login.microsoftonline.com/{TENANT}/v2.0"
# Never contacted: every exchange is patched. Loopback, in case a patch were ever missed.
UNUSED_ENDPOINT = "http://127.0.0.1:9/oidc"

ENABLED = override_settings(
    CPMP_OIDC_ENABLED=True,
    CPMP_OIDC_CLIENT_ID=CLIENT_ID,
    CPMP_OIDC_TENANT_ID=TENANT,
    CPMP_OIDC_ISSUER=ISSUER,
    CPMP_OIDC_MATCH_CLAIM="preferred_username",
    OIDC_RP_CLIENT_ID=CLIENT_ID,
    OIDC_RP_CLIENT_SECRET="test-only-secret",
    OIDC_OP_AUTHORIZATION_ENDPOINT=f"{UNUSED_ENDPOINT}/authorize",
    OIDC_OP_TOKEN_ENDPOINT=f"{UNUSED_ENDPOINT}/token",
    OIDC_OP_JWKS_ENDPOINT=f"{UNUSED_ENDPOINT}/keys",
    OIDC_OP_USER_ENDPOINT="",
    AUTHENTICATION_BACKENDS=[
        *settings.AUTHENTICATION_BACKENDS,
        "cpmp.access.oidc.OrganisationAccountBackend",
    ],
)


@pytest.fixture(autouse=True)
def no_network() -> Iterator[mock.MagicMock]:
    with mock.patch("mozilla_django_oidc.auth.requests") as stub:
        stub.get.side_effect = AssertionError("a test tried to reach the network")
        stub.post.side_effect = AssertionError("a test tried to reach the network")
        yield stub


def _claims(**changes: Any) -> dict[str, Any]:
    claims = {
        "aud": CLIENT_ID,
        "iss": ISSUER,
        "tid": TENANT,
        "oid": "11111111-2222-3333-4444-555555555555",
        "preferred_username": "olwen.officer@force.example",
        "email": "olwen.officer@force.example",
        "name": "Olwen Officer",
    }
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


def _backend() -> OrganisationAccountBackend:
    backend = OrganisationAccountBackend()
    backend.request = RequestFactory().get("/")
    return backend


def _map(claims: dict[str, Any]) -> User | None:
    backend = _backend()
    return backend.get_or_create_user("access-token", "id-token", claims)  # type: ignore[no-any-return]


# Off by default


def test_disabled_without_settings() -> None:
    assert settings.CPMP_OIDC_ENABLED is False
    assert "cpmp.access.oidc.OrganisationAccountBackend" not in settings.AUTHENTICATION_BACKENDS


def test_no_default_endpoints() -> None:
    for name in (
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "CPMP_OIDC_ISSUER",
    ):
        assert getattr(settings, name) == "", name


def test_sign_in_page_has_no_organisation_button() -> None:
    content = Client().get(reverse("web:login")).content.decode()
    assert "Sign in with your organisation account" not in content


@pytest.mark.parametrize("url_name", ["web:oidc-start", "web:oidc-callback"])
def test_organisation_pages_not_found_when_disabled(url_name: str) -> None:
    assert Client().get(reverse(url_name)).status_code == 404


def _settings_with(environment: dict[str, str]) -> dict[str, Any]:
    """Load the base settings in a fresh interpreter with ``environment`` and return some."""
    script = (
        "import json, cpmp.config.settings.base as s; print(json.dumps({"
        "'enabled': s.CPMP_OIDC_ENABLED, 'backends': s.AUTHENTICATION_BACKENDS, "
        "'authorize': s.OIDC_OP_AUTHORIZATION_ENDPOINT, 'token': s.OIDC_OP_TOKEN_ENDPOINT, "
        "'keys': s.OIDC_OP_JWKS_ENDPOINT, 'issuer': s.CPMP_OIDC_ISSUER}))"
    )
    clean = {key: value for key, value in os.environ.items() if not key.startswith("CPMP_OIDC")}
    output = subprocess.run(  # noqa: S603 (this interpreter, with a fixed script)
        [sys.executable, "-c", script],
        env={**clean, **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout)  # type: ignore[no-any-return]


def test_client_id_alone_does_not_enable() -> None:
    loaded = _settings_with({"CPMP_OIDC_CLIENT_ID": CLIENT_ID, "CPMP_OIDC_CLIENT_SECRET": "x"})
    assert loaded["enabled"] is False
    assert loaded["authorize"] == ""


def test_tenant_id_sets_entra_endpoints() -> None:
    loaded = _settings_with(
        {
            "CPMP_OIDC_CLIENT_ID": CLIENT_ID,
            "CPMP_OIDC_CLIENT_SECRET": "x",
            "CPMP_OIDC_TENANT_ID": TENANT,
        }
    )
    assert loaded["enabled"] is True
    assert "cpmp.access.oidc.OrganisationAccountBackend" in loaded["backends"]
    base = f"https://login.microsoftonline.com/{TENANT}"
    assert loaded["authorize"] == f"{base}/oauth2/v2.0/authorize"
    assert loaded["token"] == f"{base}/oauth2/v2.0/token"
    assert loaded["keys"] == f"{base}/discovery/v2.0/keys"
    assert loaded["issuer"] == ISSUER


def test_explicit_endpoints_enable_without_tenant() -> None:
    loaded = _settings_with(
        {
            "CPMP_OIDC_CLIENT_ID": CLIENT_ID,
            "CPMP_OIDC_CLIENT_SECRET": "x",
            "CPMP_OIDC_AUTHORIZATION_ENDPOINT": f"{UNUSED_ENDPOINT}/authorize",
            "CPMP_OIDC_TOKEN_ENDPOINT": f"{UNUSED_ENDPOINT}/token",
            "CPMP_OIDC_JWKS_ENDPOINT": f"{UNUSED_ENDPOINT}/keys",
        }
    )
    assert loaded["enabled"] is True
    assert loaded["issuer"] == ""


# Mapping claims to accounts


@ENABLED
def test_button_shown_when_enabled() -> None:
    content = Client().get(reverse("web:login") + "?next=/authorisations/").content.decode()
    assert "Sign in with your organisation account" in content
    assert f'href="{reverse("web:oidc-start")}?next=/authorisations/"' in content


@ENABLED
def test_preferred_username_maps_to_username() -> None:
    user = make_user(Role.APPLICANT, username="Olwen.Officer@force.example")
    assert _map(_claims()) == user


@ENABLED
@override_settings(CPMP_OIDC_MATCH_CLAIM="email")
def test_email_maps_to_email_address() -> None:
    user = make_user(Role.APPLICANT)
    user.email = "OLWEN.OFFICER@force.example"
    user.save()
    assert _map(_claims(preferred_username="someone-else")) == user


@ENABLED
@override_settings(CPMP_OIDC_MATCH_CLAIM="oid")
def test_oid_maps_to_linked_object_id() -> None:
    user = make_user(Role.APPLICANT)
    OrganisationIdentity.objects.create(user=user, object_id=_claims()["oid"])
    assert _map(_claims(preferred_username="someone-else")) == user


@ENABLED
def test_unknown_person_gets_no_account() -> None:
    make_user(Role.APPLICANT, username="somebody-else")
    users_before = User.objects.count()
    assert _map(_claims()) is None
    assert User.objects.count() == users_before


@ENABLED
def test_inactive_account_is_not_matched() -> None:
    make_user(Role.APPLICANT, username="olwen.officer@force.example", is_active=False)
    assert _map(_claims()) is None


@ENABLED
def test_claims_never_change_account() -> None:
    user = make_user(Role.APPLICANT, username="olwen.officer@force.example")
    _map(_claims(name="Another Name", given_name="Another", family_name="Name"))
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Test", "Person")
    assert set(user.role_assignments.values_list("role", flat=True)) == {Role.APPLICANT}


@ENABLED
@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "another-application"},
        {"aud": None},
        {"iss": "https://login.microsoftonline.com/another-tenant/v2.0"},
        {"tid": "another-tenant"},
        {"preferred_username": None},
        {"preferred_username": "  "},
    ],
)
def test_unexpected_claims_are_refused(changes: dict[str, Any]) -> None:
    make_user(Role.APPLICANT, username="olwen.officer@force.example")
    # authenticate() turns this into a failed sign-in.
    with pytest.raises(SuspiciousOperation, match="Claims verification failed"):
        _map(_claims(**changes))


@ENABLED
def test_audience_list_containing_cpmp_is_accepted() -> None:
    user = make_user(Role.APPLICANT, username="olwen.officer@force.example")
    assert _map(_claims(aud=["another-application", CLIENT_ID])) == user


@ENABLED
@override_settings(CPMP_OIDC_MATCH_CLAIM="name")
def test_unsupported_match_claim_is_configuration_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="CPMP_OIDC_MATCH_CLAIM"):
        _map(_claims())


@ENABLED
def test_organisation_sign_in_then_second_factor() -> None:
    """The whole flow through the pages, with the provider's two exchanges patched."""
    user = make_user(Role.GATEKEEPER, username="olwen.officer@force.example")
    client = Client()

    start = client.get(reverse("web:oidc-start") + "?next=/authorisations/")
    assert start.status_code == 302
    assert start["Location"].startswith(f"{UNUSED_ENDPOINT}/authorize?")
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    state = query["state"][0]
    nonce = query["nonce"][0]

    with (
        mock.patch.object(
            OrganisationAccountBackend,
            "get_token",
            return_value={"id_token": "signed-id-token", "access_token": "access-token"},
        ),
        mock.patch.object(
            OrganisationAccountBackend, "verify_token", return_value=_claims(nonce=nonce)
        ),
    ):
        callback = client.get(reverse("web:oidc-callback"), {"code": "code", "state": state})

    assert callback.status_code == 302
    assert callback["Location"] == "/authorisations/"
    assert client.session["_auth_user_id"] == str(user.pk)
    # Signed in by the provider, but a privileged role still needs CPMP's own second factor.
    response = client.get("/authorisations/")
    assert response["Location"].startswith(reverse("web:second-factor"))
    response = client.post(response["Location"], {"code": current_code(authenticator(user))})
    assert client.get("/authorisations/").status_code == 200


@ENABLED
def test_failed_organisation_sign_in_shows_error() -> None:
    client = Client()
    start = client.get(reverse("web:oidc-start"))
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    with (
        mock.patch.object(
            OrganisationAccountBackend,
            "get_token",
            return_value={"id_token": "signed-id-token", "access_token": "access-token"},
        ),
        mock.patch.object(OrganisationAccountBackend, "verify_token", return_value=_claims()),
    ):
        callback = client.get(reverse("web:oidc-callback"), {"code": "code", "state": state})

    assert callback["Location"] == settings.LOGIN_REDIRECT_URL_FAILURE
    content = client.get(callback["Location"]).content.decode()
    assert "You could not be signed in with your organisation account" in content
    assert "_auth_user_id" not in client.session
