"""The page for one authorisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cpmp.oversight.models import CentralRecordImport
from tests.factories import an_administrator, an_inspector, make_authorisation

pytestmark = pytest.mark.django_db


def test_detail_shows_every_fact(client: Client) -> None:
    batch = CentralRecordImport.objects.create(
        file_name="police_cab_register.csv",
        sha256="0" * 64,
        content=b"x",
        as_at="2024-03-31",
        state="stored",
    )
    record = make_authorisation(
        origin="imported",
        reference="DS/2022/087",
        kind="directed-surveillance",
        operation="Op Gingerbread",
        urgent=True,
        granted="2022-12-15T11:00:00+00:00",
        takes_effect="2022-12-15",
        cancelled="2023-05",
        expires_at=timezone.now() + timedelta(days=30),
        expires_latest=timezone.now() + timedelta(days=30),
        findings=["review_overdue", "not_a_known_code"],
        details={
            "Reviews Held": "12/01/2023; 09/02/2023",
            "Authorising Officer (rank)": "Supt",
            "JC Notified / Approved": "",
            "renewals": ["14/03/2023"],
            "nested": {"a": 1},
        },
        import_batch=batch,
        source_record=5,
    )
    client.force_login(an_inspector())
    response = client.get(reverse("authorities:detail", args=[record.pk]))
    content = response.content.decode()

    assert response.status_code == 200
    assert "DS/2022/087" in content
    assert "Op Gingerbread" in content
    assert "15 December 2022, 11am" in content
    assert "15 December 2022" in content
    assert "May 2023" in content
    assert 'govuk-tag--green">Live<' in content
    assert "Time left" in content
    assert "A review fell due and none was recorded within 7 days" in content
    assert "not_a_known_code" in content
    assert "12/01/2023; 09/02/2023" in content
    assert "Authorising Officer (rank)" in content
    assert "14/03/2023" in content
    assert "&quot;a&quot;: 1" in content
    assert "police_cab_register.csv, as at 31 March 2024" in content
    assert "Source record number" in content


def test_detail_hidden_from_administrator(client: Client) -> None:
    record = make_authorisation()
    client.force_login(an_administrator())
    response = client.get(reverse("authorities:detail", args=[record.pk]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert record.reference not in response.content.decode()
