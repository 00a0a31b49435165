"""Who may book, deploy and recover assets, on top of the compartment policy.

Reads start from ``visible_bookings`` and ``visible_deployments``, which keep only the rows
in operations the person may see (``cpmp.access.compartments``), so a booking or deployment
in another compartment answers exactly as one that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from cpmp.access.compartments import (
    can_view_operation,
    may_see_operational_content,
    oversees_all_operations,
    visible_operations,
)
from cpmp.access.roles import Role
from cpmp.operations.models import Operation

from .models import Booking, Deployment, RecoveryTask, ReviewTrigger

# Roles that read records but never change them.
READ_ONLY_ROLES = frozenset({Role.INSPECTOR, Role.AUDITOR})
UNIT_MANAGER_ROLES = frozenset({Role.TECHNICAL_UNIT_MANAGER, Role.UNDERCOVER_UNIT_MANAGER})
# Roles that may review a long-running undercover deployment and close its trigger.
REVIEWER_ROLES = frozenset(
    {Role.AUTHORISING_OFFICER, Role.SENIOR_AUTHORISING_OFFICER, Role.SENIOR_RESPONSIBLE_OFFICER}
)


def can_act_for_operation(user: Any, operation: Operation, now: datetime) -> bool:
    """Decide whether ``user`` may book, deploy and recover assets for ``operation``.

    That is someone who may see the operation and holds a live role that is not read-only.
    """
    if not can_view_operation(user, operation, now):
        return False
    roles = user.active_roles(now)
    return bool(roles - READ_ONLY_ROLES)


def can_use_deployments(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may open the booking, deployment and lookup pages at all."""
    if not may_see_operational_content(user, now):
        return False
    if oversees_all_operations(user, now):
        return True
    if user.active_roles(now) & UNIT_MANAGER_ROLES:
        return True
    return visible_operations(user, now).exists()


def visible_bookings(user: Any, now: datetime) -> QuerySet[Booking]:
    return Booking.objects.filter(operation__in=visible_operations(user, now))


def visible_deployments(user: Any, now: datetime) -> QuerySet[Deployment]:
    return Deployment.objects.filter(operation__in=visible_operations(user, now))


def visible_recovery_tasks(user: Any, now: datetime) -> QuerySet[RecoveryTask]:
    """Return the recovery tasks ``user`` may see: those in their operations, and for a
    technical unit manager every task escalated to the technical unit or beyond."""
    from .models import EscalationLevel

    if not may_see_operational_content(user, now):
        return RecoveryTask.objects.none()
    in_compartment = RecoveryTask.objects.filter(
        deployment__operation__in=visible_operations(user, now)
    )
    if Role.TECHNICAL_UNIT_MANAGER in user.active_roles(now):
        escalated = RecoveryTask.objects.filter(
            escalation_level__gte=EscalationLevel.TECHNICAL_UNIT_MANAGER
        )
        return in_compartment | escalated
    return in_compartment


def can_record_recovery(user: Any, task: RecoveryTask, now: datetime) -> bool:
    """Decide whether ``user`` may record that ``task``'s asset was recovered."""
    if can_act_for_operation(user, task.deployment.operation, now):
        return True
    if not may_see_operational_content(user, now):
        return False
    return Role.TECHNICAL_UNIT_MANAGER in user.active_roles(now)


def visible_review_triggers(user: Any, now: datetime) -> QuerySet[ReviewTrigger]:
    """Return the review triggers in the operations ``user`` may see."""
    return ReviewTrigger.objects.filter(operation__in=visible_operations(user, now))


def can_close_review_trigger(user: Any, trigger: ReviewTrigger, now: datetime) -> bool:
    """Decide whether ``user`` may record the review and close ``trigger``.

    That is an authorising officer, senior authorising officer or senior responsible officer
    who may see the trigger's operation. An authorising officer sees it only once added to
    the operation's team.
    """
    if not can_view_operation(user, trigger.operation, now):
        return False
    return bool(user.active_roles(now) & REVIEWER_ROLES)
