"""Reads of source records: authorisation and risk checks, the clock, gaps and anomalies.

Everything that depends on the instant of the question takes ``now``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from cpmp.authorities.models import Authorisation
from cpmp.authorities.selectors import Status, with_status
from cpmp.law.kinds import AuthorityKind
from cpmp.law.periods import london_day
from cpmp.risk.scoring import Band
from cpmp.risk.selectors import STALE_MESSAGES, current_source_assessment, risk_state

from .models import Contact, Payment, PaymentState, Tasking, TriageDecision, TriageOutcome
from .policy import SourcePolicy, current_policy

# The powers under which a source may be tasked.
CHIS_KINDS = (
    AuthorityKind.CHIS.value,
    AuthorityKind.JUVENILE_CHIS.value,
    AuthorityKind.RELEVANT_SOURCE.value,
)


def live_chis_authorisations(source: Any, now: datetime) -> QuerySet[Authorisation]:
    """Return the source's CHIS authorisations that have effect at ``now``."""
    rows = Authorisation.objects.filter(application__source=source, kind__in=CHIS_KINDS)
    # ``status`` is an annotation that ``with_status`` adds, so it is filtered through ``Q``,
    # which the type checker's model-field check does not inspect.
    return with_status(rows, now).filter(Q(status=Status.LIVE))


def risk_blockers(source: Any, now: datetime) -> list[tuple[str, str]]:
    """Return (code, message) for each reason the source's risk assessment blocks tasking."""
    assessment = current_source_assessment(source)
    if assessment is None:
        return [("no_risk_assessment", "the source has no risk assessment")]
    state = risk_state(assessment, now)
    blockers = [("risk_assessment_stale", STALE_MESSAGES[reason].lower()) for reason in state.stale]
    if state.unaccepted_high_risk:
        blockers.append(
            (
                "risk_not_accepted",
                "the risk is high and has not been accepted at the level its band needs",
            )
        )
    return blockers


def is_high_risk(source: Any, now: datetime) -> bool:
    """Decide whether the source's current risk assessment is in the high or very high band."""
    assessment = current_source_assessment(source)
    if assessment is None:
        return False
    state = risk_state(assessment, now)
    return state.band in (Band.HIGH, Band.VERY_HIGH)


@dataclass(frozen=True)
class Clock:
    """The potential-source clock for one source at one instant."""

    source: Any
    contact_count: int
    first_contact_at: datetime | None
    days_since_first_contact: int
    authorised: bool
    # The clock has run out: too many contacts or days without authorisation.
    ran_out: bool
    # A triage decision is needed before the source is used again.
    triage_due: bool
    last_decision: TriageDecision | None
    # Days from the first contact to the first authorisation, once authorised.
    days_to_authorise: int | None


def potential_source_clock(source: Any, now: datetime, policy: SourcePolicy | None = None) -> Clock:
    """Return the clock: contacts and days since the first contact, or since "not a CHIS".

    A decision that the person is not a CHIS restarts the count from that decision, so a
    relationship that develops is triaged again.
    """
    policy = policy or current_policy()
    decisions = source.triage_decisions.order_by("-decided_at")
    last_decision = decisions.first()
    last_not_a_chis = decisions.filter(outcome=TriageOutcome.NOT_A_CHIS).first()
    contacts = Contact.objects.filter(source=source, occurred_at__lte=now)
    if last_not_a_chis is not None:
        contacts = contacts.filter(occurred_at__gt=last_not_a_chis.decided_at)
    count = contacts.count()
    first = contacts.order_by("occurred_at").values_list("occurred_at", flat=True).first()
    days = (london_day(now) - london_day(first)).days if first else 0

    authorised = live_chis_authorisations(source, now).exists()
    ran_out = (
        not authorised
        and first is not None
        and (count >= policy.potential_source_contacts or days >= policy.potential_source_days)
    )
    decided_since = (
        last_decision is not None and first is not None and last_decision.decided_at >= first
    )
    triage_due = ran_out and not (
        decided_since and last_decision.outcome != TriageOutcome.NOT_A_CHIS
    )

    days_to_authorise = None
    all_first = (
        Contact.objects.filter(source=source)
        .order_by("occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    granted = (
        Authorisation.objects.filter(application__source=source, kind__in=CHIS_KINDS)
        .exclude(takes_effect_from=None)
        .order_by("takes_effect_from")
        .values_list("takes_effect_from", flat=True)
        .first()
    )
    if all_first is not None and granted is not None:
        days_to_authorise = max((london_day(granted) - london_day(all_first)).days, 0)
    return Clock(
        source,
        count,
        first,
        days,
        authorised,
        ran_out,
        triage_due,
        last_decision,
        days_to_authorise,
    )


def clock_report(sources: QuerySet[Any], now: datetime) -> list[Clock]:
    """Return the clock of each source with contacts and no live authorisation, ran out first."""
    policy = current_policy()
    clocks = [
        potential_source_clock(source, now, policy)
        for source in sources.filter(contacts__isnull=False).distinct()
    ]
    clocks = [clock for clock in clocks if not clock.authorised]
    return sorted(clocks, key=lambda clock: (not clock.triage_due, -clock.days_since_first_contact))


@dataclass(frozen=True)
class Gap:
    """A tasking or payment with no contact record."""

    record_type: str  # "tasking" or "payment"
    record_id: int
    source_id: int
    source_reference: str
    at: datetime


def contact_gaps(sources: QuerySet[Any]) -> list[Gap]:
    """List the taskings and payments of ``sources`` that no contact record documents."""
    gaps = [
        Gap("tasking", tasking.pk, tasking.source_id, tasking.source.reference, tasking.starts_at)
        for tasking in Tasking.objects.filter(source__in=sources, contact__isnull=True)
        .select_related("source")
        .only("pk", "source_id", "starts_at", "source__reference")
    ]
    gaps += [
        Gap(
            "payment", payment.pk, payment.source_id, payment.source.reference, payment.requested_at
        )
        for payment in Payment.objects.filter(source__in=sources, contact__isnull=True)
        .select_related("source")
        .only("pk", "source_id", "requested_at", "source__reference")
    ]
    return sorted(gaps, key=lambda gap: (gap.at, gap.record_type, gap.record_id))


@dataclass(frozen=True)
class Anomaly:
    code: str
    message: str
    source_id: int
    source_reference: str
    payment_ids: tuple[int, ...]


ANOMALY_MESSAGES = {
    "approved-by-requester": "Approved by the person who requested it",
    "too-few-approvers": "Approved by fewer people than its amount needs",
    "no-senior-approver": "Approved without the senior approver its amount or risk needs",
    "split-below-limit": "Several payments just below the second-approval limit in a short time",
    "annual-total-exceeded": "Total paid in 365 days is above the annual limit",
    "no-contact-record": "No contact record documents the handover",
    "no-live-authorisation": "Requested when the source had no live CHIS authorisation",
}


def payment_anomalies(sources: QuerySet[Any], now: datetime) -> list[Anomaly]:
    """Find payments that need an explanation, for the payment anomaly report."""
    policy = current_policy()
    payments = (
        Payment.objects.filter(source__in=sources, requested_at__lte=now)
        .select_related("source")
        .prefetch_related("approvals")
        .order_by("source_id", "requested_at", "pk")
    )
    anomalies: list[Anomaly] = []
    by_source: dict[int, list[Payment]] = defaultdict(list)

    def add(code: str, payment: Payment, ids: tuple[int, ...] | None = None) -> None:
        anomalies.append(
            Anomaly(
                code,
                ANOMALY_MESSAGES[code],
                payment.source_id,
                payment.source.reference,
                ids or (payment.pk,),
            )
        )

    for payment in payments:
        by_source[payment.source_id].append(payment)
        approvals = [a for a in payment.approvals.all() if a.decision == "approve"]
        if payment.contact_id is None:
            add("no-contact-record", payment)
        if not payment.live_authorisation_at_request:
            add("no-live-authorisation", payment)
        if payment.state != PaymentState.APPROVED:
            continue
        if any(a.approver_id == payment.requested_by_id for a in approvals):
            add("approved-by-requester", payment)
        needed = 2 if payment.amount > policy.second_approval_above else 1
        if len({a.approver_id for a in approvals}) < max(needed, payment.approvals_required):
            add("too-few-approvers", payment)
        senior_needed = (
            payment.senior_approval_required
            or payment.high_risk_source
            or (payment.amount > policy.senior_approval_above)
        )
        if senior_needed and not any(
            a.role in ("senior-authorising-officer", "senior-responsible-officer")
            for a in approvals
        ):
            add("no-senior-approver", payment)

    limit = policy.second_approval_above
    floor = limit * (Decimal(1) - policy.split_margin)
    window = timedelta(days=policy.split_window_days)
    for source_payments in by_source.values():
        near = [p for p in source_payments if floor <= p.amount <= limit]
        for index, payment in enumerate(near):
            group = [p for p in near[index:] if p.requested_at - payment.requested_at <= window]
            if len(group) >= policy.split_count:
                add("split-below-limit", payment, tuple(p.pk for p in group))
                break
        counted = [p for p in source_payments if p.state != PaymentState.REFUSED]
        for index, payment in enumerate(counted):
            year = [
                p
                for p in counted[index:]
                if p.requested_at - payment.requested_at < timedelta(days=365)
            ]
            if sum((p.amount for p in year), Decimal(0)) > policy.annual_total_above:
                add("annual-total-exceeded", payment, tuple(p.pk for p in year))
                break
    return anomalies


def ledger(source: Any) -> list[tuple[Payment, Decimal]]:
    """Return the source's payments, oldest first, each with the running total approved."""
    total = Decimal(0)
    rows = []
    for payment in source.payments.order_by("requested_at", "pk").prefetch_related("approvals"):
        if payment.state == PaymentState.APPROVED:
            total += payment.amount
        rows.append((payment, total))
    return rows
