"""Pages for deploying booked assets, what is deployed now, recovery tasks and the
"is this authorised right now?" lookup. Every read starts from the compartment policy."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cpmp.access.compartments import can_view_operation, visible_authorisations
from cpmp.assets.models import Asset
from cpmp.audit.actions import record_view
from cpmp.audit.requests import source_from_request
from cpmp.errors import CpmpError
from cpmp.web.views import forbidden

from . import actions
from .access import (
    can_act_for_operation,
    can_record_recovery,
    can_use_deployments,
    visible_bookings,
    visible_recovery_tasks,
)
from .coverage import find_cover
from .errors import DeploymentInvalid, NotCovered
from .forms import DeploymentForm, LookupForm, RecoveryForm
from .models import EscalationLevel
from .selectors import deployed_now, live_authorisations, status_label


def _add_errors(form: object, error: CpmpError) -> None:
    """Put an action's error on the form: field errors by name, anything else on the form."""
    if isinstance(error, DeploymentInvalid):
        for name, message in error.errors.items():
            form.add_error(name if name in form.fields else None, message)  # type: ignore[attr-defined]
    elif isinstance(error, NotCovered):
        for problem in error.problems:
            form.add_error(None, problem)  # type: ignore[attr-defined]
    else:
        form.add_error(None, error.message)  # type: ignore[attr-defined]


def deploy(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Record that a booked asset is deployed under one of the operation's authorisations."""
    now = timezone.now()
    booking = (
        visible_bookings(request.user, now)
        .select_related("asset", "operation")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or not can_act_for_operation(request.user, booking.operation, now):
        raise Http404("No booking found")
    authorisations = visible_authorisations(request.user, now).filter(
        operation_ref=booking.operation
    )
    choices = [("", "Select an authorisation")] + [
        (str(record.pk), f"{record.reference} ({record.get_kind_display()})")
        for record in live_authorisations(authorisations, now).order_by("reference")
    ]
    form = DeploymentForm(request.POST or None)
    form.fields["authorisation"].choices = choices  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        source, _ = source_from_request(request)
        try:
            deployment = actions.record_deployment(
                acting_user=request.user,
                booking=booking,
                authorisation=authorisations.get(pk=int(form.cleaned_data["authorisation"])),
                subject=form.cleaned_data["subject"],
                tactic=form.cleaned_data["tactic"],
                location=form.cleaned_data["location"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                source=source,
            )
        except CpmpError as error:
            _add_errors(form, error)
        else:
            return redirect("operations:detail", operation_id=deployment.operation_id)
    record_view(request, "booking", booking.pk)
    return render(
        request,
        "deployments/deploy.html",
        {"booking": booking, "form": form, "errors": form.summary_errors()},
        status=400 if form.errors else 200,
    )


def deployed_now_page(request: HttpRequest) -> HttpResponse:
    """List every deployment in place now that the person may see, and under what."""
    now = timezone.now()
    if not can_use_deployments(request.user, now):
        return forbidden(request)
    rows = [
        {"deployment": deployment, "status": status, "status_label": status_label(status)}
        for deployment, status in deployed_now(request.user, now)
    ]
    return render(request, "deployments/now.html", {"rows": rows})


def recovery_list(request: HttpRequest) -> HttpResponse:
    """List open recovery tasks the person may see, oldest first."""
    now = timezone.now()
    if not can_use_deployments(request.user, now):
        return forbidden(request)
    tasks = (
        visible_recovery_tasks(request.user, now)
        .filter(closed_at__isnull=True)
        .select_related("deployment__asset", "deployment__operation", "authorisation")
        .order_by("raised_at", "pk")
    )
    return render(request, "deployments/recovery_list.html", {"tasks": tasks})


def recovery_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    """Show one recovery task and record the recovery."""
    now = timezone.now()
    task = (
        visible_recovery_tasks(request.user, now)
        .select_related("deployment__asset", "deployment__operation", "authorisation")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise Http404("No recovery task found")
    form = RecoveryForm(request.POST or None)
    may_record = task.closed_at is None and can_record_recovery(request.user, task, now)
    if request.method == "POST":
        if not may_record:
            return forbidden(request)
        if form.is_valid():
            source, _ = source_from_request(request)
            try:
                actions.record_recovery(
                    task,
                    acting_user=request.user,
                    recovered_to=form.cleaned_data["recovered_to"],
                    source=source,
                )
            except CpmpError as error:
                _add_errors(form, error)
            else:
                return redirect("deployments:recovery-list")
    record_view(request, "recovery_task", task.pk)
    show_operation = can_view_operation(request.user, task.deployment.operation, now)
    return render(
        request,
        "deployments/recovery_detail.html",
        {
            "task": task,
            "form": form,
            "errors": form.summary_errors(),
            "may_record": may_record,
            "show_operation": show_operation,
            "level": EscalationLevel(task.escalation_level).label,
            "due_level": EscalationLevel(actions.escalation_due(task, now)).label,
        },
        status=400 if form.errors else 200,
    )


def lookup(request: HttpRequest) -> HttpResponse:
    """Check whether a live authorisation covers an asset, subject and tactic right now."""
    now = timezone.now()
    if not can_use_deployments(request.user, now):
        return forbidden(request)
    form = LookupForm(request.GET or None)
    checks = None
    asset = None
    if form.is_bound and form.is_valid():
        asset = Asset.objects.filter(reference__iexact=form.cleaned_data["asset"].strip()).first()
        if asset is None:
            form.add_error("asset", "No asset has this reference: check it and try again")
        else:
            candidates = live_authorisations(visible_authorisations(request.user, now), now)
            checks = find_cover(
                candidates.select_related("application"),
                asset=asset,
                subject=form.cleaned_data["subject"].strip(),
                tactic=form.cleaned_data["tactic"].strip(),
                starts_at=now,
                ends_at=now + timedelta(seconds=1),
            )
    covered = [check for check in checks or [] if check.covered]
    return render(
        request,
        "deployments/lookup.html",
        {
            "form": form,
            "errors": form.summary_errors(),
            "checks": checks,
            "covered": covered,
            "asked_at": now,
        },
        status=400 if form.errors else 200,
    )
