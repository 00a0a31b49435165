"""Values every page template needs: the service name and the navigation links."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from cpmp.access.compartments import (
    can_open_register,
    can_open_source_list,
    visible_operations,
)
from cpmp.access.predicates import (
    can_import_central_record,
    can_manage_accounts,
    has_passed_second_factor,
    needs_second_factor,
)
from cpmp.deconfliction.access import can_open_case_list
from cpmp.deployments.access import can_use_deployments
from cpmp.oversight.errors_register.access import can_open_error_list
from cpmp.risk.access import can_open_risk_register

SERVICE_NAME = "Covert Policing Management Platform"


def service(request: HttpRequest) -> dict[str, Any]:
    """Return the service name and the navigation links the signed-in person may use."""
    return {"service_name": SERVICE_NAME, "navigation": _navigation(request)}


def _navigation(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    now = timezone.now()
    # Until the second factor is passed, every link would only lead back to the code page.
    if not has_passed_second_factor(user) and needs_second_factor(user, now):
        return []
    links = []
    if can_open_register(user, now):
        links.append(("Register", reverse("authorities:register")))
    if can_open_source_list(user, now):
        links.append(("Sources", reverse("assets:source-list")))
    if can_import_central_record(user, now):
        links.append(("Import", reverse("oversight:import-start")))
    if visible_operations(user, now).exists():
        links.append(("Operations", reverse("operations:list")))
    if can_use_deployments(user, now):
        links.append(("Assets", reverse("asset-register:list")))
        links.append(("Deployments", reverse("deployments:now")))
    if can_open_risk_register(user, now):
        links.append(("Risk", reverse("risk:register")))
    if can_open_case_list(user, now):
        links.append(("Deconfliction", reverse("deconfliction:case-list")))
    if can_open_error_list(user, now):
        links.append(("Errors", reverse("errors:list")))
    if can_manage_accounts(user, now):
        links.append(("Accounts", reverse("admin:index")))
    return [
        {"text": text, "href": href, "active": request.path.startswith(href)}
        for text, href in links
    ]
