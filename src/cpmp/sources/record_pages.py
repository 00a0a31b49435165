"""Form pages for a source's taskings, payments, welfare notes and triage.

Each page reads the source through ``access_source_records`` (404 when hidden or missing),
lets only the people the action allows open the form (403 for anyone else who may see the
source), and posts to the same action as the API, which checks again and audits the change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cpmp.access.compartments import visible_sources
from cpmp.audit.actions import record_view
from cpmp.authorities.models import AuthorisedConduct
from cpmp.errors import CpmpError
from cpmp.web.views import forbidden

from . import actions
from .access import access_source_records, approver_role, can_record_for_source
from .errors import TaskingRefused
from .models import ApprovalDecision, Contact, Payment, PaymentKind, TriageOutcome
from .selectors import live_chis_authorisations, potential_source_clock
from .triage import QUESTIONS

YES_NO = [("yes", "Yes"), ("no", "No")]
DATETIME_HINT = "For example, 2026-03-04T18:30"


def _errors(error: CpmpError) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Return the error summary pairs and the message for each field of a failed action."""
    if isinstance(error, TaskingRefused):
        messages = error.fields.get("messages") or []
        return [("", message[:1].upper() + message[1:]) for message in messages], {}
    fields = dict(error.fields.get("errors") or {})
    return list(fields.items()) or [("", error.message)], fields


def _fail(
    request: HttpRequest, template: str, context: dict[str, Any], error: CpmpError
) -> HttpResponse:
    context["errors"], context["field_errors"] = _errors(error)
    return render(request, template, context, status=400)


def _instant(text: str, name: str, label: str, field_errors: dict[str, str]) -> datetime | None:
    """Parse an ISO date and time typed in a form, in UK time unless it names its offset.

    A blank field returns None; text that is not a date and time adds an error for ``name``.
    """
    text = text.strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        field_errors[name] = f"Enter {label} as a date and time, for example 2026-03-04T18:30"
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _contact_choices(source: Any) -> list[tuple[str, str]]:
    contacts = source.contacts.order_by("-occurred_at")[:50]
    return [
        (
            str(contact.pk),
            f"{contact.get_kind_display()}, "
            f"{timezone.localtime(contact.occurred_at):%d %B %Y %H:%M}, "
            f"{contact.location_reference}",
        )
        for contact in contacts
    ]


def _chosen_contact(source: Any, value: str) -> Contact | None:
    if not value.isdigit():
        return None
    return source.contacts.filter(pk=int(value)).first()


def _writable_source(request: HttpRequest, source_id: int) -> tuple[Any, datetime] | None:
    """Return the source and now when the person may record for it; None means 403."""
    now = timezone.now()
    source = access_source_records(request.user, source_id, now)
    if not can_record_for_source(request.user, source, now):
        return None
    return source, now


def tasking_add(request: HttpRequest, source_id: int) -> HttpResponse:
    """Task the source under one of its live CHIS authorisations and its conduct."""
    found = _writable_source(request, source_id)
    if found is None:
        return forbidden(request)
    source, now = found
    live = live_chis_authorisations(source, now)
    conduct = AuthorisedConduct.objects.in_force().filter(authorisation__in=live).order_by("pk")
    values = request.POST if request.method == "POST" else {}
    context: dict[str, Any] = {
        "source": source,
        "values": values,
        "field_errors": {},
        "authorisations": [(str(item.pk), item.reference) for item in live.order_by("reference")],
        "conduct": conduct.select_related("authorisation"),
        "chosen_conduct": request.POST.getlist("conduct") if request.method == "POST" else [],
        "contacts": _contact_choices(source),
        "datetime_hint": DATETIME_HINT,
    }
    template = "sources/tasking_add.html"
    if request.method != "POST":
        return render(request, template, context)

    field_errors: dict[str, str] = {}
    starts_at = _instant(request.POST.get("starts_at", ""), "starts_at", "the start", field_errors)
    ends_at = _instant(request.POST.get("ends_at", ""), "ends_at", "the end", field_errors)
    if field_errors:
        context["field_errors"] = field_errors
        context["errors"] = list(field_errors.items())
        return render(request, template, context, status=400)
    authorisation_id = request.POST.get("authorisation", "")
    authorisation = (
        live.filter(pk=int(authorisation_id)).first() if authorisation_id.isdigit() else None
    )
    try:
        actions.record_tasking(
            source,
            acting_user=request.user,
            authorisation=authorisation,
            conduct_ids=[int(pk) for pk in context["chosen_conduct"] if pk.isdigit()],
            description=request.POST.get("description", ""),
            starts_at=starts_at,
            ends_at=ends_at,
            contact=_chosen_contact(source, request.POST.get("contact", "")),
        )
    except CpmpError as error:
        return _fail(request, template, context, error)
    return redirect("sources:records", source_id=source.pk)


def payment_add(request: HttpRequest, source_id: int) -> HttpResponse:
    """Request a payment, reward, expenses or a benefit for the source."""
    found = _writable_source(request, source_id)
    if found is None:
        return forbidden(request)
    source, _ = found
    context: dict[str, Any] = {
        "source": source,
        "values": request.POST if request.method == "POST" else {},
        "field_errors": {},
        "kinds": PaymentKind.choices,
        "contacts": _contact_choices(source),
    }
    template = "sources/payment_add.html"
    if request.method != "POST":
        return render(request, template, context)
    try:
        actions.request_payment(
            source,
            acting_user=request.user,
            kind=request.POST.get("kind", ""),
            amount=request.POST.get("amount", ""),
            purpose=request.POST.get("purpose", ""),
            contact=_chosen_contact(source, request.POST.get("contact", "")),
        )
    except CpmpError as error:
        return _fail(request, template, context, error)
    return redirect("sources:records", source_id=source.pk)


def payment_decide(request: HttpRequest, payment_id: int) -> HttpResponse:
    """Approve or refuse a payment: a controller or a more senior officer, not the requester."""
    now = timezone.now()
    payment = (
        Payment.objects.filter(pk=payment_id, source__in=visible_sources(request.user, now))
        .select_related("source")
        .first()
    )
    if payment is None:
        raise Http404("No payment found")
    if approver_role(request.user, payment.source, now) is None:
        return forbidden(request)
    record_view(request, "source_payment", payment.pk)
    context: dict[str, Any] = {
        "payment": payment,
        "source": payment.source,
        "approvals": payment.approvals.select_related("approver").order_by("decided_at"),
        "values": request.POST if request.method == "POST" else {},
        "field_errors": {},
        "decisions": ApprovalDecision.choices,
    }
    template = "sources/payment_decide.html"
    if request.method != "POST":
        return render(request, template, context)
    try:
        actions.decide_payment(
            payment,
            acting_user=request.user,
            decision=request.POST.get("decision", ""),
            rationale=request.POST.get("rationale", ""),
        )
    except CpmpError as error:
        return _fail(request, template, context, error)
    return redirect("sources:records", source_id=payment.source_id)


def welfare_add(request: HttpRequest, source_id: int) -> HttpResponse:
    """Record a welfare note; a concern makes the source's risk assessments stale."""
    found = _writable_source(request, source_id)
    if found is None:
        return forbidden(request)
    source, _ = found
    context: dict[str, Any] = {
        "source": source,
        "values": request.POST if request.method == "POST" else {},
        "field_errors": {},
    }
    template = "sources/welfare_add.html"
    if request.method != "POST":
        return render(request, template, context)
    try:
        actions.record_welfare_note(
            source,
            acting_user=request.user,
            note=request.POST.get("note", ""),
            concern=request.POST.get("concern") == "yes",
        )
    except CpmpError as error:
        return _fail(request, template, context, error)
    return redirect("sources:records", source_id=source.pk)


def triage_add(request: HttpRequest, source_id: int) -> HttpResponse:
    """Answer the triage questions and record whether the person is a CHIS, with reasons."""
    found = _writable_source(request, source_id)
    if found is None:
        return forbidden(request)
    source, now = found
    values = request.POST if request.method == "POST" else {}
    context: dict[str, Any] = {
        "source": source,
        "values": values,
        "field_errors": {},
        "clock": potential_source_clock(source, now),
        "outcomes": TriageOutcome.choices,
        "yes_no": YES_NO,
    }
    template = "sources/triage_add.html"

    def questions(field_errors: dict[str, str]) -> list[dict[str, str]]:
        return [
            {
                "name": key,
                "text": text,
                "value": values.get(key, ""),
                "error": field_errors.get(key, ""),
            }
            for key, text in QUESTIONS.items()
        ]

    context["questions"] = questions({})
    if request.method != "POST":
        return render(request, template, context)
    try:
        actions.record_triage(
            source,
            acting_user=request.user,
            answers={key: request.POST.get(key, "") for key in QUESTIONS},
            outcome=request.POST.get("outcome", ""),
            rationale=request.POST.get("rationale", ""),
        )
    except CpmpError as error:
        context["errors"], context["field_errors"] = _errors(error)
        context["questions"] = questions(context["field_errors"])
        return render(request, template, context, status=400)
    return redirect("sources:records", source_id=source.pk)
