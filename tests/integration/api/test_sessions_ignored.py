"""The API answers by bearer token alone: a browser session neither opens it nor redirects it."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import a_gatekeeper


@pytest.mark.django_db
def test_api_without_token_is_401_not_sign_in_redirect() -> None:
    response = Client().get("/api/authorisations")
    assert response.status_code == 401
    assert response.json()["error"]["code"]


@pytest.mark.django_db
def test_api_ignores_session_owing_second_factor() -> None:
    client = Client()
    # A plain client's force_login passes the password but not the second factor.
    client.force_login(a_gatekeeper())

    response = client.get("/api/authorisations")

    assert response.status_code == 401
    assert "Location" not in response
