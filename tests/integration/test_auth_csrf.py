"""Every form that changes something rejects a post without its CSRF token."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cpmp.oversight.models import CentralRecordImport
from tests.factories import PASSWORD, SignedInClient, a_gatekeeper, an_administrator

pytestmark = pytest.mark.django_db


def _rejected(response: object) -> None:
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "Your form could not be sent" in response.content.decode()  # type: ignore[attr-defined]


def test_sign_in_without_token_is_rejected() -> None:
    user = a_gatekeeper()
    client = Client(enforce_csrf_checks=True)
    _rejected(client.post(reverse("web:login"), {"username": user.username, "password": PASSWORD}))
    assert "_auth_user_id" not in client.session


def test_sign_out_without_token_is_rejected() -> None:
    client = SignedInClient(enforce_csrf_checks=True)
    client.force_login(a_gatekeeper())
    _rejected(client.post(reverse("web:logout")))
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("url_name", ["web:second-factor", "web:second-factor-set-up"])
def test_second_factor_without_token_is_rejected(url_name: str) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(a_gatekeeper())
    _rejected(client.post(reverse(url_name), {"code": "123456"}))


def test_import_upload_without_token_is_rejected() -> None:
    client = SignedInClient(enforce_csrf_checks=True)
    client.force_login(a_gatekeeper())
    upload = SimpleUploadedFile("register.csv", b"URN\nDS/1\n", content_type="text/csv")
    response = client.post(
        reverse("oversight:import-start"),
        {"file": upload, "as_at-day": "31", "as_at-month": "3", "as_at-year": "2024"},
    )
    _rejected(response)
    assert CentralRecordImport.objects.count() == 0


def test_import_confirm_without_token_is_rejected() -> None:
    batch = CentralRecordImport.objects.create(
        file_name="register.csv",
        sha256="0" * 64,
        content=b"x",
        as_at="2024-03-31",
        state="previewed",
        report={"records": [], "skipped": []},
    )
    client = SignedInClient(enforce_csrf_checks=True)
    client.force_login(a_gatekeeper())
    _rejected(client.post(reverse("oversight:import-confirm", args=[batch.pk])))
    batch.refresh_from_db()
    assert batch.state == "previewed"


def test_admin_change_without_token_is_rejected() -> None:
    client = SignedInClient(enforce_csrf_checks=True)
    administrator = an_administrator()
    client.force_login(administrator)
    other = a_gatekeeper()
    response = client.post(
        reverse("admin:access_user_change", args=[other.pk]),
        {"username": "renamed", "is_active": "on"},
    )
    _rejected(response)
    other.refresh_from_db()
    assert other.username != "renamed"
