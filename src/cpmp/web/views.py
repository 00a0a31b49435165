"""The service's own pages: home, sign-in, and the pages for refused and missing requests."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cpmp.access.predicates import can_import_central_record, can_view_register

from .forms import SignInForm


def home(request: HttpRequest) -> HttpResponse:
    """Send the person to the first page their roles allow, or explain that there is none."""
    now = timezone.now()
    if can_view_register(request.user, now):  # type: ignore[arg-type]
        return redirect("authorities:register")
    if can_import_central_record(request.user, now):  # type: ignore[arg-type]
        return redirect("oversight:import-start")
    return render(request, "web/home.html")


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "web/login.html"
    redirect_authenticated_user = True


def forbidden(request: HttpRequest) -> HttpResponse:
    """Render the GOV.UK "You do not have access to this page" page with status 403."""
    return render(request, "403.html", status=403)
