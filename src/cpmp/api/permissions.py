"""Deny by default: every API operation names the access predicate it runs.

Each route passes ``auth=requires(predicate)``, which authenticates the bearer token and runs
the predicate before anything else. The API's own default is ``UNDECLARED``, whose predicate
rejects everyone, so a route that names no predicate returns 403 to all. On top of that,
``unchecked_operations`` lists every operation without its own ``requires``, and
``cpmp.api.api`` raises at import when the list is not empty, so such a route cannot load.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ninja import NinjaAPI

from cpmp.errors import CpmpError, Forbidden

from .auth import BearerToken, Predicate

logger = logging.getLogger(__name__)


def is_active_person(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may read what describes the API itself, such as its schema."""
    return bool(user.is_active)


def holds_a_live_role(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may use the endpoints open to everyone who works in CPMP.

    That is an active person holding at least one role at ``now``, so someone whose only role
    has lapsed (an inspector after their access ends) is refused.
    """
    if not user.is_active:
        return False
    return bool(user.active_roles(now))


def no_permission_declared(user: Any, now: datetime) -> bool:
    """Reject everyone: the predicate of a route that names none."""
    logger.error("API request rejected: the route names no access predicate; user=%s", user.pk)
    return False


def forbidden() -> CpmpError:
    return Forbidden("You do not have access to this. Ask your CPMP administrator if you need it.")


def requires(
    predicate: Predicate, *, when_denied: Callable[[], CpmpError] = forbidden
) -> BearerToken:
    """Return the ``auth`` for a route that a person may use only when ``predicate`` is true.

    ``when_denied`` builds the rejection: ``Forbidden`` by default, or the same ``NotFound`` as
    for a missing record where a rejection must not reveal that the record exists.
    """
    return BearerToken(predicate, when_denied)


UNDECLARED = BearerToken(no_permission_declared, forbidden)


def api_operations(api: NinjaAPI) -> list[tuple[str, Any]]:
    """Return (path, operation) for every operation of ``api``, as bound to its routers.

    The bound operations carry the authentication each one inherits from the API or router.
    """
    # NOTE: django-ninja has no public list of bound operations. ``_get_bound_routers`` is its
    # private method in 1.7; if an upgrade renames it, the operation-walk test fails loudly.
    operations = []
    for bound_router in api._get_bound_routers():
        for path, path_view in bound_router.path_operations.items():
            for operation in path_view.operations:
                full_path = re.sub("/{2,}", "/", f"/{bound_router.prefix}/{path}")
                operations.append((full_path, operation))
    return operations


def unchecked_operations(api: NinjaAPI) -> list[str]:
    """Return "METHOD path: reason" for each operation without its own ``requires``."""
    problems = []
    for path, operation in api_operations(api):
        label = f"{'/'.join(sorted(operation.methods))} {path}"
        callbacks = list(operation.auth_callbacks or [])
        if not callbacks:
            problems.append(f"{label}: the operation has no authentication")
        for callback in callbacks:
            if not isinstance(callback, BearerToken):
                problems.append(f"{label}: {type(callback).__name__} is not BearerToken")
            elif callback.predicate is no_permission_declared:
                problems.append(f"{label}: the route does not pass auth=requires(predicate)")
    return problems
