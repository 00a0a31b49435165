"""Deny by default: every API operation names the access predicate it runs.

An operation's view must be wrapped in ``requires(predicate)`` under the router decorator, and
the API must authenticate it with ``BearerToken``. ``unchecked_operations`` lists every
operation missing either, and ``cpmp.api.api`` raises at import when the list is not empty, so
the URLconf cannot load with an unchecked endpoint.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.utils import timezone
from ninja import NinjaAPI

from cpmp.access.models import User
from cpmp.errors import CpmpError, Forbidden

from .auth import BearerToken

Predicate = Callable[[Any, datetime], bool]
View = TypeVar("View", bound=Callable[..., Any])

# The attribute on a checked view that names its predicate, read by ``unchecked_operations``.
PREDICATE_ATTRIBUTE = "cpmp_access_predicate"


def holds_a_live_role(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may use the endpoints open to everyone who works in CPMP.

    That is an active person holding at least one role at ``now``, so someone whose only role
    has lapsed (an inspector after their access ends) is refused.
    """
    if not user.is_active:
        return False
    return bool(user.active_roles(now))


def forbidden(**_: Any) -> CpmpError:
    return Forbidden(
        "You do not have access to this. Ask your CPMP administrator if you need it.",
    )


def requires(
    predicate: Predicate, *, when_denied: Callable[..., CpmpError] = forbidden
) -> Callable[[View], View]:
    """Wrap a view so it runs only when ``predicate(request.auth, now)`` is true.

    Otherwise it raises the error ``when_denied`` builds from the view's keyword arguments:
    ``Forbidden`` by default, or a ``NotFound`` identical to the one for a missing record where
    denial must not reveal that the record exists.
    """

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def checked(request: Any, *args: Any, **kwargs: Any) -> Any:
            user = getattr(request, "auth", None)
            if not isinstance(user, User) or not predicate(user, timezone.now()):
                raise when_denied(**kwargs)
            return view(request, *args, **kwargs)

        # django-ninja reads parameter types from the signature and resolves string annotations
        # in the wrapper's module, where the view's types are not defined, so resolve them here.
        checked.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
        setattr(checked, PREDICATE_ATTRIBUTE, predicate)
        return checked  # type: ignore[return-value]

    return decorate


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
    """Return "METHOD path: reason" for each operation that lacks a predicate or the token."""
    problems = []
    for path, operation in api_operations(api):
        label = f"{'/'.join(sorted(operation.methods))} {path}"
        if getattr(operation.view_func, PREDICATE_ATTRIBUTE, None) is None:
            problems.append(f"{label}: the view is not wrapped in requires(predicate)")
        callbacks = operation.auth_callbacks or []
        if not any(isinstance(callback, BearerToken) for callback in callbacks):
            problems.append(f"{label}: the operation does not authenticate with BearerToken")
    return problems
