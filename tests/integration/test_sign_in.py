"""Signing in and out, and the login requirement on every page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cpmp.oversight.models import CentralRecordImport
from tests.factories import (
    PASSWORD,
    a_gatekeeper,
    authenticator,
    current_code,
    make_authorisation,
)

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_public(client: Client) -> None:
    response = client.get(reverse("web:login"))
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_sign_in_then_code_then_register(client: Client) -> None:
    gatekeeper = a_gatekeeper()
    response = client.post(
        reverse("web:login"), {"username": gatekeeper.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("authorities:register")

    response = client.get(reverse("authorities:register"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:second-factor"))

    response = client.post(response["Location"], {"code": current_code(authenticator(gatekeeper))})
    assert response.status_code == 302
    assert response["Location"] == reverse("authorities:register")
    assert client.get(reverse("authorities:register")).status_code == 200


def test_sign_in_without_username(client: Client) -> None:
    response = client.post(reverse("web:login"), {"username": "", "password": ""})
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert '<a href="#id_username">Enter your username</a>' in content
    assert '<a href="#id_password">Enter your password</a>' in content
    assert "<title>Error: Sign in" in content


def test_sign_in_with_wrong_password(client: Client) -> None:
    gatekeeper = a_gatekeeper()
    response = client.post(
        reverse("web:login"), {"username": gatekeeper.username, "password": "not-the-password"}
    )
    assert "The username or password is wrong" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_user_gets_same_message(client: Client) -> None:
    response = client.post(reverse("web:login"), {"username": "nobody", "password": "x" * 12})
    assert "The username or password is wrong" in response.content.decode()


def test_sign_out_needs_post(client: Client) -> None:
    client.force_login(a_gatekeeper())
    assert client.get(reverse("web:logout")).status_code == 405
    assert "_auth_user_id" in client.session

    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:login")
    assert "_auth_user_id" not in client.session


def test_signed_in_page_shows_name_and_sign_out(client: Client) -> None:
    client.force_login(a_gatekeeper())
    content = client.get(reverse("authorities:register")).content.decode()
    assert "Signed in as Gareth Gatekeeper" in content
    assert f'action="{reverse("web:logout")}"' in content


def _protected_urls() -> list[tuple[str, str]]:
    record = make_authorisation()
    batch = CentralRecordImport.objects.create(
        file_name="register.csv",
        sha256="0" * 64,
        content=b"x",
        as_at="2024-03-31",
        state="previewed",
    )
    return [
        ("GET", reverse("web:home")),
        ("GET", reverse("authorities:register")),
        ("GET", reverse("authorities:detail", args=[record.pk])),
        ("GET", reverse("oversight:import-start")),
        ("POST", reverse("oversight:import-start")),
        ("GET", reverse("oversight:import-detail", args=[batch.pk])),
        ("POST", reverse("oversight:import-confirm", args=[batch.pk])),
        ("GET", "/no-such-page/"),
    ]


def test_every_page_redirects_anonymous_visitor(client: Client) -> None:
    for method, url in _protected_urls():
        response = client.generic(method, url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("web:login") + "?next="), (method, url)
