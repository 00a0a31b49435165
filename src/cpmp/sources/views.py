"""Source record pages: one source's records, recording a contact, and the unit's reports."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cpmp.access.compartments import visible_sources
from cpmp.audit.actions import record_view
from cpmp.errors import CpmpError
from cpmp.web.views import forbidden

from . import actions
from .access import access_source_records, can_open_source_reports, can_record_for_source
from .models import ContactKind
from .selectors import clock_report, contact_gaps, ledger, payment_anomalies, potential_source_clock


def source_records(request: HttpRequest, source_id: int) -> HttpResponse:
    """Show a source's contacts, taskings, payment ledger, welfare notes and its clock."""
    now = timezone.now()
    source = access_source_records(request.user, source_id, now)
    record_view(request, "source_records", source.pk)
    return render(
        request,
        "sources/records.html",
        {
            "source": source,
            "clock": potential_source_clock(source, now),
            "contacts": source.contacts.order_by("-occurred_at")[:100],
            "taskings": source.taskings.order_by("-starts_at")[:100],
            "ledger": ledger(source),
            "welfare": source.welfare_notes.order_by("-recorded_at")[:100],
            "can_record": can_record_for_source(request.user, source, now),
        },
    )


def contact_add(request: HttpRequest, source_id: int) -> HttpResponse:
    """Record a meeting, call or message: the source's handler or controller only."""
    now = timezone.now()
    source = access_source_records(request.user, source_id, now)
    if not can_record_for_source(request.user, source, now):
        return forbidden(request)
    context: dict[str, object] = {"source": source, "kinds": ContactKind.choices}
    if request.method == "POST":
        try:
            occurred_at = datetime.fromisoformat(request.POST.get("occurred_at", ""))
            if timezone.is_naive(occurred_at):
                occurred_at = timezone.make_aware(occurred_at)
        except ValueError:
            occurred_at = None
        try:
            actions.record_contact(
                source,
                acting_user=request.user,
                kind=request.POST.get("kind", ""),
                occurred_at=occurred_at,
                location_reference=request.POST.get("location_reference", ""),
                information_passed=request.POST.get("information_passed", ""),
                welfare_observations=request.POST.get("welfare_observations", ""),
                welfare_concern=request.POST.get("welfare_concern") == "yes",
            )
        except CpmpError as error:
            fields = error.fields.get("errors") or {}
            context["errors"] = list(fields.items()) or [("", error.message)]
            return render(request, "sources/contact_add.html", context, status=400)
        return redirect("sources:records", source_id=source.pk)
    return render(request, "sources/contact_add.html", context)


def reports(request: HttpRequest) -> HttpResponse:
    """Show the contact gaps, payment anomalies and potential-source clocks the person may see."""
    now = timezone.now()
    if not can_open_source_reports(request.user, now):
        return forbidden(request)
    sources = visible_sources(request.user, now)
    record_view(request, "source_reports", "all")
    return render(
        request,
        "sources/reports.html",
        {
            "gaps": contact_gaps(sources),
            "anomalies": payment_anomalies(sources, now),
            "clocks": clock_report(sources, now),
        },
    )
