"""Lockout after repeated failures, through django-axes.

Axes counts wrong passwords by itself. Wrong second-factor codes are reported to it here as
failed sign-ins for the same username, so they share one limit with wrong passwords.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cpmp.audit.requests import UNKNOWN_SOURCE, source_from_request


def client_address(request: HttpRequest) -> str | None:
    """Return the client's IP address as the audit chain records it (AXES_CLIENT_IP_CALLABLE).

    Returns None when the address is missing or invalid, because axes stores it in an IP
    address column, which PostgreSQL rejects for anything else. Failures from requests without
    an address are then counted together, per username.
    """
    source = source_from_request(request).source
    return None if source == UNKNOWN_SOURCE else source


def _credentials(user: Any) -> dict[str, str]:
    return {"username": user.get_username()}


def record_wrong_code(request: HttpRequest, user: Any) -> None:
    """Count a wrong second-factor code toward ``user``'s lockout, as a failed sign-in."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)


def is_locked_out(request: HttpRequest, user: Any) -> bool:
    """Return whether ``user`` at this request's address has reached the failure limit."""
    return bool(AxesProxyHandler.is_locked(request, _credentials(user)))


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """Render the GOV.UK "locked" page (``AXES_LOCKOUT_CALLABLE``) with status 429.

    The page does not repeat the username, so it confirms nothing about which accounts exist.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "web/locked.html",
        {"cool_off_minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
