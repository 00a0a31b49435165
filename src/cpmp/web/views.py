"""The service's own pages: home, sign-in, and the pages for refused and missing requests."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cpmp.access.compartments import can_open_register
from cpmp.access.predicates import can_import_central_record

from .forms import SignInForm


def home(request: HttpRequest) -> HttpResponse:
    """Send the person to the first page their roles allow, or explain that there is none."""
    now = timezone.now()
    if can_open_register(request.user, now):
        return redirect("authorities:register")
    if can_import_central_record(request.user, now):  # type: ignore[arg-type]
        return redirect("oversight:import-start")
    return render(request, "web/home.html")


ORGANISATION_SIGN_IN_FAILED = (
    "You could not be signed in with your organisation account. Sign in with your CPMP "
    "username and password, or ask your administrator to link your organisation account"
)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["organisation_sign_in"] = settings.CPMP_OIDC_ENABLED
        if settings.CPMP_OIDC_ENABLED and self.request.GET.get("organisation-sign-in") == "failed":
            context["organisation_sign_in_failed"] = True
            context["organisation_sign_in_errors"] = [("", ORGANISATION_SIGN_IN_FAILED)]
        return context


def forbidden(request: HttpRequest) -> HttpResponse:
    """Render the GOV.UK "You do not have access to this page" page with status 403."""
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Render the GOV.UK page for a form sent without a valid CSRF token, with status 403.

    ``reason`` is Django's technical explanation; it is not shown, because it helps only an
    attacker.
    """
    return render(request, "web/csrf_failure.html", status=403)
