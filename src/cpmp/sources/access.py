"""Who may read and write a source's records, through the compartment policy.

Reads follow ``visible_sources``: the source unit (registrar, the source's handler and
controller), the operation's team and the roles that oversee every operation. Writes are
for the source's own handler and controller while they hold those roles. Payments are
approved by someone holding the controller role or a more senior one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404

from cpmp.access.compartments import (
    can_open_source_list,
    may_see_operational_content,
    visible_sources,
)
from cpmp.access.roles import Role
from cpmp.assets.access import TRUE_IDENTITY_FIELDS
from cpmp.assets.models import Source

# Roles that may approve payments, with their level: 2 is senior.
APPROVER_LEVELS: dict[str, int] = {
    Role.CONTROLLER: 1,
    Role.SENIOR_AUTHORISING_OFFICER: 2,
    Role.SENIOR_RESPONSIBLE_OFFICER: 2,
}
SENIOR_LEVEL = 2


def access_source_records(user: Any, source_id: int, now: datetime) -> Source:
    """Return the source if ``user`` may see it, without its true identity; else ``Http404``."""
    try:
        return (
            visible_sources(user, now)
            .select_related("operation", "handler", "controller")
            .defer(*TRUE_IDENTITY_FIELDS)
            .get(pk=source_id)
        )
    except Source.DoesNotExist as error:
        raise Http404("No source found") from error


def can_open_source_reports(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may open the reports, which list only the sources they may see."""
    return can_open_source_list(user, now)


def can_record_for_source(user: Any, source: Source, now: datetime) -> bool:
    """Decide whether ``user`` may record contacts, taskings, payments, welfare and triage.

    Only the source's own handler and controller, while they hold those roles.
    """
    if not may_see_operational_content(user, now):
        return False
    roles = user.active_roles(now)
    if Role.HANDLER in roles and source.handler_id == user.pk:
        return True
    return Role.CONTROLLER in roles and source.controller_id == user.pk


def approver_role(user: Any, source: Source, now: datetime) -> tuple[str, int] | None:
    """Return (role, level) in which ``user`` may decide payments to ``source``, or None."""
    if not visible_sources(user, now).filter(pk=source.pk).exists():
        return None
    roles = user.active_roles(now)
    held = [(level, role) for role, level in APPROVER_LEVELS.items() if role in roles]
    if not held:
        return None
    level, role = max(held)
    return str(role), level
