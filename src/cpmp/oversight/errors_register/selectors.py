"""Reads for the relevant errors register."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from cpmp.access.models import User

from .access import ERROR_MANAGER_ROLES
from .clock import ErrorClock, sort_by_clock
from .models import RelevantError


def possible_owners(error: RelevantError, now: datetime) -> QuerySet[User]:
    """Return the people who may own ``error``: those who manage errors, and its team."""
    live_role = Q(role_assignments__expires_at__isnull=True) | Q(
        role_assignments__expires_at__gt=now
    )
    managers = Q(role_assignments__role__in=ERROR_MANAGER_ROLES) & live_role
    people = managers
    operation = error.operation
    if operation is not None:
        people |= Q(operation_memberships__operation_id=operation.pk)
        people |= Q(pk=operation.senior_investigating_officer_id)
    return User.objects.filter(is_active=True).filter(people).distinct().order_by("username")


def filtered_rows(
    errors: QuerySet[RelevantError],
    now: datetime,
    *,
    status: str = "",
    category: str = "",
    overdue_only: bool = False,
) -> list[tuple[RelevantError, ErrorClock]]:
    """Filter ``errors`` and pair each with its clock, overdue unreported errors first."""
    if status:
        errors = errors.filter(status=status)
    if category:
        errors = errors.filter(category=category)
    rows = sort_by_clock(list(errors.prefetch_related("authorisations")), now)
    if overdue_only:
        rows = [row for row in rows if row[1].overdue]
    return rows


def error_view(error: RelevantError, clock: ErrorClock) -> dict[str, Any]:
    """Return ``error`` as the API's JSON object."""
    deadline = clock.deadline
    return {
        "id": error.pk,
        "summary": error.summary,
        "category": error.category,
        "status": error.status,
        "operation_id": error.operation_id,
        "authorisation_ids": sorted(record.pk for record in error.authorisations.all()),
        "recovery_task_id": error.recovery_task_id,
        "occurred_on": error.occurred_on.isoformat() if error.occurred_on else None,
        "established_on": error.established_on.isoformat() if error.established_on else None,
        "owner_id": error.owner_id,
        "raised_at": error.raised_at.isoformat(),
        "dismissal_reasons": error.dismissal_reasons,
        "due_last_day": deadline.due_last_day.isoformat() if deadline else None,
        "outside_limit_last_day": (
            deadline.outside_limit_last_day.isoformat() if deadline else None
        ),
        "overdue": clock.overdue,
        "late": clock.late,
        "reported_on": error.reported_on.isoformat() if error.reported_on else None,
        "ipc_reference": error.ipc_reference,
        "ipc_serious": error.ipc_serious,
        "ipc_decided_on": error.ipc_decided_on.isoformat() if error.ipc_decided_on else None,
        "closed_at": error.closed_at.isoformat() if error.closed_at else None,
    }
