"""Deny by default: every page needs a signed-in person, except the sign-in page and static files."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import resolve

PUBLIC_URL_NAMES = frozenset({"web:login"})


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(settings.STATIC_URL) or request.user.is_authenticated:
            return self.get_response(request)
        match = resolve(request.path_info) if _resolves(request.path_info) else None
        if match is not None and match.view_name in PUBLIC_URL_NAMES:
            return self.get_response(request)
        return redirect_to_login(request.get_full_path())


def _resolves(path: str) -> bool:
    from django.urls import Resolver404

    try:
        resolve(path)
    except Resolver404:
        return False
    return True
