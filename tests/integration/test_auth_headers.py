"""Security headers, the Content Security Policy and no-store caching on every page."""

from __future__ import annotations

import importlib

import pytest
from cryptography.fernet import Fernet
from django.test import Client
from django.urls import reverse

from tests.factories import a_gatekeeper

pytestmark = pytest.mark.django_db

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def _directives(header: str) -> dict[str, str]:
    parts = [part.strip().split(" ", 1) for part in header.split(";") if part.strip()]
    return dict(parts)


@pytest.fixture
def pages(client: Client) -> list[tuple[str, object]]:
    """The sign-in page signed out, then signed-in pages, with their responses."""
    anonymous = [("sign-in", client.get(reverse("web:login")))]
    client.force_login(a_gatekeeper())
    return [
        *anonymous,
        ("register", client.get(reverse("authorities:register"))),
        ("import", client.get(reverse("oversight:import-start"))),
        ("not found", client.get("/no-such-page/")),
    ]


def test_content_security_policy(pages: list[tuple[str, object]]) -> None:
    for name, response in pages:
        assert _directives(response["Content-Security-Policy"]) == EXPECTED_CSP, name  # type: ignore[index]


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ],
)
def test_security_header(pages: list[tuple[str, object]], header: str, value: str) -> None:
    for name, response in pages:
        assert response[header] == value, name  # type: ignore[index]


def test_permissions_policy_switches_features_off(pages: list[tuple[str, object]]) -> None:
    for name, response in pages:
        policy = response["Permissions-Policy"]  # type: ignore[index]
        features = dict(item.strip().split("=") for item in policy.split(","))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()", (name, feature)


def test_pages_are_never_cached(pages: list[tuple[str, object]]) -> None:
    for name, response in pages:
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}  # type: ignore[index]
        assert {"no-store", "private", "no-cache"} <= cache_control, name


def test_templates_have_no_inline_script_or_style(pages: list[tuple[str, object]]) -> None:
    for name, response in pages:
        content = response.content.decode()  # type: ignore[attr-defined]
        assert "<script>" not in content, name
        assert " style=" not in content, name
        assert "<style" not in content, name


def test_production_sends_hsts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPMP_SECRET_KEY", "settings-test-secret-key")
    monkeypatch.setenv("CPMP_AUDIT_KEY", "settings-test-audit-key")
    monkeypatch.setenv("CPMP_FIELD_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    production = importlib.import_module("cpmp.config.settings.production")
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.SESSION_COOKIE_SECURE is True
    assert production.CSRF_COOKIE_SECURE is True
