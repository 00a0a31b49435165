"""``/api/source-records`` and ``/api/risk-assessments``: source records and risk, by action.

Every operation reads through the compartment policy and changes through the same actions
as the pages. Bodies and responses use plain JSON objects; error bodies follow ``errors``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from cpmp.access.compartments import may_see_operational_content, visible_sources
from cpmp.audit.actions import record_view
from cpmp.authorities.models import Authorisation
from cpmp.errors import NotFound
from cpmp.risk import actions as risk_actions
from cpmp.risk.access import access_assessment, can_open_risk_register, visible_assessments
from cpmp.risk.selectors import register_rows, risk_state
from cpmp.sources import actions
from cpmp.sources.access import access_source_records, can_open_source_reports
from cpmp.sources.models import Payment
from cpmp.sources.selectors import (
    clock_report,
    contact_gaps,
    ledger,
    payment_anomalies,
    potential_source_clock,
)

from .auth import authenticated_user
from .errors import error_responses
from .permissions import requires

router = Router(tags=["sources and risk"])


def source_not_found() -> NotFound:
    return NotFound("No source was found with that id.")


def assessment_not_found() -> NotFound:
    return NotFound("No risk assessment was found with that id.")


class ContactBody(Schema):
    kind: str
    occurred_at: datetime
    location_reference: str
    information_passed: str
    welfare_observations: str
    welfare_concern: bool = False


class TaskingBody(Schema):
    authorisation_id: int | None = None
    conduct_ids: list[int] = []
    description: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    contact_id: int | None = None


class PaymentBody(Schema):
    kind: str
    amount: str
    purpose: str
    contact_id: int | None = None


class DecisionBody(Schema):
    decision: str
    rationale: str = ""


class TriageBody(Schema):
    answers: dict[str, Any]
    outcome: str
    rationale: str


class AssessmentBody(Schema):
    subject_type: str
    source_id: int | None = None
    operation_id: int | None = None
    subject_reference: str = ""
    version: dict[str, Any]


class VersionBody(Schema):
    version: dict[str, Any]


class AcceptanceBody(Schema):
    rationale: str


def _source(request: HttpRequest, source_id: int) -> Any:
    try:
        return access_source_records(authenticated_user(request), source_id, timezone.now())
    except Http404:
        raise source_not_found() from None


@router.get(
    "/source-records/{source_id}",
    response={200: dict[str, Any], **error_responses(404)},
    url_name="source-records",
    auth=requires(may_see_operational_content, when_denied=source_not_found),
)
def get_records(request: HttpRequest, source_id: int) -> dict[str, Any]:
    """Return the source's clock, contacts, taskings and payment ledger (ids and facts)."""
    source = _source(request, source_id)
    record_view(request, "source_records", source.pk)
    clock = potential_source_clock(source, timezone.now())
    return {
        "id": source.pk,
        "reference": source.reference,
        "clock": {
            "contact_count": clock.contact_count,
            "days_since_first_contact": clock.days_since_first_contact,
            "authorised": clock.authorised,
            "triage_due": clock.triage_due,
            "days_to_authorise": clock.days_to_authorise,
        },
        "contacts": [
            {
                "id": c.pk,
                "kind": c.kind,
                "occurred_at": c.occurred_at.isoformat(),
                "location_reference": c.location_reference,
                "welfare_concern": c.welfare_concern,
            }
            for c in source.contacts.order_by("-occurred_at")[:200]
        ],
        "taskings": [
            {
                "id": t.pk,
                "authorisation_id": t.authorisation_id,
                "risk_version_id": t.risk_version_id,
                "contact_id": t.contact_id,
                "starts_at": t.starts_at.isoformat(),
            }
            for t in source.taskings.order_by("-starts_at")[:200]
        ],
        "ledger": [
            {
                "id": p.pk,
                "kind": p.kind,
                "amount": str(p.amount),
                "state": p.state,
                "contact_id": p.contact_id,
                "total_approved": str(total),
            }
            for p, total in ledger(source)
        ],
    }


@router.post(
    "/source-records/{source_id}/contacts",
    response={201: dict[str, Any], **error_responses(403, 404)},
    url_name="source-contact-create",
    auth=requires(may_see_operational_content, when_denied=source_not_found),
)
def create_contact(
    request: HttpRequest, source_id: int, body: ContactBody
) -> tuple[int, dict[str, Any]]:
    source = _source(request, source_id)
    contact = actions.record_contact(source, acting_user=authenticated_user(request), **body.dict())
    return 201, {"id": contact.pk}


@router.post(
    "/source-records/{source_id}/taskings",
    response={201: dict[str, Any], **error_responses(403, 404)},
    url_name="source-tasking-create",
    auth=requires(may_see_operational_content, when_denied=source_not_found),
)
def create_tasking(
    request: HttpRequest, source_id: int, body: TaskingBody
) -> tuple[int, dict[str, Any]]:
    """Task the source; a refusal is 422 with code ``tasking_refused`` and the reason codes."""
    source = _source(request, source_id)
    authorisation = (
        Authorisation.objects.filter(pk=body.authorisation_id).first()
        if body.authorisation_id is not None
        else None
    )
    contact = source.contacts.filter(pk=body.contact_id).first() if body.contact_id else None
    tasking = actions.record_tasking(
        source,
        acting_user=authenticated_user(request),
        authorisation=authorisation,
        conduct_ids=body.conduct_ids,
        description=body.description,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        contact=contact,
    )
    return 201, {"id": tasking.pk, "risk_version_id": tasking.risk_version_id}


@router.post(
    "/source-records/{source_id}/payments",
    response={201: dict[str, Any], **error_responses(403, 404)},
    url_name="source-payment-create",
    auth=requires(may_see_operational_content, when_denied=source_not_found),
)
def create_payment(
    request: HttpRequest, source_id: int, body: PaymentBody
) -> tuple[int, dict[str, Any]]:
    source = _source(request, source_id)
    contact = source.contacts.filter(pk=body.contact_id).first() if body.contact_id else None
    payment = actions.request_payment(
        source,
        acting_user=authenticated_user(request),
        kind=body.kind,
        amount=body.amount,
        purpose=body.purpose,
        contact=contact,
    )
    return 201, {
        "id": payment.pk,
        "approvals_required": payment.approvals_required,
        "senior_approval_required": payment.senior_approval_required,
    }


@router.post(
    "/source-records/payments/{payment_id}/decisions",
    response={200: dict[str, Any], **error_responses(403, 404)},
    url_name="source-payment-decide",
    auth=requires(may_see_operational_content, when_denied=source_not_found),
)
def decide_payment(request: HttpRequest, payment_id: int, body: DecisionBody) -> dict[str, Any]:
    user = authenticated_user(request)
    payment = Payment.objects.filter(
        pk=payment_id, source__in=visible_sources(user, timezone.now())
    ).first()
    if payment is None:
        raise NotFound("No payment was found with that id.")
    payment = actions.decide_payment(
        payment, acting_user=user, decision=body.decision, rationale=body.rationale
    )
    return {"id": payment.pk, "state": payment.state}


@router.post(
    "/source-records/{source_id}/triage",
    response={201: dict[str, Any], **error_responses(403, 404)},
    url_name="source-triage-create",
    auth=requires(may_see_operational_content, when_denied=source_not_found),
)
def create_triage(
    request: HttpRequest, source_id: int, body: TriageBody
) -> tuple[int, dict[str, Any]]:
    source = _source(request, source_id)
    triage = actions.record_triage(
        source,
        acting_user=authenticated_user(request),
        answers=body.answers,
        outcome=body.outcome,
        rationale=body.rationale,
    )
    return 201, {"id": triage.pk, "outcome": triage.outcome}


@router.get(
    "/source-reports",
    response={200: dict[str, Any], **error_responses(403)},
    url_name="source-reports",
    auth=requires(can_open_source_reports),
)
def get_reports(request: HttpRequest) -> dict[str, Any]:
    """Return the contact gaps, payment anomalies and clocks of the sources the caller may see."""
    now = timezone.now()
    sources = visible_sources(authenticated_user(request), now)
    return {
        "gaps": [
            {"record_type": g.record_type, "record_id": g.record_id, "source_id": g.source_id}
            for g in contact_gaps(sources)
        ],
        "payment_anomalies": [
            {"code": a.code, "source_id": a.source_id, "payment_ids": list(a.payment_ids)}
            for a in payment_anomalies(sources, now)
        ],
        "potential_sources": [
            {
                "source_id": c.source.pk,
                "contact_count": c.contact_count,
                "days_since_first_contact": c.days_since_first_contact,
                "triage_due": c.triage_due,
            }
            for c in clock_report(sources, now)
        ],
    }


def _state(assessment: Any) -> dict[str, Any]:
    state = risk_state(assessment, timezone.now())
    version = state.version
    return {
        "id": assessment.pk,
        "subject_type": assessment.subject_type,
        "source_id": assessment.source_id,
        "version": version.number if version else None,
        "score": version.score if version else None,
        "band": version.band if version else None,
        "review_on": version.review_on.isoformat() if version else None,
        "stale": state.stale,
        "accepted": state.acceptance is not None,
        "blocks_tasking": state.blocks_tasking,
        "escalation": state.escalation,
    }


@router.get(
    "/risk-assessments",
    response={200: list[dict[str, Any]], **error_responses(403)},
    url_name="risk-register",
    auth=requires(can_open_risk_register),
)
def list_assessments(request: HttpRequest) -> list[dict[str, Any]]:
    now = timezone.now()
    rows = register_rows(visible_assessments(authenticated_user(request), now), now)
    return [_state(row.assessment) for row in rows]


@router.post(
    "/risk-assessments",
    response={201: dict[str, Any], **error_responses(403, 404)},
    url_name="risk-assessment-create",
    auth=requires(may_see_operational_content),
)
def create_assessment(request: HttpRequest, body: AssessmentBody) -> tuple[int, dict[str, Any]]:
    user = authenticated_user(request)
    now = timezone.now()
    source = (
        visible_sources(user, now).filter(pk=body.source_id).first() if body.source_id else None
    )
    from cpmp.access.compartments import visible_operations

    operation = (
        visible_operations(user, now).filter(pk=body.operation_id).first()
        if body.operation_id
        else None
    )
    assessment = risk_actions.create_assessment(
        acting_user=user,
        subject_type=body.subject_type,
        source=source,
        operation=operation,
        subject_reference=body.subject_reference,
        first_version=body.version,
    )
    return 201, _state(assessment)


def _assessment(request: HttpRequest, assessment_id: int) -> Any:
    try:
        return access_assessment(authenticated_user(request), assessment_id, timezone.now())
    except Http404:
        raise assessment_not_found() from None


@router.get(
    "/risk-assessments/{assessment_id}",
    response={200: dict[str, Any], **error_responses(404)},
    url_name="risk-assessment-detail",
    auth=requires(may_see_operational_content, when_denied=assessment_not_found),
)
def get_assessment(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    assessment = _assessment(request, assessment_id)
    record_view(request, "risk_assessment", assessment.pk)
    return _state(assessment)


@router.post(
    "/risk-assessments/{assessment_id}/versions",
    response={201: dict[str, Any], **error_responses(403, 404)},
    url_name="risk-assessment-revise",
    auth=requires(may_see_operational_content, when_denied=assessment_not_found),
)
def revise(
    request: HttpRequest, assessment_id: int, body: VersionBody
) -> tuple[int, dict[str, Any]]:
    assessment = _assessment(request, assessment_id)
    risk_actions.revise_assessment(
        assessment, acting_user=authenticated_user(request), content=body.version
    )
    return 201, _state(assessment)


@router.post(
    "/risk-assessments/{assessment_id}/acceptances",
    response={201: dict[str, Any], **error_responses(403, 404)},
    url_name="risk-assessment-accept",
    auth=requires(may_see_operational_content, when_denied=assessment_not_found),
)
def accept(
    request: HttpRequest, assessment_id: int, body: AcceptanceBody
) -> tuple[int, dict[str, Any]]:
    assessment = _assessment(request, assessment_id)
    risk_actions.accept_risk(
        assessment, acting_user=authenticated_user(request), rationale=body.rationale
    )
    return 201, _state(assessment)
