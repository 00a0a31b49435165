"""Helpers shared by the lifecycle pages: loading a case, running an action, showing errors."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cpmp.access.models import User
from cpmp.audit.actions import record_view
from cpmp.errors import CpmpError
from cpmp.web.display import format_instant

from ..errors import ApplicationInvalid, LawRefusal, NotPermitted, StaleVersion, WrongState
from ..models import Application
from .access import access_application

logger = logging.getLogger(__name__)

Errors = list[tuple[str, str]]


def signed_in(request: HttpRequest) -> User:
    """Return the person acting. ``LoginRequiredMiddleware`` lets only signed-in people here."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in to use this page")
    return user


def load_case(request: HttpRequest, application_id: int) -> tuple[datetime, Application]:
    """Return now and the application, after the access check and with the read audited."""
    now = timezone.now()
    application = access_application(request.user, application_id, now)
    record_view(request, "application", application.pk)
    return now, application


def stale_message(error: StaleVersion) -> str:
    changed_at = datetime.fromisoformat(error.fields["changed_at"])
    return (
        f"Someone else changed this application ({error.fields['changed_by']}, "
        f"{format_instant(changed_at)}). Check the latest version and try again."
    )


def form_errors(form: Any) -> Errors:
    """Return the form's own errors (such as an impossible date) for the error summary."""
    pairs: Errors = []
    for name, messages_ in form.errors.items():
        field_id = f"id_{name}" if name in form.fields else ""
        pairs.extend((field_id, str(message)) for message in messages_)
    return pairs


def formset_errors(formset: Any) -> Errors:
    pairs: Errors = []
    for form in formset.forms:
        for name, messages_ in form.errors.items():
            pairs.extend((f"id_{form.prefix}-{name}", str(message)) for message in messages_)
    return pairs


@dataclass
class RowMap:
    """The formset rows that the conduct items of an action's mapping came from."""

    formset: Any
    rows: list[int] = field(default_factory=list)
    path: str = "conduct"


def action_errors(error: CpmpError, form: Any, row_map: RowMap | None = None) -> Errors:
    """Turn an action's error into error-summary pairs and inline field errors.

    Each path in ``fields["errors"]`` names a field: ``conduct.2.identifier`` is the third
    conduct item, which ``row_map`` traces back to its formset row.
    """
    field_errors: Mapping[str, str] = error.fields.get("errors") or {}
    pairs: Errors = []
    for path, message in field_errors.items():
        pairs.append((_attach(form, row_map, path, message), message))
    if not pairs:
        pairs.append(("", error.message))
    if isinstance(error, LawRefusal):
        field_id, message = pairs[0]
        pairs[0] = (field_id, f"{message}. The law core refused this: {error.code}")
    return pairs


def _attach(form: Any, row_map: RowMap | None, path: str, message: str) -> str:
    parts = path.split(".")
    if row_map is not None and parts[0] == row_map.path:
        forms_ = row_map.formset.forms
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(row_map.rows):
            row = forms_[row_map.rows[int(parts[1])]]
            if parts[2] in row.fields:
                row.add_error(parts[2], message)
                return f"id_{row.prefix}-{parts[2]}"
        return f"id_{forms_[0].prefix}-category" if forms_ else ""
    field_id = form.field_id(path)
    if field_id:
        form.add_error(field_id[3:], message)
    return field_id


class StepPage:
    """Renders one step's page and runs its action, turning each error into the page's response.

    ``build`` makes the step's form: unbound from the latest application when called with no
    data, so that after ``StaleVersion`` the page shows what is now stored.
    """

    def __init__(
        self,
        request: HttpRequest,
        application: Application,
        *,
        template: str,
        build: Callable[..., Any],
        context: Mapping[str, Any] | None = None,
    ) -> None:
        self.request = request
        self.application = application
        self.template = template
        self.build = build
        self.context = dict(context or {})

    def show(
        self, form: Any, *, errors: Errors | None = None, status: int = 200, **extra: Any
    ) -> HttpResponse:
        context = {
            **self.context,
            "application": self.application,
            "form": form,
            "errors": errors if errors is not None else [],
            **extra,
        }
        return render(self.request, self.template, context, status=status)

    def read_form(self) -> tuple[Any, HttpResponse | None]:
        """Return the step's form bound to the POST, and the response to send instead, if any.

        A GET gets the empty form's page, and an invalid POST the page with its errors (400).
        The view goes on only when the response is None.
        """
        if self.request.method != "POST":
            return None, self.show(self.build())
        form = self.build(self.request.POST)
        if not form.is_valid():
            return form, self.show(form, errors=form_errors(form), status=400)
        return form, None

    def run(
        self,
        form: Any,
        call: Callable[[], Any],
        *,
        success: str,
        row_map: RowMap | None = None,
        rebuild: Callable[[], dict[str, Any]] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> HttpResponse:
        """Call the action; on success go to the case page with ``success`` as a banner."""
        try:
            call()
        except StaleVersion as error:
            logger.info(
                "stale version: application=%s user=%s", self.application.pk, self.request.user.pk
            )
            self.application.refresh_from_db()
            extra = rebuild() if rebuild else {}
            return self.show(self.build(), errors=[("", stale_message(error))], status=409, **extra)
        except WrongState as error:
            messages.error(self.request, error.message)
            return redirect("authorities:case", application_id=self.application.pk)
        except NotPermitted as error:
            errors = action_errors(error, form)
            return self.show(form, errors=errors, status=403, **(extra or {}))
        except (ApplicationInvalid, LawRefusal) as error:
            errors = action_errors(error, form, row_map)
            return self.show(form, errors=errors, status=400, **(extra or {}))
        messages.success(self.request, success)
        return redirect("authorities:case", application_id=self.application.pk)


def not_now(request: HttpRequest, application: Application, message: str) -> HttpResponse:
    """Send the person to the case page, saying why the step is not open now."""
    messages.error(request, message)
    return redirect("authorities:case", application_id=application.pk)
