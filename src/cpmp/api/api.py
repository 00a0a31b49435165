"""The JSON API at ``/api/``: one NinjaAPI with bearer-token authentication on every operation.

The OpenAPI document is at ``/api/openapi.json`` and also needs a token. The interactive docs
page is off, because django-ninja's loads its scripts and styles from a CDN, which the
Content Security Policy forbids.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from cpmp.errors import CpmpError, NotAuthenticated

from . import (
    assets,
    authorisations,
    deconfliction,
    errors_register,
    imports,
    law,
    lifecycle,
    lifecycle_powers,
    sources,
)
from .errors import NOT_AUTHENTICATED_MESSAGE, error_response, install_exception_handlers
from .permissions import UNDECLARED, is_active_person, requires, unchecked_operations

# The API's version, in the OpenAPI document's info. Raise the major number when a change
# breaks existing clients.
API_VERSION = "1.0.0"

schema_auth = requires(is_active_person)


def require_token_for_schema(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap the OpenAPI document's view so it serves only requests with a usable token."""

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            user = schema_auth(request)
        except CpmpError as error:
            return error_response(api, request, error)
        if user is None:
            return error_response(api, request, NotAuthenticated(NOT_AUTHENTICATED_MESSAGE))
        return view(request, *args, **kwargs)

    return checked


api = NinjaAPI(
    title="CPMP API",
    version=API_VERSION,
    description="The JSON API of the Covert Policing Management Platform. Every call needs "
    "'Authorization: Bearer <token>' and runs the same access checks as the pages.",
    auth=UNDECLARED,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
    docs_decorator=require_token_for_schema,
)
install_exception_handlers(api)
api.add_router("/", authorisations.router)
api.add_router("/", imports.router)
api.add_router("/", law.router)
api.add_router("/", assets.router)
api.add_router("/", lifecycle.router)
api.add_router("/", lifecycle_powers.router)
api.add_router("/", sources.router)
api.add_router("/", deconfliction.router)
api.add_router("/", errors_register.router)

_problems = unchecked_operations(api)
if _problems:
    raise ImproperlyConfigured(
        "Every API operation must name its access predicate and authenticate with a token: "
        + "; ".join(_problems)
    )
