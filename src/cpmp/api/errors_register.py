"""``/api/errors``: the relevant errors register (IPA 2016 s.231), as the pages show it.

An error the caller may not see returns 404 exactly as a missing one, before the caller's
role is checked for a step.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from cpmp.access.compartments import may_see_operational_content
from cpmp.audit.actions import record_view
from cpmp.audit.requests import source_from_request
from cpmp.errors import Forbidden, InvalidRequest, NotFound
from cpmp.oversight.errors_register import actions
from cpmp.oversight.errors_register.access import (
    access_error,
    can_manage_errors,
    can_open_error_list,
    visible_errors,
)
from cpmp.oversight.errors_register.clock import clock_for
from cpmp.oversight.errors_register.models import ErrorCategory, ErrorStatus, RelevantError
from cpmp.oversight.errors_register.selectors import (
    error_view,
    filtered_rows,
    possible_owners,
)

from .auth import authenticated_user
from .errors import error_responses
from .permissions import requires

router = Router(tags=["relevant errors"])


def error_not_found() -> NotFound:
    return NotFound("No relevant error was found with that id.")


class Confirmation(Schema):
    established_on: date
    owner_id: int


class Dismissal(Schema):
    reasons: str


class Report(Schema):
    reported_on: date
    reference: str


class Decision(Schema):
    serious: bool
    decided_on: date


def _managed_error(request: HttpRequest, error_id: int) -> tuple[Any, RelevantError]:
    """Return the caller and the error they may act on: 404 when hidden, 403 when read-only."""
    now = timezone.now()
    user = authenticated_user(request)
    try:
        error = access_error(user, error_id, now)
    except Http404:
        raise error_not_found() from None
    if not can_manage_errors(user, now):
        raise Forbidden("Only the gatekeeper or the senior responsible officer may do this.")
    return user, error


def _view(error: RelevantError) -> dict[str, Any]:
    error.refresh_from_db()
    return error_view(error, clock_for(error, timezone.now()))


@router.get(
    "/errors",
    response={200: list[dict[str, Any]], **error_responses(403, 422)},
    url_name="relevant-error-list",
    auth=requires(can_open_error_list),
)
def list_errors(
    request: HttpRequest,
    status: str = "",
    category: str = "",
    overdue: bool = False,
) -> list[dict[str, Any]]:
    """List the errors the caller may see, overdue unreported errors first."""
    if status and status not in ErrorStatus.values:
        raise InvalidRequest(
            f"Unknown status {status!r}: use one of {', '.join(ErrorStatus.values)}.",
            fields={"status": status},
        )
    if category and category not in ErrorCategory.values:
        raise InvalidRequest(
            f"Unknown category {category!r}: use one of {', '.join(ErrorCategory.values)}.",
            fields={"category": category},
        )
    now = timezone.now()
    user = authenticated_user(request)
    rows = filtered_rows(
        visible_errors(user, now), now, status=status, category=category, overdue_only=overdue
    )
    return [error_view(error, clock) for error, clock in rows]


@router.get(
    "/errors/{error_id}",
    response={200: dict[str, Any], **error_responses(404)},
    url_name="relevant-error-detail",
    auth=requires(may_see_operational_content, when_denied=error_not_found),
)
def get_error(request: HttpRequest, error_id: int) -> dict[str, Any]:
    now = timezone.now()
    try:
        error = access_error(authenticated_user(request), error_id, now)
    except Http404:
        raise error_not_found() from None
    record_view(request, "relevant_error", error.pk)
    return error_view(error, clock_for(error, now))


@router.post(
    "/errors/{error_id}/confirmation",
    response={200: dict[str, Any], **error_responses(403, 404, 422)},
    url_name="relevant-error-confirm",
    auth=requires(may_see_operational_content, when_denied=error_not_found),
)
def confirm_error(request: HttpRequest, error_id: int, body: Confirmation) -> dict[str, Any]:
    user, error = _managed_error(request, error_id)
    now = timezone.now()
    owner = possible_owners(error, now).filter(pk=body.owner_id).first()
    if owner is None:
        raise InvalidRequest(
            "Choose an owner who manages errors or is in the operation's team.",
            fields={"owner_id": body.owner_id},
        )
    source, _ = source_from_request(request)
    actions.confirm_error(
        error,
        acting_user=user,
        established_on=body.established_on,
        owner=owner,
        now=now,
        source=source,
    )
    return _view(error)


@router.post(
    "/errors/{error_id}/dismissal",
    response={200: dict[str, Any], **error_responses(403, 404, 422)},
    url_name="relevant-error-dismiss",
    auth=requires(may_see_operational_content, when_denied=error_not_found),
)
def dismiss_error(request: HttpRequest, error_id: int, body: Dismissal) -> dict[str, Any]:
    user, error = _managed_error(request, error_id)
    source, _ = source_from_request(request)
    actions.dismiss_error(error, acting_user=user, reasons=body.reasons, source=source)
    return _view(error)


@router.post(
    "/errors/{error_id}/report",
    response={200: dict[str, Any], **error_responses(403, 404, 422)},
    url_name="relevant-error-report",
    auth=requires(may_see_operational_content, when_denied=error_not_found),
)
def record_report(request: HttpRequest, error_id: int, body: Report) -> dict[str, Any]:
    user, error = _managed_error(request, error_id)
    source, _ = source_from_request(request)
    actions.record_report(
        error,
        acting_user=user,
        reported_on=body.reported_on,
        reference=body.reference,
        now=timezone.now(),
        source=source,
    )
    return _view(error)


@router.post(
    "/errors/{error_id}/decision",
    response={200: dict[str, Any], **error_responses(403, 404, 422)},
    url_name="relevant-error-decision",
    auth=requires(may_see_operational_content, when_denied=error_not_found),
)
def record_decision(request: HttpRequest, error_id: int, body: Decision) -> dict[str, Any]:
    user, error = _managed_error(request, error_id)
    source, _ = source_from_request(request)
    actions.record_decision(
        error,
        acting_user=user,
        serious=body.serious,
        decided_on=body.decided_on,
        now=timezone.now(),
        source=source,
    )
    return _view(error)


@router.post(
    "/errors/{error_id}/closure",
    response={200: dict[str, Any], **error_responses(403, 404, 422)},
    url_name="relevant-error-close",
    auth=requires(may_see_operational_content, when_denied=error_not_found),
)
def close_error(request: HttpRequest, error_id: int) -> dict[str, Any]:
    user, error = _managed_error(request, error_id)
    source, _ = source_from_request(request)
    actions.close_error(error, acting_user=user, now=timezone.now(), source=source)
    return _view(error)
