"""Recording an error someone noticed, through its page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cpmp.audit.models import AuditEvent
from cpmp.oversight.errors_register.models import ErrorStatus, RelevantError
from tests.factories import a_gatekeeper, an_applicant

pytestmark = pytest.mark.django_db

NEW = reverse("errors:new")


def _category() -> str:
    return RelevantError._meta.get_field("category").choices[0][0]  # type: ignore[index]


def test_gatekeeper_records_candidate_error(client: Client) -> None:
    client.force_login(a_gatekeeper())

    response = client.post(
        NEW, {"summary": "Camera left in place after cancellation.", "category": _category()}
    )

    error = RelevantError.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("errors:detail", args=[error.pk])
    assert error.status == ErrorStatus.CANDIDATE
    assert AuditEvent.objects.filter(event_type="relevant_error.raised").count() == 1


def test_blank_form_shows_each_problem(client: Client) -> None:
    client.force_login(a_gatekeeper())

    page = client.post(NEW, {}).content.decode()

    assert "Enter what happened" in page
    assert "Select the kind of error" in page
    assert not RelevantError.objects.exists()


def test_future_date_refused(client: Client) -> None:
    client.force_login(a_gatekeeper())
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    page = client.post(
        NEW, {"summary": "Something.", "category": _category(), "occurred_on": tomorrow}
    ).content.decode()

    assert "Enter a date that is not in the future" in page
    assert not RelevantError.objects.exists()


def test_applicant_may_not_record(client: Client) -> None:
    client.force_login(an_applicant())
    assert client.get(NEW).status_code == 403
