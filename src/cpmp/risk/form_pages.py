"""Form pages that create, revise and accept risk assessments, through ``cpmp.risk.actions``.

A hidden or missing assessment is a 404; someone who may see it but not make the change gets
the "no access" page. The actions check again and write the audit events.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cpmp.errors import CpmpError
from cpmp.web.views import forbidden

from . import actions
from .access import (
    accepting_role,
    access_assessment,
    assessable_operations,
    assessable_sources,
    can_accept_risks,
    can_write_assessment,
)
from .models import SubjectType
from .scoring import BAND_LABELS, IMPACT_LABELS, LIKELIHOOD_LABELS, Band, needs_acceptance
from .selectors import latest_version

VERSION_FIELDS = (
    "likelihood",
    "impact",
    "hazards",
    "mitigations",
    "physical_harm",
    "psychological_harm",
    "review_on",
    "reason",
)


def _errors(error: CpmpError) -> tuple[list[tuple[str, str]], dict[str, str]]:
    fields = dict(error.fields.get("errors") or {})
    return list(fields.items()) or [("", error.message)], fields


def _version_context(values: Any) -> dict[str, Any]:
    return {
        "values": values,
        "field_errors": {},
        "likelihoods": [
            (str(number), f"{number}: {label}") for number, label in LIKELIHOOD_LABELS.items()
        ],
        "impacts": [(str(number), f"{number}: {label}") for number, label in IMPACT_LABELS.items()],
    }


def _posted_version(request: HttpRequest) -> dict[str, str]:
    return {key: request.POST.get(key, "") for key in VERSION_FIELDS}


def assessment_create(request: HttpRequest) -> HttpResponse:
    """Create an assessment of a source, or of an officer, tactic or deployment in an operation."""
    now = timezone.now()
    sources = assessable_sources(request.user, now).order_by("reference")
    operations = assessable_operations(request.user, now).order_by("name")
    if not sources.exists() and not operations.exists():
        return forbidden(request)

    values: Any = request.POST if request.method == "POST" else {"reason": "First assessment"}
    context = _version_context(values)
    context.update(
        {
            "subject_types": SubjectType.choices,
            "sources": [(str(source.pk), source.reference) for source in sources[:500]],
            "operations": [(str(operation.pk), operation.name) for operation in operations[:500]],
        }
    )
    template = "risk/create.html"
    if request.method != "POST":
        return render(request, template, context)

    source_id = request.POST.get("source", "")
    operation_id = request.POST.get("operation", "")
    try:
        assessment = actions.create_assessment(
            acting_user=request.user,
            subject_type=request.POST.get("subject_type", ""),
            source=sources.filter(pk=int(source_id)).first() if source_id.isdigit() else None,
            operation=(
                operations.filter(pk=int(operation_id)).first() if operation_id.isdigit() else None
            ),
            subject_reference=request.POST.get("subject_reference", ""),
            first_version=_posted_version(request),
        )
    except CpmpError as error:
        context["errors"], context["field_errors"] = _errors(error)
        return render(request, template, context, status=400)
    return redirect("risk:detail", assessment_id=assessment.pk)


def assessment_revise(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Add a version with the reason for it, starting from the latest version's content."""
    now = timezone.now()
    assessment = access_assessment(request.user, assessment_id, now)
    if not can_write_assessment(
        request.user, source=assessment.source, operation=assessment.operation, now=now
    ):
        return forbidden(request)
    latest = latest_version(assessment)
    if request.method == "POST":
        values: Any = request.POST
    elif latest is not None:
        values = {key: str(getattr(latest, key)) for key in VERSION_FIELDS if key != "reason"}
    else:
        values = {}
    context = _version_context(values)
    context.update({"assessment": assessment, "latest": latest})
    template = "risk/revise.html"
    if request.method != "POST":
        return render(request, template, context)
    try:
        actions.revise_assessment(
            assessment, acting_user=request.user, content=_posted_version(request)
        )
    except CpmpError as error:
        context["errors"], context["field_errors"] = _errors(error)
        return render(request, template, context, status=400)
    return redirect("risk:detail", assessment_id=assessment.pk)


def assessment_accept(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Accept the latest version's high or very high risk, at the level its band needs."""
    now = timezone.now()
    assessment = access_assessment(request.user, assessment_id, now)
    if not can_accept_risks(request.user, now):
        return forbidden(request)
    latest = latest_version(assessment)
    band = Band(latest.band) if latest is not None else None
    context: dict[str, Any] = {
        "assessment": assessment,
        "latest": latest,
        "band_label": BAND_LABELS[band] if band else "",
        "needs_acceptance": band is not None and needs_acceptance(band),
        "may_accept": band is not None and accepting_role(request.user, band, now) is not None,
        "values": request.POST if request.method == "POST" else {},
        "field_errors": {},
    }
    template = "risk/accept.html"
    if request.method != "POST":
        return render(request, template, context)
    try:
        actions.accept_risk(
            assessment, acting_user=request.user, rationale=request.POST.get("rationale", "")
        )
    except CpmpError as error:
        context["errors"], context["field_errors"] = _errors(error)
        return render(request, template, context, status=400)
    return redirect("risk:detail", assessment_id=assessment.pk)
