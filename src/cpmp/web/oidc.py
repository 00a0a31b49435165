"""The OpenID Connect sign-in pages, which exist only when a force has configured a provider."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase
from django.views.decorators.http import require_GET
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)


def _require_enabled() -> None:
    if not settings.CPMP_OIDC_ENABLED:
        raise Http404("Organisation sign-in is not configured")


@require_GET
def start(request: HttpRequest) -> HttpResponseBase:
    """Send the person to the provider's sign-in page, remembering ``next``."""
    _require_enabled()
    return OIDCAuthenticationRequestView.as_view()(request)


@require_GET
def callback(request: HttpRequest) -> HttpResponseBase:
    """Handle the provider's response: sign the matching account in, or return to sign-in."""
    _require_enabled()
    return OIDCAuthenticationCallbackView.as_view()(request)
