"""Who may open which page: every persona against every page, allowed and denied."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cpmp.oversight.models import CentralRecordImport
from tests.factories import PERSONAS, an_inspector, make_authorisation, make_user

pytestmark = pytest.mark.django_db

# An authorising officer sees an operation's records only once in its team, so outside every
# team the register is closed to them.
REGISTER_READERS = {"gatekeeper", "inspector"}
IMPORTERS = {"gatekeeper"}


@pytest.fixture
def record_id() -> int:
    return make_authorisation().pk


@pytest.fixture
def import_id() -> int:
    batch = CentralRecordImport.objects.create(
        file_name="register.csv",
        sha256="0" * 64,
        content=b"x",
        as_at="2024-03-31",
        state="previewed",
        report={"records": [], "skipped": []},
    )
    return batch.pk


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_register_access(client: Client, persona: str) -> None:
    client.force_login(PERSONAS[persona]())
    response = client.get(reverse("authorities:register"))
    if persona in REGISTER_READERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "You do not have access to this page" in response.content.decode()


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_detail_access(client: Client, persona: str, record_id: int) -> None:
    client.force_login(PERSONAS[persona]())
    response = client.get(reverse("authorities:detail", args=[record_id]))
    expected = 200 if persona in REGISTER_READERS else 404
    assert response.status_code == expected


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_import_start_access(client: Client, persona: str) -> None:
    client.force_login(PERSONAS[persona]())
    response = client.get(reverse("oversight:import-start"))
    expected = 200 if persona in IMPORTERS else 403
    assert response.status_code == expected


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_import_detail_access(client: Client, persona: str, import_id: int) -> None:
    client.force_login(PERSONAS[persona]())
    response = client.get(reverse("oversight:import-detail", args=[import_id]))
    expected = 200 if persona in IMPORTERS else 404
    assert response.status_code == expected


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - IMPORTERS))
def test_import_confirm_denied(client: Client, persona: str, import_id: int) -> None:
    client.force_login(PERSONAS[persona]())
    response = client.post(reverse("oversight:import-confirm", args=[import_id]))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_navigation_shows_only_allowed_links(client: Client, persona: str) -> None:
    client.force_login(PERSONAS[persona]())
    content = client.get(reverse("web:home"), follow=True).content.decode()
    register_link = (
        f'class="govuk-service-navigation__link" href="{reverse("authorities:register")}"'
    )
    import_link = (
        f'class="govuk-service-navigation__link" href="{reverse("oversight:import-start")}"'
    )
    assert (register_link in content) == (persona in REGISTER_READERS)
    assert (import_link in content) == (persona in IMPORTERS)


def test_missing_record_looks_like_denied(client: Client, record_id: int) -> None:
    client.force_login(PERSONAS["applicant"]())
    denied = client.get(reverse("authorities:detail", args=[record_id]))
    missing = client.get(reverse("authorities:detail", args=[record_id + 1000]))
    assert denied.status_code == missing.status_code == 404
    # The pages differ only in the per-response CSRF token of the sign-out form.
    assert _without_csrf_token(denied.content) == _without_csrf_token(missing.content)


def _without_csrf_token(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_lapsed_inspector_is_denied(client: Client) -> None:
    client.force_login(an_inspector(expires_at=timezone.now() - timedelta(days=1)))
    assert client.get(reverse("authorities:register")).status_code == 403


def test_inactive_reader_is_signed_out(client: Client) -> None:
    user = make_user("gatekeeper", is_active=False)
    client.force_login(user)
    response = client.get(reverse("authorities:register"))
    assert response.status_code == 302
