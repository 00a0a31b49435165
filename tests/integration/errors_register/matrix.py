"""A relevant error in the access matrix's operation, for the ``errors`` routes."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from cpmp.audit.actions import SystemActor
from cpmp.oversight.errors_register.actions import raise_candidate
from cpmp.oversight.errors_register.models import ErrorCategory

# Who sees relevant errors: the roles that answer for compliance, and the operation's team.
ERROR_VIEWERS = frozenset(
    {"gatekeeper", "senior responsible officer", "inspector", "auditor", "member"}
)
# Who confirms, dismisses, reports and closes them.
ERROR_MANAGERS = frozenset({"gatekeeper", "senior responsible officer"})


def error_id(world: dict[str, Any]) -> dict[str, Any]:
    """Return the route's keyword arguments for a candidate error in the world's operation.

    The sign-in test builds no operation, and only needs a well-formed URL.
    """
    if "operation" not in world:
        return {"error_id": 999_999}
    error = raise_candidate(
        acting_user=SystemActor.COMMAND_LINE,
        summary="Surveillance continued after the authorisation expired.",
        category=ErrorCategory.ACTIVITY_AFTER_END,
        at=timezone.now(),
        authorisations=[world["record"]],
        operation_id=world["operation"].pk,
    )
    return {"error_id": error.pk}
