"""Actions that change operations: creating them, their teams, and finding or creating the
compartment an imported record belongs to."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from cpmp.access.compartments import may_see_operational_content
from cpmp.access.roles import Role
from cpmp.audit.actions import COMMAND_LINE_SOURCE, append_event
from cpmp.audit.events import EventType
from cpmp.errors import Forbidden, InvalidRequest

from .models import Operation, OperationKind, OperationMembership, Priority

logger = logging.getLogger(__name__)

# Operation.name's length; longer text is cut to fit, as the register's own column is.
MAX_NAME_LENGTH = 200


def normalise_operation_name(text: str) -> str:
    """Return ``text`` with surrounding space removed and inner runs of space made single.

    Registers type the same operation with stray spaces ("Op  Gingerbread "), so names are
    compared in this form and without regard to case.
    """
    return " ".join(text.split())[:MAX_NAME_LENGTH]


def link_or_create_operation(
    operation_text: str, *, acting_user: Any, source: str, request_id: str | None = None
) -> Operation | None:
    """Return the operation named by ``operation_text``, creating it when none matches.

    Returns None for empty text, which names no compartment. Text that is really a source's
    pseudonym ("Source 'Fictional-Kestrel'") gets an operation of its own, so the source's
    records are seen only by those added to that compartment. A new operation has no team, so
    only the roles that oversee every operation see it until someone is added. Creating one
    appends an ``operation.created`` event in the caller's transaction.
    """
    name = normalise_operation_name(operation_text)
    if not name:
        return None
    with transaction.atomic():
        existing = Operation.objects.filter(name__iexact=name).order_by("pk").first()
        if existing is not None:
            return existing
        operation = Operation.objects.create(name=name)
        append_event(
            EventType.OPERATION_CREATED,
            actor=acting_user,
            object_type="operation",
            object_id=operation.pk,
            payload={"kind": operation.kind, "priority": operation.priority, "imported": True},
            source=source,
            request_id=request_id,
        )
    logger.info("operation created for an imported record: operation=%s", operation.pk)
    return operation


def can_manage_team(user: Any, operation: Operation, now: datetime) -> bool:
    """Decide whether ``user`` may add people to ``operation``'s team and remove them.

    That is the operation's senior investigating officer, or someone whose role oversees every
    operation and is not read-only (gatekeeper, senior authorising officer, senior
    responsible officer).
    """
    if not may_see_operational_content(user, now):
        return False
    if operation.senior_investigating_officer_id == user.pk:
        return True
    return bool(user.active_roles(now) & TEAM_MANAGING_ROLES)


TEAM_MANAGING_ROLES = frozenset(
    {Role.GATEKEEPER, Role.SENIOR_AUTHORISING_OFFICER, Role.SENIOR_RESPONSIBLE_OFFICER}
)


def create_operation(
    *,
    acting_user: Any,
    name: str,
    reference: str = "",
    kind: str = OperationKind.OPERATION,
    priority: str = Priority.MEDIUM,
    senior_investigating_officer: Any = None,
    source: str = COMMAND_LINE_SOURCE,
) -> Operation:
    """Create an operation or investigation; it starts with no team but its SIO."""
    name = normalise_operation_name(name)
    errors = {}
    if not name:
        errors["name"] = "Enter the operation's name"
    if kind not in OperationKind.values:
        errors["kind"] = "Select operation or investigation"
    if priority not in Priority.values:
        errors["priority"] = "Select high, medium or low priority"
    if Operation.objects.filter(name__iexact=name).exists():
        errors["name"] = "An operation with this name already exists: enter another"
    if reference and Operation.objects.filter(reference=reference).exists():
        errors["reference"] = "An operation with this reference already exists: enter another"
    if errors:
        raise InvalidRequest(next(iter(errors.values())), fields={"errors": errors})
    with transaction.atomic():
        operation = Operation.objects.create(
            name=name,
            reference=reference.strip(),
            kind=kind,
            priority=priority,
            senior_investigating_officer=senior_investigating_officer,
        )
        append_event(
            EventType.OPERATION_CREATED,
            actor=acting_user,
            object_type="operation",
            object_id=operation.pk,
            payload={"kind": kind, "priority": priority},
            source=source,
        )
    return operation


def add_team_member(
    operation: Operation,
    user: Any,
    *,
    acting_user: Any,
    source: str = COMMAND_LINE_SOURCE,
    at: datetime | None = None,
) -> OperationMembership:
    """Add ``user`` to ``operation``'s team, so they see its records."""
    now = at or timezone.now()
    if not can_manage_team(acting_user, operation, now):
        raise Forbidden("You cannot change this operation's team.")
    with transaction.atomic():
        membership, created = OperationMembership.objects.get_or_create(
            operation=operation, user=user
        )
        if not created:
            raise InvalidRequest(
                "This person is already in the team", fields={"errors": {"user": "already"}}
            )
        append_event(
            EventType.OPERATION_MEMBER_ADDED,
            actor=acting_user,
            object_type="operation",
            object_id=operation.pk,
            payload={"user_id": user.pk, "membership_id": membership.pk},
            source=source,
        )
    logger.info("team member added: operation=%s user=%s", operation.pk, user.pk)
    return membership


def remove_team_member(
    operation: Operation,
    user: Any,
    *,
    acting_user: Any,
    source: str = COMMAND_LINE_SOURCE,
    at: datetime | None = None,
) -> None:
    """Remove ``user`` from ``operation``'s team; they stop seeing its records at once."""
    now = at or timezone.now()
    if not can_manage_team(acting_user, operation, now):
        raise Forbidden("You cannot change this operation's team.")
    with transaction.atomic():
        membership = OperationMembership.objects.filter(operation=operation, user=user).first()
        if membership is None:
            raise InvalidRequest(
                "This person is not in the team", fields={"errors": {"user": "not in team"}}
            )
        membership_id = membership.pk
        membership.delete()
        append_event(
            EventType.OPERATION_MEMBER_REMOVED,
            actor=acting_user,
            object_type="operation",
            object_id=operation.pk,
            payload={"user_id": user.pk, "membership_id": membership_id},
            source=source,
        )
    logger.info("team member removed: operation=%s user=%s", operation.pk, user.pk)
