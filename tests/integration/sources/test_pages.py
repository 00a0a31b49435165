"""The source record form pages post to the same actions, with GOV.UK error summaries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from cpmp.audit.models import AuditEvent
from cpmp.sources.models import Payment, PaymentState, Tasking, TriageDecision, WelfareNote
from cpmp.sources.triage import QUESTIONS
from tests.factories import SignedInClient

from .builders import SourceUnit, assess, live_chis

pytestmark = pytest.mark.django_db


def signed_in(user) -> SignedInClient:  # type: ignore[no-untyped-def]
    client = SignedInClient()
    client.force_login(user)
    return client


def test_tasking_page_tasks_source() -> None:
    unit = SourceUnit()
    assess(unit)
    authorisation, items = live_chis(unit)
    url = reverse("sources:tasking-add", kwargs={"source_id": unit.source.pk})
    client = signed_in(unit.handler)

    page = client.get(url)
    assert page.status_code == 200
    assert authorisation.reference in page.content.decode()

    response = client.post(
        url,
        {
            "authorisation": authorisation.pk,
            "conduct": [items[0].pk],
            "description": "Attend the Tuesday meeting.",
        },
    )
    assert response.status_code == 302
    tasking = Tasking.objects.get(source=unit.source)
    assert list(tasking.conduct.all()) == items
    assert AuditEvent.objects.filter(event_type="source.tasked", object_id=str(tasking.pk)).exists()


def test_tasking_page_lists_every_refusal() -> None:
    unit = SourceUnit()
    url = reverse("sources:tasking-add", kwargs={"source_id": unit.source.pk})
    response = signed_in(unit.handler).post(url, {"description": "Attend."})
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body
    assert "The source has no risk assessment" in body
    assert "There is no live CHIS authorisation for this source" in body
    assert not Tasking.objects.exists()


def test_tasking_page_rejects_unreadable_start() -> None:
    unit = SourceUnit()
    url = reverse("sources:tasking-add", kwargs={"source_id": unit.source.pk})
    response = signed_in(unit.handler).post(url, {"description": "A.", "starts_at": "Tuesday"})
    assert response.status_code == 400
    assert "Enter the start as a date and time" in response.content.decode()


def test_payment_pages_need_second_approver() -> None:
    unit = SourceUnit()
    add_url = reverse("sources:payment-add", kwargs={"source_id": unit.source.pk})
    response = signed_in(unit.handler).post(
        add_url, {"kind": "payment", "amount": "750.00", "purpose": "Reward for information."}
    )
    assert response.status_code == 302
    payment = Payment.objects.get(source=unit.source)
    assert payment.amount == Decimal("750.00")
    assert payment.approvals_required == 2

    decide_url = reverse("sources:payment-decide", kwargs={"payment_id": payment.pk})
    controller = signed_in(unit.controller)
    assert controller.get(decide_url).status_code == 200
    assert controller.post(decide_url, {"decision": "approve"}).status_code == 302
    again = controller.post(decide_url, {"decision": "approve"})
    assert again.status_code == 400
    assert "second approver must be someone else" in again.content.decode()

    second = signed_in(unit.second_controller).post(decide_url, {"decision": "approve"})
    assert second.status_code == 302
    payment.refresh_from_db()
    assert payment.state == PaymentState.APPROVED


def test_payment_page_shows_field_errors() -> None:
    unit = SourceUnit()
    url = reverse("sources:payment-add", kwargs={"source_id": unit.source.pk})
    response = signed_in(unit.handler).post(url, {"kind": "payment", "amount": "lots"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'href="#amount"' in body
    assert "Enter the amount in pounds and pence" in body
    assert "Enter what the payment is for" in body
    assert not Payment.objects.exists()


def test_payment_decide_page_refuses_non_approver() -> None:
    unit = SourceUnit()
    payment = Payment.objects.create(
        source=unit.source,
        kind="payment",
        amount="10.00",
        purpose="Travel.",
        approvals_required=1,
        senior_approval_required=False,
        high_risk_source=False,
        live_authorisation_at_request=False,
        requested_by=unit.handler,
        requested_at=unit.source.created_at,
    )
    url = reverse("sources:payment-decide", kwargs={"payment_id": payment.pk})
    assert signed_in(unit.handler).get(url).status_code == 403
    requester = signed_in(unit.controller).post(url, {"decision": "refuse"})
    assert requester.status_code == 400
    assert "Enter why you refuse the payment" in requester.content.decode()


def test_welfare_page_records_concern() -> None:
    unit = SourceUnit()
    url = reverse("sources:welfare-add", kwargs={"source_id": unit.source.pk})
    client = signed_in(unit.controller)
    assert client.post(url, {"note": ""}).status_code == 400
    response = client.post(url, {"note": "Says they feel watched.", "concern": "yes"})
    assert response.status_code == 302
    note = WelfareNote.objects.get(source=unit.source)
    assert note.concern


def test_triage_page_rejects_covert_not_a_chis() -> None:
    unit = SourceUnit()
    url = reverse("sources:triage-add", kwargs={"source_id": unit.source.pk})
    client = signed_in(unit.controller)
    page = client.get(url)
    assert page.status_code == 200
    for text in QUESTIONS.values():
        assert text.replace("'", "&#x27;") in page.content.decode()

    answers = dict.fromkeys(QUESTIONS, "no") | {"asked_to_obtain": "yes"}
    refused = client.post(url, {**answers, "outcome": "not-a-chis", "rationale": "A witness."})
    assert refused.status_code == 400
    assert "the person is a CHIS" in refused.content.decode()

    recorded = client.post(
        url, {**answers, "outcome": "seek-authorisation", "rationale": "Asked to obtain."}
    )
    assert recorded.status_code == 302
    assert TriageDecision.objects.get(source=unit.source).outcome == "seek-authorisation"


def test_triage_page_marks_each_unanswered_question() -> None:
    unit = SourceUnit()
    url = reverse("sources:triage-add", kwargs={"source_id": unit.source.pk})
    response = signed_in(unit.controller).post(url, {})
    body = response.content.decode()
    assert response.status_code == 400
    for key in QUESTIONS:
        assert f'href="#{key}"' in body
    assert body.count("Answer yes or no") == 2 * len(QUESTIONS)
