"""Middleware for the security envelope around every page.

Deny by default: every page needs a signed-in person, except the sign-in pages and static
files. The JSON API under ``/api/`` is left to its own bearer-token check, which refuses every
request that carries no valid token and accepts no session. People holding a role in
``SECOND_FACTOR_ROLES`` must also pass their second factor in this session before any other
page opens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from cpmp.access.predicates import has_passed_second_factor, needs_second_factor

from .sessions import session_has_expired

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
PUBLIC_URL_NAMES = frozenset({"web:login", "web:oidc-start", "web:oidc-callback"})
# Pages a person may open after the password but before the second factor.
SECOND_FACTOR_URL_NAMES = frozenset({"web:second-factor", "web:second-factor-set-up", "web:logout"})

SESSION_LIMIT_MESSAGE = (
    "You have been signed out because your session reached its time limit. "
    "Sign in again to continue."
)

GetResponse = Callable[[HttpRequest], HttpResponseBase]


def _view_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def _is_static(request: HttpRequest) -> bool:
    return request.path.startswith(settings.STATIC_URL)


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


class LoginRequiredMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _is_static(request) or request.user.is_authenticated:
            return self.get_response(request)
        if _is_api(request) or _view_name(request) in PUBLIC_URL_NAMES:
            return self.get_response(request)
        return redirect_to_login(request.get_full_path())


class SecondFactorRequiredMiddleware:
    """Send a signed-in person who still owes a second factor to the code or set-up page.

    Must come after django-otp's ``OTPMiddleware`` (which sets ``user.otp_device``) and after
    ``LoginRequiredMiddleware``. Form posts are redirected too, so nothing is changed before
    the code is checked.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        if (
            _is_static(request)
            or _is_api(request)
            or not user.is_authenticated
            or has_passed_second_factor(user)
            or not needs_second_factor(user, timezone.now())
        ):
            return self.get_response(request)
        if _view_name(request) in SECOND_FACTOR_URL_NAMES:
            return self.get_response(request)
        return redirect_to_login(request.get_full_path(), login_url="web:second-factor")


class AbsoluteSessionTimeoutMiddleware:
    """End a session ``CPMP_SESSION_ABSOLUTE_SECONDS`` after sign-in, however active it was."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated and session_has_expired(
            request.session, timezone.now(), settings.CPMP_SESSION_ABSOLUTE_SECONDS
        ):
            user_id = request.user.pk
            logout(request)
            logger.info("session ended at the absolute limit: user=%s", user_id)
            messages.info(request, SESSION_LIMIT_MESSAGE)
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Add the Permissions-Policy header, switching off every feature in the setting."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=()" for feature in settings.CPMP_PERMISSIONS_POLICY
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class NoStoreMiddleware:
    """Forbid browsers and proxies from storing any page the application renders.

    Pages hold covert records, so none may stay in a browser cache or a proxy. Static files are
    served before this middleware and stay cacheable.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
