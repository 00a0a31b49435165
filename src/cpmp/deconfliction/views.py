"""Deconfliction pages: the cases a person may see, each shaped by ``access.case_view``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cpmp.access.compartments import visible_operations
from cpmp.audit.actions import record_view
from cpmp.errors import CpmpError
from cpmp.web.views import forbidden

from . import actions
from .access import (
    FULL,
    access_case,
    can_add_identifier,
    can_open_case_list,
    case_view,
    is_deconfliction_officer,
    view_of,
    visible_cases,
)
from .models import CaseOutcome, IdentifierCategory


def _errors(error: CpmpError) -> list[tuple[str, str]]:
    fields = error.fields.get("errors") or {}
    return [(key, message) for key, message in fields.items()] or [("", error.message)]


def case_list(request: HttpRequest) -> HttpResponse:
    """List the cases the person may see, each as their view of it."""
    now = timezone.now()
    if not can_open_case_list(request.user, now):
        return forbidden(request)
    cases = visible_cases(request.user, now).select_related("officer").order_by("-raised_at", "-pk")
    rows = [case_view(case, view_of(request.user, case, now)) for case in cases[:200]]
    return render(request, "deconfliction/case_list.html", {"rows": rows})


def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    now = timezone.now()
    case, view = access_case(request.user, case_id, now)
    record_view(request, "deconfliction_case", case.pk)
    return render(
        request,
        "deconfliction/case_detail.html",
        {
            "case": case_view(case, view),
            "full": view == FULL,
            "can_resolve": is_deconfliction_officer(request.user, now) and case.state == "open",
            "outcomes": CaseOutcome.choices,
        },
    )


def case_resolve(request: HttpRequest, case_id: int) -> HttpResponse:
    """Resolve a case (POST): the deconfliction officer only; others get 404 or 403."""
    now = timezone.now()
    case, view = access_case(request.user, case_id, now)
    if not is_deconfliction_officer(request.user, now):
        return forbidden(request)
    if request.method != "POST":
        return redirect("deconfliction:case-detail", case_id=case.pk)
    try:
        actions.resolve_case(
            case,
            acting_user=request.user,
            outcome=request.POST.get("outcome", ""),
            notes=request.POST.get("notes", ""),
        )
    except CpmpError as error:
        context = {
            "case": case_view(case, view),
            "full": True,
            "can_resolve": True,
            "outcomes": CaseOutcome.choices,
            "errors": _errors(error),
        }
        return render(request, "deconfliction/case_detail.html", context, status=400)
    return redirect("deconfliction:case-detail", case_id=case.pk)


def identifier_add(request: HttpRequest) -> HttpResponse:
    """Add an identifier to one of the person's operations, which may raise cases."""
    now = timezone.now()
    operations = [
        operation
        for operation in visible_operations(request.user, now).order_by("name")
        if can_add_identifier(request.user, operation, now)
    ]
    if not operations:
        return forbidden(request)
    context: dict[str, object] = {
        "operations": operations,
        "categories": IdentifierCategory.choices,
    }
    if request.method == "POST":
        try:
            operation = next(op for op in operations if str(op.pk) == request.POST.get("operation"))
        except StopIteration:
            context["errors"] = [("operation", "Choose one of your operations")]
            return render(request, "deconfliction/identifier_add.html", context, status=400)
        try:
            _, cases = actions.add_identifier(
                acting_user=request.user,
                operation=operation,
                category=request.POST.get("category", ""),
                value=request.POST.get("value", ""),
            )
        except CpmpError as error:
            context["errors"] = _errors(error)
            return render(request, "deconfliction/identifier_add.html", context, status=400)
        context["added"] = True
        context["match_count"] = len(cases)
    return render(request, "deconfliction/identifier_add.html", context)
