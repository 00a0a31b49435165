"""Who may see and act on relevant errors.

The roles that answer for the force's compliance see every error: the gatekeeper (Central
Authorities Bureau), the senior responsible officer, and read-only the auditor and the
inspector. Members of the affected operation's team see that operation's errors, read-only.
An error a person may not see answers exactly as a missing one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cpmp.access.compartments import _active_roles, compartment_ids, may_see_operational_content
from cpmp.access.roles import Role

from .models import RelevantError

# The roles that see every relevant error, whatever its operation.
ERROR_OVERSIGHT_ROLES = frozenset(
    {Role.GATEKEEPER, Role.SENIOR_RESPONSIBLE_OFFICER, Role.AUDITOR, Role.INSPECTOR}
)
# The roles that confirm, dismiss, report and close errors. The auditor and the inspector
# only read.
ERROR_MANAGER_ROLES = frozenset({Role.GATEKEEPER, Role.SENIOR_RESPONSIBLE_OFFICER})


def sees_every_error(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` sees every relevant error because of a role they hold."""
    if not may_see_operational_content(user, now):
        return False
    return bool(_active_roles(user, now) & ERROR_OVERSIGHT_ROLES)


def can_manage_errors(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may confirm, dismiss, report, decide and close errors."""
    if not may_see_operational_content(user, now):
        return False
    return bool(_active_roles(user, now) & ERROR_MANAGER_ROLES)


def visible_errors(user: Any, now: datetime) -> QuerySet[RelevantError]:
    """Return the relevant errors ``user`` may see at ``now``.

    An error with no operation is in no team's compartment, so only the oversight roles see it.
    """
    if sees_every_error(user, now):
        return RelevantError.objects.all()
    if not may_see_operational_content(user, now):
        return RelevantError.objects.none()
    return RelevantError.objects.filter(operation__in=compartment_ids(user))


def can_open_error_list(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may open the list, which would otherwise always be empty."""
    if sees_every_error(user, now):
        return True
    if not may_see_operational_content(user, now):
        return False
    return compartment_ids(user).exists()


def access_error(user: Any, error_id: int, now: datetime) -> RelevantError:
    """Return the error ``user`` may see, raising ``Http404`` for a hidden or missing one."""
    error = visible_errors(user, now).filter(pk=error_id).first()
    if error is None:
        raise Http404("No relevant error found")
    return error
