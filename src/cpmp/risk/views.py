"""Risk pages: the register with escalation, and one assessment with its versions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cpmp.audit.actions import record_view
from cpmp.web.views import forbidden

from .access import (
    access_assessment,
    assessable_operations,
    assessable_sources,
    can_accept_risks,
    can_open_risk_register,
    can_write_assessment,
    visible_assessments,
)
from .selectors import ESCALATION_LABELS, STALE_MESSAGES, register_rows, risk_state


def register(request: HttpRequest) -> HttpResponse:
    """List the assessments the person may see, most escalated first."""
    now = timezone.now()
    if not can_open_risk_register(request.user, now):
        return forbidden(request)
    rows = register_rows(visible_assessments(request.user, now).select_related("source"), now)
    record_view(request, "risk_register", f"rows={len(rows)}")
    return render(
        request,
        "risk/register.html",
        {
            "rows": rows,
            "escalation_labels": ESCALATION_LABELS,
            "stale_messages": STALE_MESSAGES,
            "can_create": assessable_sources(request.user, now).exists()
            or assessable_operations(request.user, now).exists(),
        },
    )


def detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    now = timezone.now()
    assessment = access_assessment(request.user, assessment_id, now)
    record_view(request, "risk_assessment", assessment.pk)
    state = risk_state(assessment, now)
    return render(
        request,
        "risk/detail.html",
        {
            "assessment": assessment,
            "state": state,
            "stale": [STALE_MESSAGES[reason] for reason in state.stale],
            "escalation": ESCALATION_LABELS[state.escalation],
            "versions": assessment.versions.order_by("-number").prefetch_related("acceptances"),
            "can_revise": can_write_assessment(
                request.user, source=assessment.source, operation=assessment.operation, now=now
            ),
            "can_accept": can_accept_risks(request.user, now),
        },
    )
