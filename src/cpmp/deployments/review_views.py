"""Pages for the reviews of long-running undercover deployments: the open reviews a person
may see, and closing one with the reviewer's note."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cpmp.audit.actions import record_view
from cpmp.audit.requests import source_from_request
from cpmp.errors import CpmpError
from cpmp.web.views import forbidden

from . import actions
from .access import can_close_review_trigger, can_use_deployments, visible_review_triggers
from .forms import ReviewCloseForm
from .views import _add_errors


def review_list(request: HttpRequest) -> HttpResponse:
    """List the open reviews in the person's operations, oldest first."""
    now = timezone.now()
    if not can_use_deployments(request.user, now):
        return forbidden(request)
    triggers = (
        visible_review_triggers(request.user, now)
        .filter(closed_at__isnull=True)
        .select_related("undercover_officer", "operation")
        .order_by("raised_at", "pk")
    )
    return render(request, "deployments/review_list.html", {"triggers": triggers})


def review_close(request: HttpRequest, trigger_id: int) -> HttpResponse:
    """Show one review and close it with the reviewer's note."""
    now = timezone.now()
    trigger = (
        visible_review_triggers(request.user, now)
        .select_related("undercover_officer", "operation")
        .filter(pk=trigger_id)
        .first()
    )
    if trigger is None:
        raise Http404("No review found")
    if not can_close_review_trigger(request.user, trigger, now):
        return forbidden(request)
    if trigger.closed_at is not None:
        return redirect("deployments:review-list")
    form = ReviewCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source, _ = source_from_request(request)
        try:
            actions.close_review_trigger(
                trigger,
                acting_user=request.user,
                note=form.cleaned_data["note"],
                source=source,
                at=now,
            )
        except CpmpError as error:
            _add_errors(form, error)
        else:
            return redirect("deployments:review-list")
    record_view(request, "review_trigger", trigger.pk)
    return render(
        request,
        "deployments/review_close.html",
        {"trigger": trigger, "form": form, "errors": form.summary_errors()},
        status=400 if form.errors else 200,
    )
