"""Payment approval thresholds, the second approver rule, the ledger and the anomaly report."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cpmp.assets.models import Source
from cpmp.audit.models import AuditEvent
from cpmp.sources import actions
from cpmp.sources.errors import PaymentRefused, SourceActionNotPermitted
from cpmp.sources.models import PaymentState
from cpmp.sources.selectors import ledger, payment_anomalies

from .builders import SourceUnit, assess, live_chis

pytestmark = pytest.mark.django_db


def pay(unit: SourceUnit, amount: str, **extra):  # type: ignore[no-untyped-def]
    return actions.request_payment(
        unit.source,
        acting_user=unit.handler,
        kind="payment",
        amount=amount,
        purpose="Information leading to a seizure.",
        **extra,
    )


def approve(payment, user):  # type: ignore[no-untyped-def]
    return actions.decide_payment(payment, acting_user=user, decision="approve")


def test_payment_below_threshold_needs_one_approver() -> None:
    unit = SourceUnit()
    live_chis(unit)
    payment = pay(unit, "200.00")
    assert payment.approvals_required == 1
    assert approve(payment, unit.controller).state == PaymentState.APPROVED


def test_payment_above_threshold_needs_second_approver() -> None:
    unit = SourceUnit()
    live_chis(unit)
    payment = pay(unit, "750.00")
    assert payment.approvals_required == 2
    assert approve(payment, unit.controller).state == PaymentState.REQUESTED
    assert approve(payment, unit.second_controller).state == PaymentState.APPROVED


def test_payment_same_approver_twice_refused() -> None:
    unit = SourceUnit()
    payment = pay(unit, "750.00")
    approve(payment, unit.controller)
    with pytest.raises(PaymentRefused) as refused:
        approve(payment, unit.controller)
    assert refused.value.code == "payment_same_approver"


def test_payment_requester_may_not_approve() -> None:
    unit = SourceUnit()
    payment = actions.request_payment(
        unit.source, acting_user=unit.controller, kind="reward", amount="100", purpose="Reward."
    )
    with pytest.raises(PaymentRefused) as refused:
        approve(payment, unit.controller)
    assert refused.value.code == "payment_self_approval"


def test_payment_approver_needs_controller_role() -> None:
    unit = SourceUnit()
    payment = pay(unit, "100.00")
    with pytest.raises(SourceActionNotPermitted):
        approve(payment, unit.handler)


def test_payment_threshold_is_configurable(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CPMP_SOURCES = {"second_approval_above": "100.00"}
    unit = SourceUnit()
    assert pay(unit, "150.00").approvals_required == 2


def test_large_payment_needs_senior_approver() -> None:
    unit = SourceUnit()
    payment = pay(unit, "6000.00")
    assert payment.senior_approval_required
    approve(payment, unit.controller)
    with pytest.raises(PaymentRefused) as refused:
        approve(payment, unit.second_controller)
    assert refused.value.code == "payment_needs_senior_approver"
    assert approve(payment, unit.sro).state == PaymentState.APPROVED


def test_high_risk_source_needs_senior_approver() -> None:
    unit = SourceUnit()
    assess(unit, likelihood=4, impact=4)
    payment = pay(unit, "50.00")
    assert payment.high_risk_source
    with pytest.raises(PaymentRefused):
        approve(payment, unit.controller)
    assert approve(payment, unit.senior).state == PaymentState.APPROVED


def test_payment_refusal_needs_rationale_and_refuses() -> None:
    unit = SourceUnit()
    payment = pay(unit, "750.00")
    payment = actions.decide_payment(
        payment, acting_user=unit.controller, decision="refuse", rationale="Not justified."
    )
    assert payment.state == PaymentState.REFUSED


def test_payment_events_audited() -> None:
    unit = SourceUnit()
    payment = pay(unit, "200.00")
    approve(payment, unit.controller)
    events = AuditEvent.objects.filter(object_type="source_payment", object_id=str(payment.pk))
    assert [event.event_type for event in events.order_by("sequence")] == [
        "source.payment_requested",
        "source.payment_decided",
    ]
    requested, decided = events.order_by("sequence")
    assert requested.payload["source_id"] == unit.source.pk
    assert "amount" not in requested.payload
    assert decided.payload["decision"] == "approve"
    assert decided.payload["role"] == "controller"
    assert decided.payload["state"] == "approved"
    assert decided.payload["approval_id"] == payment.approvals.get().pk


def test_ledger_running_total_counts_approved_only() -> None:
    unit = SourceUnit()
    first = pay(unit, "100.00")
    approve(first, unit.controller)
    pay(unit, "40.00")
    totals = [total for _, total in ledger(unit.source)]
    assert totals == [Decimal("100.00"), Decimal("100.00")]


def anomaly_codes(unit: SourceUnit) -> set[str]:
    sources = Source.objects.filter(pk=unit.source.pk)
    return {anomaly.code for anomaly in payment_anomalies(sources, timezone.now())}


def test_anomaly_report_flags_split_payments() -> None:
    unit = SourceUnit()
    live_chis(unit)
    contact = actions.record_contact(
        unit.source,
        acting_user=unit.handler,
        kind="meeting",
        occurred_at=timezone.now() - timedelta(hours=2),
        location_reference="LOC-1",
        information_passed="Handover.",
        welfare_observations="Well.",
    )
    for _ in range(3):
        pay(unit, "480.00", contact=contact)
    assert anomaly_codes(unit) == {"split-below-limit"}


def test_anomaly_report_flags_payment_without_authorisation_or_contact() -> None:
    unit = SourceUnit()
    pay(unit, "20.00")
    assert anomaly_codes(unit) == {"no-contact-record", "no-live-authorisation"}


def test_anomaly_report_flags_annual_total(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CPMP_SOURCES = {"annual_total_above": "300.00"}
    unit = SourceUnit()
    for amount in ("200.00", "200.00"):
        approve(pay(unit, amount), unit.controller)
    assert "annual-total-exceeded" in anomaly_codes(unit)


def test_anomaly_report_flags_approval_below_current_rules() -> None:
    unit = SourceUnit()
    payment = pay(unit, "750.00")
    # A payment approved outside the actions, or before the rules were tightened.
    payment.approvals_required = 1
    payment.save()
    approve(payment, unit.controller)
    assert "too-few-approvers" in anomaly_codes(unit)
