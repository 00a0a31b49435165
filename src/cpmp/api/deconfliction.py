"""``/api/deconfliction``: the cases a caller may see, each shaped as the pages shape it."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from cpmp.access.compartments import may_see_operational_content, visible_operations
from cpmp.audit.actions import record_view
from cpmp.deconfliction import actions
from cpmp.deconfliction.access import (
    access_case,
    can_open_case_list,
    case_view,
    is_deconfliction_officer,
    view_of,
    visible_cases,
)
from cpmp.errors import Forbidden, NotFound

from .auth import authenticated_user
from .errors import error_responses
from .permissions import requires

router = Router(tags=["deconfliction"])


def case_not_found() -> NotFound:
    return NotFound("No deconfliction case was found with that id.")


class Resolution(Schema):
    outcome: str
    notes: str


class NewIdentifier(Schema):
    operation_id: int
    category: str
    value: str


@router.get(
    "/deconfliction/cases",
    response={200: list[dict[str, Any]], **error_responses(403)},
    url_name="deconfliction-case-list",
    auth=requires(can_open_case_list),
)
def list_cases(request: HttpRequest) -> list[dict[str, Any]]:
    """List the cases the caller may see, each as the caller's view of it."""
    now = timezone.now()
    user = authenticated_user(request)
    cases = visible_cases(user, now).select_related("officer").order_by("-raised_at", "-pk")
    return [case_view(case, view_of(user, case, now)) for case in cases[:200]]


@router.get(
    "/deconfliction/cases/{case_id}",
    response={200: dict[str, Any], **error_responses(404)},
    url_name="deconfliction-case-detail",
    auth=requires(may_see_operational_content, when_denied=case_not_found),
)
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    now = timezone.now()
    try:
        case, view = access_case(authenticated_user(request), case_id, now)
    except Http404:
        raise case_not_found() from None
    record_view(request, "deconfliction_case", case.pk)
    return case_view(case, view)


@router.post(
    "/deconfliction/cases/{case_id}/resolution",
    response={200: dict[str, Any], **error_responses(403, 404)},
    url_name="deconfliction-case-resolve",
    auth=requires(is_deconfliction_officer),
)
def resolve_case(request: HttpRequest, case_id: int, body: Resolution) -> dict[str, Any]:
    now = timezone.now()
    user = authenticated_user(request)
    try:
        case, _ = access_case(user, case_id, now)
    except Http404:
        raise case_not_found() from None
    case = actions.resolve_case(case, acting_user=user, outcome=body.outcome, notes=body.notes)
    return case_view(case, view_of(user, case, now))


@router.post(
    "/deconfliction/identifiers",
    response={201: dict[str, Any], **error_responses(403)},
    url_name="deconfliction-identifier-add",
    auth=requires(may_see_operational_content),
)
def add_identifier(request: HttpRequest, body: NewIdentifier) -> tuple[int, dict[str, Any]]:
    """Add an identifier to one of the caller's operations; returns the number of cases raised."""
    now = timezone.now()
    user = authenticated_user(request)
    operation = visible_operations(user, now).filter(pk=body.operation_id).first()
    if operation is None:
        raise Forbidden("Only the operation's team may add identifiers to it.")
    identifier, cases = actions.add_identifier(
        acting_user=user, operation=operation, category=body.category, value=body.value
    )
    return 201, {"id": identifier.pk, "cases_raised": len(cases)}
