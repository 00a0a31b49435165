"""The operations list and each operation's page: its team, authorities and deployments.

Only people who may see the operation (``cpmp.access.compartments``) reach its page; anyone
else gets the same 404 as for an operation that does not exist.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cpmp.access.compartments import visible_authorisations, visible_operations
from cpmp.audit.actions import record_view
from cpmp.audit.requests import source_from_request
from cpmp.authorities.selectors import with_status
from cpmp.errors import CpmpError
from cpmp.web.views import forbidden

from . import actions
from .models import Operation


def _operation(request: HttpRequest, operation_id: int) -> Operation:
    now = timezone.now()
    operation = (
        visible_operations(request.user, now)
        .select_related("senior_investigating_officer")
        .filter(pk=operation_id)
        .first()
    )
    if operation is None:
        raise Http404("No operation found")
    return operation


def operation_list(request: HttpRequest) -> HttpResponse:
    """List the operations the person may see."""
    now = timezone.now()
    operations = visible_operations(request.user, now).order_by("name")
    if not operations.exists():
        return forbidden(request)
    return render(request, "operations/list.html", {"operations": operations})


def operation_detail(request: HttpRequest, operation_id: int) -> HttpResponse:
    """Show an operation with its team, authorities, bookings and deployments."""
    from cpmp.deployments.access import can_act_for_operation

    now = timezone.now()
    operation = _operation(request, operation_id)
    record_view(request, "operation", operation.pk)
    authorisations = with_status(
        visible_authorisations(request.user, now).filter(operation_ref=operation), now
    ).order_by("reference")
    return render(
        request,
        "operations/detail.html",
        {
            "operation": operation,
            "authorisations": authorisations,
            "members": operation.memberships.select_related("user").order_by("user__last_name"),
            "bookings": operation.bookings.filter(cancelled_at__isnull=True)
            .select_related("asset")
            .order_by("starts_at"),
            "deployments": operation.deployments.select_related("asset", "authorisation").order_by(
                "-starts_at"
            ),
            "may_manage_team": actions.can_manage_team(request.user, operation, now),
            "may_deploy": can_act_for_operation(request.user, operation, now),
            "team_error": request.GET.get("team_error", ""),
        },
    )


@require_POST
def team_add(request: HttpRequest, operation_id: int) -> HttpResponse:
    """Add a person to the team, by username."""
    operation = _operation(request, operation_id)
    if not actions.can_manage_team(request.user, operation, timezone.now()):
        return forbidden(request)
    person = get_user_model().objects.filter(username=request.POST.get("username", "")).first()
    if person is None:
        return _team_error(operation, "No account has that username")
    source, _ = source_from_request(request)
    try:
        actions.add_team_member(operation, person, acting_user=request.user, source=source)
    except CpmpError as error:
        return _team_error(operation, error.message)
    return redirect("operations:detail", operation_id=operation.pk)


@require_POST
def team_remove(request: HttpRequest, operation_id: int, user_id: int) -> HttpResponse:
    """Remove a person from the team."""
    operation = _operation(request, operation_id)
    if not actions.can_manage_team(request.user, operation, timezone.now()):
        return forbidden(request)
    person = get_user_model().objects.filter(pk=user_id).first()
    if person is None:
        raise Http404("No person found")
    source, _ = source_from_request(request)
    try:
        actions.remove_team_member(operation, person, acting_user=request.user, source=source)
    except CpmpError as error:
        return _team_error(operation, error.message)
    return redirect("operations:detail", operation_id=operation.pk)


def _team_error(operation: Operation, message: str) -> HttpResponse:
    from urllib.parse import urlencode

    from django.urls import reverse

    url = reverse("operations:detail", kwargs={"operation_id": operation.pk})
    return redirect(f"{url}?{urlencode({'team_error': message})}")
