"""Every change to a source's records. Each action runs in one transaction with its audit event.

Audit payloads carry ids and choice codes only: amounts stay in the records with what passed
at a contact, welfare notes and rationales, which can name people and places.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from cpmp.assets.models import Source
from cpmp.audit.actions import append_event
from cpmp.audit.context import current_source
from cpmp.audit.events import EventType
from cpmp.authorities.models import Authorisation, AuthorisedConduct
from cpmp.risk.actions import record_risk_change
from cpmp.risk.selectors import current_source_assessment, latest_version

from .access import SENIOR_LEVEL, approver_role, can_record_for_source
from .errors import (
    PaymentRefused,
    SourceActionNotPermitted,
    SourceRecordInvalid,
    TaskingRefused,
    TriageRequired,
)
from .models import (
    ApprovalDecision,
    Contact,
    ContactKind,
    Payment,
    PaymentApproval,
    PaymentKind,
    PaymentState,
    Tasking,
    TriageDecision,
    TriageOutcome,
    WelfareNote,
)
from .policy import current_policy
from .selectors import is_high_risk, live_chis_authorisations, potential_source_clock, risk_blockers
from .triage import QUESTIONS

# The audit source when no front door has named one (a direct call, as in tests).
AUDIT_SOURCE = "sources"

# A location reference is a code the source unit keeps elsewhere ("LOC-17", "VENUE/3"): letters,
# digits, "-" and "/" with no spaces, so an address cannot be typed into it.
LOCATION_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/-]{1,49}$")


def _instant(at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValueError(f"instant {at.isoformat()} has no time zone: give an aware datetime")
    return at


def _require_writer(user: Any, source: Source, now: datetime) -> None:
    if not can_record_for_source(user, source, now):
        raise SourceActionNotPermitted(
            "Only the source's handler or controller may record this for the source."
        )


def _audit(
    event_type: EventType, user: Any, object_type: str, object_id: int, payload: dict[str, Any]
) -> None:
    source, request_id = current_source(AUDIT_SOURCE)
    append_event(
        event_type,
        actor=user,
        object_type=object_type,
        object_id=object_id,
        payload=payload,
        source=source,
        request_id=request_id,
    )


def _contact_for(source: Source, contact: Contact | None, errors: dict[str, str]) -> None:
    if contact is not None and contact.source_id != source.pk:
        errors["contact"] = "Choose a contact with this source"


def record_contact(
    source: Source,
    *,
    acting_user: Any,
    kind: str,
    occurred_at: datetime | None,
    location_reference: str,
    information_passed: str,
    welfare_observations: str,
    officers: Iterable[Any] = (),
    others_present: str = "",
    welfare_concern: bool = False,
    at: datetime | None = None,
) -> Contact:
    """Record a meeting, call or message. The person acting is always among the officers.

    A welfare concern marks the source's risk assessments as needing reassessment, so
    tasking stops until someone reassesses. A contact is recorded even when the
    potential-source clock has run out: every contact must be documented.
    """
    now = _instant(at)
    _require_writer(acting_user, source, now)
    errors: dict[str, str] = {}
    if kind not in ContactKind.values:
        errors["kind"] = "Choose whether it was a meeting, a call or a message"
    if occurred_at is None:
        errors["occurred_at"] = "Enter when the contact took place"
    elif occurred_at > now:
        errors["occurred_at"] = "The contact must be in the past"
    if not LOCATION_REFERENCE.match(location_reference.strip()):
        errors["location_reference"] = (
            "Enter the location reference, such as LOC-17, not an address"
        )
    if not information_passed.strip():
        errors["information_passed"] = "Enter what passed, or 'nothing passed'"
    if not welfare_observations.strip():
        errors["welfare_observations"] = "Enter your welfare observations, or 'none'"
    if errors:
        raise SourceRecordInvalid(errors)
    assert occurred_at is not None  # an error above otherwise
    with transaction.atomic():
        contact = Contact.objects.create(
            source=source,
            kind=kind,
            occurred_at=occurred_at,
            others_present=others_present.strip(),
            location_reference=location_reference.strip(),
            information_passed=information_passed.strip(),
            welfare_observations=welfare_observations.strip(),
            welfare_concern=welfare_concern,
            recorded_by=acting_user,
            recorded_at=now,
        )
        contact.officers.set({acting_user, *officers})
        _audit(
            EventType.SOURCE_CONTACT_RECORDED,
            acting_user,
            "source_contact",
            contact.pk,
            {
                "source_id": source.pk,
                "kind": kind,
                "officer_ids": sorted(officer.pk for officer in contact.officers.all()),
                "welfare_concern": welfare_concern,
            },
        )
        if welfare_concern:
            record_risk_change(
                source, acting_user=acting_user, reason_code="welfare-concern", at=now
            )
    return contact


def record_welfare_note(
    source: Source,
    *,
    acting_user: Any,
    note: str,
    concern: bool = False,
    at: datetime | None = None,
) -> WelfareNote:
    """Record a welfare note. A concern makes the source's risk assessments stale."""
    now = _instant(at)
    _require_writer(acting_user, source, now)
    if not note.strip():
        raise SourceRecordInvalid({"note": "Enter the welfare note"})
    with transaction.atomic():
        welfare = WelfareNote.objects.create(
            source=source,
            note=note.strip(),
            concern=concern,
            recorded_by=acting_user,
            recorded_at=now,
        )
        _audit(
            EventType.SOURCE_WELFARE_NOTED,
            acting_user,
            "source_welfare_note",
            welfare.pk,
            {"source_id": source.pk, "concern": concern},
        )
        if concern:
            record_risk_change(
                source, acting_user=acting_user, reason_code="welfare-concern", at=now
            )
    return welfare


def _check_conduct(
    authorisation: Authorisation,
    conduct_ids: list[int],
    starts_at: datetime,
    ends_at: datetime | None,
) -> list[AuthorisedConduct] | None:
    """Return the conduct items if each is in force on ``authorisation`` and covers the period."""
    if not conduct_ids:
        return None
    items = list(
        AuthorisedConduct.objects.in_force().filter(authorisation=authorisation, pk__in=conduct_ids)
    )
    if len(items) != len(set(conduct_ids)):
        return None
    for item in items:
        if item.starts_at is not None and starts_at < item.starts_at:
            return None
        if item.ends_at is not None and (ends_at is None or ends_at > item.ends_at):
            return None
    return items


def record_tasking(
    source: Source,
    *,
    acting_user: Any,
    authorisation: Authorisation | None,
    conduct_ids: Iterable[int],
    description: str,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    contact: Contact | None = None,
    at: datetime | None = None,
) -> Tasking:
    """Task the source, or raise ``TaskingRefused`` listing every reason it may not be tasked.

    A tasking needs a current risk assessment of the source (not stale, and a high risk
    accepted at its level), and a CHIS authorisation of this source that is live from the
    start of the task to its end and whose in-force conduct items, chosen by id, cover it.
    """
    now = _instant(at)
    _require_writer(acting_user, source, now)
    starts_at = starts_at or now
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Enter what the source is tasked to do"
    if ends_at is not None and ends_at <= starts_at:
        errors["ends_at"] = "The end of the task must be after its start"
    _contact_for(source, contact, errors)
    if errors:
        raise SourceRecordInvalid(errors)

    reasons = risk_blockers(source, now)
    live = live_chis_authorisations(source, now)
    if authorisation is None or not live.filter(pk=authorisation.pk).exists():
        reasons.append(
            ("no_live_authorisation", "there is no live CHIS authorisation for this source")
        )
        items = None
    else:
        expires = authorisation.expires_latest
        if ends_at is not None and expires is not None and ends_at > expires:
            reasons.append(
                ("no_live_authorisation", "the task runs past the end of the authorisation")
            )
        items = _check_conduct(authorisation, list(conduct_ids), starts_at, ends_at)
        if items is None:
            reasons.append(
                (
                    "conduct_not_authorised",
                    "choose the authorised conduct that covers the task, within its time window",
                )
            )
    if reasons:
        raise TaskingRefused(reasons)

    # With no refusal reason, the authorisation is live and the assessment has a version.
    assessment = current_source_assessment(source)
    assert authorisation is not None and assessment is not None
    version = latest_version(assessment)
    assert version is not None
    with transaction.atomic():
        tasking = Tasking.objects.create(
            source=source,
            authorisation=authorisation,
            risk_version=version,
            contact=contact,
            description=description.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            tasked_by=acting_user,
            recorded_at=now,
        )
        tasking.conduct.set(items or [])
        _audit(
            EventType.SOURCE_TASKED,
            acting_user,
            "source_tasking",
            tasking.pk,
            {
                "source_id": source.pk,
                "authorisation_id": authorisation.pk,
                "conduct_ids": sorted(item.pk for item in items or []),
                "risk_version_id": version.pk,
                "contact_id": contact.pk if contact else None,
            },
        )
    return tasking


def _amount(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value).strip().lstrip("£").replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        return None
    return amount.quantize(Decimal("0.01"))


def request_payment(
    source: Source,
    *,
    acting_user: Any,
    kind: str,
    amount: Any,
    purpose: str,
    contact: Contact | None = None,
    at: datetime | None = None,
) -> Payment:
    """Request a payment, reward or benefit, fixing the approvals it needs from the policy.

    Above ``second_approval_above`` two approvers are needed; above ``senior_approval_above``,
    or for a source whose current risk is high or very high, one of them must be senior. A
    source whose potential-source clock has run out without a triage decision is not paid.
    """
    now = _instant(at)
    _require_writer(acting_user, source, now)
    policy = current_policy()
    errors: dict[str, str] = {}
    if kind not in PaymentKind.values:
        errors["kind"] = "Choose whether it is a payment, a reward, expenses or a benefit"
    value = _amount(amount)
    if value is None:
        errors["amount"] = "Enter the amount in pounds and pence, such as 150.00"
    if not purpose.strip():
        errors["purpose"] = "Enter what the payment is for"
    _contact_for(source, contact, errors)
    if errors:
        raise SourceRecordInvalid(errors)
    if potential_source_clock(source, now, policy).triage_due:
        raise TriageRequired(
            "Record a triage decision for this source before paying them: they have been "
            "giving information for longer than the potential-source limit without a CHIS "
            "authorisation."
        )
    high_risk = is_high_risk(source, now)
    assert value is not None
    with transaction.atomic():
        payment = Payment.objects.create(
            source=source,
            kind=kind,
            amount=value,
            purpose=purpose.strip(),
            contact=contact,
            approvals_required=2 if value > policy.second_approval_above else 1,
            senior_approval_required=high_risk or value > policy.senior_approval_above,
            high_risk_source=high_risk,
            live_authorisation_at_request=live_chis_authorisations(source, now).exists(),
            requested_by=acting_user,
            requested_at=now,
        )
        _audit(
            EventType.SOURCE_PAYMENT_REQUESTED,
            acting_user,
            "source_payment",
            payment.pk,
            {
                "source_id": source.pk,
                "kind": kind,
                "approvals_required": payment.approvals_required,
                "senior_approval_required": payment.senior_approval_required,
                "contact_id": contact.pk if contact else None,
            },
        )
    return payment


def decide_payment(
    payment: Payment,
    *,
    acting_user: Any,
    decision: str,
    rationale: str = "",
    at: datetime | None = None,
) -> Payment:
    """Approve or refuse a payment. The requester may not decide it, nor anyone twice.

    The approver must hold the controller role or a more senior one (senior authorising
    officer, senior responsible officer). When a senior approver is needed, the last
    approval must come from one if none has yet. A refusal by any approver refuses it.
    """
    now = _instant(at)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        source = payment.source
        if payment.state != PaymentState.REQUESTED:
            raise PaymentRefused("This payment has already been decided.")
        if decision not in ApprovalDecision.values:
            raise SourceRecordInvalid({"decision": "Choose whether to approve or refuse"})
        role = approver_role(acting_user, source, now)
        if role is None:
            raise SourceActionNotPermitted(
                "Only a controller, senior authorising officer or senior responsible officer "
                "may decide payments to this source."
            )
        if payment.requested_by_id == acting_user.pk:
            raise PaymentRefused(
                "You requested this payment, so someone else must approve it.",
                code="payment_self_approval",
            )
        earlier = list(payment.approvals.all())
        if any(approval.approver_id == acting_user.pk for approval in earlier):
            raise PaymentRefused(
                "You have already decided this payment: a second approver must be someone else.",
                code="payment_same_approver",
            )
        if decision == ApprovalDecision.REFUSE and not rationale.strip():
            raise SourceRecordInvalid({"rationale": "Enter why you refuse the payment"})
        role_name, level = role
        approved = [a for a in earlier if a.decision == ApprovalDecision.APPROVE]
        has_senior = any(a.role != "controller" for a in approved)
        remaining = payment.approvals_required - len(approved)
        if (
            decision == ApprovalDecision.APPROVE
            and payment.senior_approval_required
            and not has_senior
            and level < SENIOR_LEVEL
            and remaining <= 1
        ):
            raise PaymentRefused(
                "This payment needs a senior authorising officer or the senior responsible "
                "officer to approve it, because of its amount or the source's risk.",
                code="payment_needs_senior_approver",
            )
        approval = PaymentApproval.objects.create(
            payment=payment,
            approver=acting_user,
            role=role_name,
            decision=decision,
            rationale=rationale.strip(),
            decided_at=now,
        )
        old_state = payment.state
        if decision == ApprovalDecision.REFUSE:
            payment.state = PaymentState.REFUSED
        elif remaining <= 1:
            payment.state = PaymentState.APPROVED
        if payment.state != old_state:
            payment.decided_at = now
            payment.save(update_fields=["state", "decided_at"])
        _audit(
            EventType.SOURCE_PAYMENT_DECIDED,
            acting_user,
            "source_payment",
            payment.pk,
            {
                "source_id": source.pk,
                "approval_id": approval.pk,
                "decision": decision,
                "role": role_name,
                "state": payment.state,
            },
        )
    return payment


def link_contact(
    record: Tasking | Payment, *, acting_user: Any, contact: Contact, at: datetime | None = None
) -> Tasking | Payment:
    """Document a tasking or payment with the contact at which it happened, closing its gap."""
    now = _instant(at)
    _require_writer(acting_user, record.source, now)
    if contact.source_id != record.source_id:
        raise SourceRecordInvalid({"contact": "Choose a contact with this source"})
    if record.contact_id is not None:
        raise SourceRecordInvalid({"contact": "This record already has its contact"})
    record_type = "tasking" if isinstance(record, Tasking) else "payment"
    with transaction.atomic():
        type(record).objects.filter(pk=record.pk).update(contact=contact)
        record.contact = contact
        _audit(
            EventType.SOURCE_CONTACT_LINKED,
            acting_user,
            f"source_{record_type}",
            record.pk,
            {"source_id": record.source_id, "record_type": record_type, "contact_id": contact.pk},
        )
    return record


def record_triage(
    source: Source,
    *,
    acting_user: Any,
    answers: Mapping[str, Any],
    outcome: str,
    rationale: str,
    at: datetime | None = None,
) -> TriageDecision:
    """Record the triage of someone who keeps giving information: a CHIS decision with rationale.

    Every question in ``triage.QUESTIONS`` must be answered yes or no. A "yes" to any of them
    means the relationship is used covertly, so "not a CHIS" is refused.
    """
    now = _instant(at)
    _require_writer(acting_user, source, now)
    errors: dict[str, str] = {}
    cleaned: dict[str, bool] = {}
    for key in QUESTIONS:
        value = answers.get(key)
        if isinstance(value, str):
            value = {"yes": True, "no": False}.get(value.strip().lower())
        if not isinstance(value, bool):
            errors[key] = "Answer yes or no"
        else:
            cleaned[key] = value
    if outcome not in TriageOutcome.values:
        errors["outcome"] = "Choose the decision"
    if not rationale.strip():
        errors["rationale"] = "Enter the reasons for the decision"
    if not errors and outcome == TriageOutcome.NOT_A_CHIS and any(cleaned.values()):
        errors["outcome"] = (
            "The answers show the relationship is used covertly, so the person is a CHIS: "
            "apply for an authorisation or stop using them"
        )
    if errors:
        raise SourceRecordInvalid(errors)
    clock = potential_source_clock(source, now)
    with transaction.atomic():
        triage = TriageDecision.objects.create(
            source=source,
            answers=cleaned,
            outcome=outcome,
            rationale=rationale.strip(),
            contact_count=clock.contact_count,
            days_since_first_contact=clock.days_since_first_contact,
            decided_by=acting_user,
            decided_at=now,
        )
        _audit(
            EventType.SOURCE_TRIAGE_RECORDED,
            acting_user,
            "source_triage",
            triage.pk,
            {"source_id": source.pk, "outcome": outcome},
        )
    return triage
