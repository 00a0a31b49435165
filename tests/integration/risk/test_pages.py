"""The risk form pages: create, revise with a reason, and accept a high risk at its level."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cpmp.risk.models import RiskAcceptance, RiskAssessment
from tests.factories import SignedInClient
from tests.integration.sources.builders import SourceUnit, assess, version_content

pytestmark = pytest.mark.django_db


def signed_in(user) -> SignedInClient:  # type: ignore[no-untyped-def]
    client = SignedInClient()
    client.force_login(user)
    return client


def test_create_page_creates_source_assessment() -> None:
    unit = SourceUnit()
    client = signed_in(unit.handler)
    page = client.get(reverse("risk:create"))
    assert page.status_code == 200
    assert unit.source.reference in page.content.decode()

    content = version_content(likelihood="3", impact="3")
    response = client.post(
        reverse("risk:create"), {"subject_type": "source", "source": unit.source.pk, **content}
    )
    assert response.status_code == 302
    assessment = RiskAssessment.objects.get(source=unit.source)
    assert assessment.versions.get().band == "medium"


def test_create_page_lists_each_problem() -> None:
    unit = SourceUnit()
    response = signed_in(unit.handler).post(
        reverse("risk:create"),
        {"subject_type": "source", "source": unit.source.pk, "likelihood": "9"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'href="#likelihood"' in body
    assert "Enter the likelihood as a whole number from 1 to 5" in body
    assert 'href="#review_on"' in body
    assert not RiskAssessment.objects.exists()


def test_create_page_refuses_person_who_assesses_nothing() -> None:
    unit = SourceUnit()
    assert signed_in(unit.senior).get(reverse("risk:create")).status_code == 403


def test_revise_page_adds_version_with_reason() -> None:
    unit = SourceUnit()
    assessment = assess(unit)
    url = reverse("risk:revise", kwargs={"assessment_id": assessment.pk})
    client = signed_in(unit.controller)
    page = client.get(url)
    assert page.status_code == 200
    assert "Exposure to the subject" in page.content.decode()

    missing_reason = client.post(url, version_content(reason=""))
    assert missing_reason.status_code == 400
    assert "Enter why this version is being made" in missing_reason.content.decode()

    response = client.post(url, version_content(likelihood=4, impact=3, reason="New associate."))
    assert response.status_code == 302
    assert list(assessment.versions.values_list("number", "band")) == [(1, "low"), (2, "high")]


def test_accept_page_needs_right_level() -> None:
    unit = SourceUnit()
    assessment = assess(unit, likelihood=5, impact=4)
    url = reverse("risk:accept", kwargs={"assessment_id": assessment.pk})

    assert signed_in(unit.handler).get(url).status_code == 403
    senior = signed_in(unit.senior)
    assert senior.get(url).status_code == 200
    refused = senior.post(url, {"rationale": "Mitigations are strong."})
    assert refused.status_code == 400
    assert "must be accepted by the senior responsible officer" in refused.content.decode()

    accepted = signed_in(unit.sro).post(url, {"rationale": "Mitigations are strong."})
    assert accepted.status_code == 302
    assert RiskAcceptance.objects.get().role == "senior-responsible-officer"


def test_accept_page_needs_rationale() -> None:
    unit = SourceUnit()
    review_on = (timezone.now() + timedelta(days=10)).date().isoformat()
    assessment = assess(unit, likelihood=4, impact=3, review_on=review_on)
    url = reverse("risk:accept", kwargs={"assessment_id": assessment.pk})
    response = signed_in(unit.senior).post(url, {"rationale": " "})
    assert response.status_code == 400
    assert "Enter why you accept this risk" in response.content.decode()
    assert not RiskAcceptance.objects.exists()
