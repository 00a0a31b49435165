"""Pages of the relevant errors register. Every read starts from ``access.visible_errors``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cpmp.access.compartments import audit_list_view, visible_operations
from cpmp.audit.actions import record_view
from cpmp.audit.requests import source_from_request
from cpmp.web.views import forbidden

from . import actions
from .access import (
    access_error,
    can_manage_errors,
    can_open_error_list,
    visible_errors,
)
from .clock import clock_for
from .errors import ErrorStepInvalid
from .forms import (
    CloseForm,
    ConfirmForm,
    DecisionForm,
    DismissForm,
    ListFilterForm,
    RecordErrorForm,
    ReportForm,
)
from .models import ErrorStatus, RelevantError
from .selectors import filtered_rows, possible_owners


def error_list(request: HttpRequest) -> HttpResponse:
    """List the errors the person may see with their clocks, overdue unreported ones first."""
    now = timezone.now()
    if not can_open_error_list(request.user, now):
        return forbidden(request)
    filters = ListFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    rows = filtered_rows(
        visible_errors(request.user, now),
        now,
        status=values.get("status", ""),
        category=values.get("category", ""),
        overdue_only=bool(values.get("overdue")),
    )
    audit_list_view(request, object_type="relevant_error_list", row_count=len(rows), now=now)
    context = {
        "rows": rows,
        "filters": filters,
        "now": now,
        "may_record": can_manage_errors(request.user, now),
    }
    return render(request, "oversight/errors/list.html", context)


def error_detail(request: HttpRequest, error_id: int) -> HttpResponse:
    """Show one error, its reporting clock and the steps the person may take."""
    now = timezone.now()
    error = access_error(request.user, error_id, now)
    record_view(request, "relevant_error", error.pk)
    manage = can_manage_errors(request.user, now)
    return render(
        request,
        "oversight/errors/detail.html",
        {
            "error": error,
            "clock": clock_for(error, now),
            "authorisations": error.authorisations.order_by("reference"),
            "may_confirm": manage and error.status == ErrorStatus.CANDIDATE,
            "may_dismiss": manage
            and error.status in (ErrorStatus.CANDIDATE, ErrorStatus.CONFIRMED),
            "may_report": manage and error.status == ErrorStatus.CONFIRMED,
            "may_decide": manage and error.status == ErrorStatus.REPORTED,
            "may_close": manage
            and error.status == ErrorStatus.REPORTED
            and error.ipc_serious is not None,
        },
    )


def _posted(request: HttpRequest) -> Any:
    """Return the POST data to bind a form to, or None on a GET.

    An empty POST still binds the form, so a form sent blank shows its errors.
    """
    return request.POST if request.method == "POST" else None


Perform = Callable[[RelevantError, dict[str, Any], Any, datetime, str], object]


def _step(
    request: HttpRequest,
    error_id: int,
    form: forms.Form,
    *,
    title: str,
    button: str,
    perform: Perform,
) -> HttpResponse:
    """Show one step's form and, on a valid POST, take the step through its action.

    A hidden or missing error returns 404 before the role is checked, so a person outside the
    compartment cannot tell that the error exists.
    """
    now = timezone.now()
    error = access_error(request.user, error_id, now)
    if not can_manage_errors(request.user, now):
        return forbidden(request)
    if request.method == "POST" and form.is_valid():
        source, _ = source_from_request(request)
        try:
            perform(error, form.cleaned_data, request.user, now, source)
        except ErrorStepInvalid as problem:
            form.add_error(None, problem.message)
        else:
            return redirect("errors:detail", error_id=error.pk)
    return render(
        request,
        "oversight/errors/step.html",
        {
            "error": error,
            "form": form,
            "errors": form.summary_errors(),  # type: ignore[attr-defined]
            "title": title,
            "button": button,
        },
        status=400 if form.errors else 200,
    )


def confirm(request: HttpRequest, error_id: int) -> HttpResponse:
    now = timezone.now()
    form = ConfirmForm(_posted(request))
    error = access_error(request.user, error_id, now)
    owners = {str(person.pk): person for person in possible_owners(error, now)}
    form.fields["owner"].choices = [("", "Select the owner")] + [  # type: ignore[attr-defined]
        (key, person.get_full_name() or person.username) for key, person in owners.items()
    ]

    def perform(error: RelevantError, data: dict[str, Any], user: Any, at: datetime, source: str):  # type: ignore[no-untyped-def]
        return actions.confirm_error(
            error,
            acting_user=user,
            established_on=data["established_on"],
            owner=owners[data["owner"]],
            now=at,
            source=source,
        )

    return _step(
        request, error_id, form, title="Confirm the error", button="Confirm", perform=perform
    )


def dismiss(request: HttpRequest, error_id: int) -> HttpResponse:
    def perform(error: RelevantError, data: dict[str, Any], user: Any, at: datetime, source: str):  # type: ignore[no-untyped-def]
        return actions.dismiss_error(
            error, acting_user=user, reasons=data["reasons"], source=source
        )

    form = DismissForm(_posted(request))
    return _step(
        request, error_id, form, title="Dismiss the error", button="Dismiss", perform=perform
    )


def report(request: HttpRequest, error_id: int) -> HttpResponse:
    def perform(error: RelevantError, data: dict[str, Any], user: Any, at: datetime, source: str):  # type: ignore[no-untyped-def]
        return actions.record_report(
            error,
            acting_user=user,
            reported_on=data["reported_on"],
            reference=data["reference"],
            now=at,
            source=source,
        )

    form = ReportForm(_posted(request))
    return _step(
        request,
        error_id,
        form,
        title="Record the report to the IPC",
        button="Record the report",
        perform=perform,
    )


def decision(request: HttpRequest, error_id: int) -> HttpResponse:
    def perform(error: RelevantError, data: dict[str, Any], user: Any, at: datetime, source: str):  # type: ignore[no-untyped-def]
        return actions.record_decision(
            error,
            acting_user=user,
            serious=data["serious"] == "yes",
            decided_on=data["decided_on"],
            now=at,
            source=source,
        )

    form = DecisionForm(_posted(request))
    return _step(
        request,
        error_id,
        form,
        title="Record the IPC's decision",
        button="Record the decision",
        perform=perform,
    )


def close(request: HttpRequest, error_id: int) -> HttpResponse:
    def perform(error: RelevantError, data: dict[str, Any], user: Any, at: datetime, source: str):  # type: ignore[no-untyped-def]
        return actions.close_error(error, acting_user=user, now=at, source=source)

    form = CloseForm(_posted(request))
    return _step(
        request, error_id, form, title="Close the error", button="Close the error", perform=perform
    )


def record_error(request: HttpRequest) -> HttpResponse:
    """Record an error a person noticed; it starts as a candidate, like a detected one."""
    now = timezone.now()
    if not can_manage_errors(request.user, now):
        return forbidden(request)
    operations = {str(op.pk): op for op in visible_operations(request.user, now).order_by("name")}
    form = RecordErrorForm(_posted(request))
    form.fields["operation"].choices = [("", "No operation")] + [  # type: ignore[attr-defined]
        (key, operation.name) for key, operation in operations.items()
    ]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["occurred_on"] and data["occurred_on"] > timezone.localdate(now):
            form.add_error("occurred_on", "Enter a date that is not in the future")
        else:
            source, _ = source_from_request(request)
            operation = operations.get(data["operation"] or "")
            error = actions.raise_candidate(
                acting_user=request.user,
                summary=data["summary"].strip(),
                category=data["category"],
                at=now,
                operation_id=operation.pk if operation is not None else None,
                occurred_on=data["occurred_on"],
                source=source,
            )
            return redirect("errors:detail", error_id=error.pk)
    return render(
        request,
        "oversight/errors/new.html",
        {"form": form, "errors": form.summary_errors()},
        status=400 if form.errors else 200,
    )
