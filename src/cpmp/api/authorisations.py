"""``/api/authorisations``: the register and one authorisation, read as the pages read them.

Both endpoints start from what the caller may see (``visible_authorisations`` and
``access_authorisation``, the compartment policy the pages use) and apply the register's
selectors within it, so the API cannot show what the pages would not. They append the same
audit events as the pages. Instants are ISO 8601 with the Europe/London offset.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from cpmp.access.compartments import (
    audit_list_view,
    can_open_register,
    may_see_operational_content,
    visible_authorisations,
)
from cpmp.audit.actions import record_view
from cpmp.authorities.access import access_authorisation
from cpmp.authorities.forms import MAX_DUE_WITHIN_DAYS
from cpmp.authorities.models import Authorisation
from cpmp.authorities.selectors import (
    DEFAULT_SORT,
    SORT_FIELDS,
    STATUS_LABELS,
    RegisterFilters,
    filter_register,
    sort_register,
    with_status,
)
from cpmp.errors import NotFound
from cpmp.law.kinds import AuthorityKind
from cpmp.law.periods import to_london

from .auth import authenticated_user
from .errors import error_responses
from .permissions import requires

router = Router(tags=["authorisations"])

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

SORT_KEYS = [*SORT_FIELDS, *(f"-{key}" for key in SORT_FIELDS)]
# The accepted values of two parameters, listed in the OpenAPI document.
SORT_SCHEMA: dict[str, Any] = {"enum": SORT_KEYS}
STATUS_SCHEMA: dict[str, Any] = {"enum": list(STATUS_LABELS)}
LIST_COLUMNS = (
    "id",
    "reference",
    "kind",
    "operation",
    "urgent",
    "granted",
    "takes_effect",
    "expires_at",
    "expires_earliest",
    "expires_latest",
    "state",
    "findings",
)


class RegisterQuery(Schema):
    kind: AuthorityKind | None = Field(None, description="Only this kind of authorisation.")
    status: str | None = Field(
        None,
        description="Only this status at the time of the request.",
        json_schema_extra=STATUS_SCHEMA,
    )
    operation: str | None = Field(
        None, max_length=200, description="Operation name contains this text (any case)."
    )
    reference: str | None = Field(
        None, max_length=100, description="Reference contains this text (any case)."
    )
    due_within_days: int | None = Field(
        None,
        ge=0,
        le=MAX_DUE_WITHIN_DAYS,
        description="Only live authorisations whose latest possible end is within this many "
        "days from now.",
    )
    sort: str = Field(
        DEFAULT_SORT,
        description="Sort key, with a leading '-' for descending order.",
        json_schema_extra=SORT_SCHEMA,
    )
    page: int = Field(1, ge=1, description="Page number, from 1.")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str | None) -> str | None:
        if value is not None and value not in STATUS_LABELS:
            raise ValueError(f"use one of {', '.join(STATUS_LABELS)}")
        return value

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, value: str) -> str:
        if value not in SORT_KEYS:
            raise ValueError(f"use one of {', '.join(SORT_KEYS)}")
        return value

    def filters(self) -> RegisterFilters:
        return RegisterFilters(
            kind=self.kind.value if self.kind else "",
            status=self.status or "",
            operation=(self.operation or "").strip(),
            reference=(self.reference or "").strip(),
            due_within_days=self.due_within_days,
        )


class AuthorisationItem(Schema):
    id: int
    reference: str | None
    kind: str | None
    operation: str
    urgent: bool
    # At the precision the source gave: an instant, a date ("2023-02-14") or a month ("2020-07").
    granted_at: str | None
    takes_effect_at: str | None
    # The exclusive end of the authorised period, when the exact instant is known.
    expires_at: str | None
    # Bounds of the end when only a range is known; equal to expires_at when it is exact.
    expires_earliest_at: str | None
    expires_latest_at: str | None
    status: str
    findings: list[str]


class AuthorisationPage(Schema):
    items: list[AuthorisationItem]
    # Every record that matches the filters and that the caller may see, across all pages.
    count: int
    page: int
    page_size: int


class AuthorisationDetail(AuthorisationItem):
    origin: str
    authority_type: str
    oral: bool
    juvenile: bool
    cancelled_at: str | None
    # The record's own state before the clock is applied, such as "granted".
    state: str
    import_id: int | None
    source_record: int | None
    # Every cell of the source record, by its column heading.
    details: dict[str, Any]


def authorisation_not_found() -> NotFound:
    """Build the one 404 for an authorisation that is missing or that the caller may not see."""
    return NotFound(
        "No authorisation was found with that id. Check the id, or ask the Central Authorities "
        "Bureau if you need access to it."
    )


@router.get(
    "/authorisations",
    response={200: AuthorisationPage, **error_responses(403)},
    url_name="authorisation-list",
    operation_id="list_authorisations",
    summary="List the register of authorisations",
    auth=requires(can_open_register),
)
def list_authorisations(request: HttpRequest, query: Query[RegisterQuery]) -> dict[str, Any]:
    """List the authorisations the caller may see, filtered, sorted and paged.

    ``count`` counts the matching records the caller may see, never the whole table.
    """
    now = timezone.now()
    user = authenticated_user(request)
    visible = visible_authorisations(user, now).only(*LIST_COLUMNS)
    records = filter_register(with_status(visible, now), query.filters(), now)
    records = sort_register(records, query.sort)
    count = records.count()
    start = (query.page - 1) * query.page_size
    items = [_item(record) for record in records[start : start + query.page_size]]
    audit_list_view(request, object_type="authorisation_register", row_count=count, now=now)
    return {"items": items, "count": count, "page": query.page, "page_size": query.page_size}


@router.get(
    "/authorisations/{authorisation_id}",
    response={200: AuthorisationDetail, **error_responses(404)},
    url_name="authorisation-detail",
    operation_id="get_authorisation",
    summary="Read one authorisation",
    auth=requires(may_see_operational_content, when_denied=authorisation_not_found),
)
def get_authorisation(request: HttpRequest, authorisation_id: int) -> dict[str, Any]:
    """Return one authorisation, and record the read in the audit chain.

    A missing record and one the caller may not see both get ``authorisation_not_found``.
    """
    now = timezone.now()
    user = authenticated_user(request)
    try:
        record = access_authorisation(user, authorisation_id, now)
    except Http404:
        raise authorisation_not_found() from None

    record_view(request, "authorisation", record.pk)
    return _detail(record)


def _item(record: Authorisation) -> dict[str, Any]:
    return {
        "id": record.pk,
        "reference": record.reference,
        "kind": record.kind,
        "operation": record.operation,
        "urgent": record.urgent,
        "granted_at": _moment_text(record.granted),
        "takes_effect_at": _moment_text(record.takes_effect),
        "expires_at": _instant_text(record.expires_at),
        "expires_earliest_at": _instant_text(record.expires_earliest),
        "expires_latest_at": _instant_text(record.expires_latest),
        "status": record.status,  # type: ignore[attr-defined]
        "findings": list(record.findings or []),
    }


def _detail(record: Authorisation) -> dict[str, Any]:
    return {
        **_item(record),
        "origin": record.origin,
        "authority_type": record.authority_type,
        "oral": record.oral,
        "juvenile": record.juvenile,
        "cancelled_at": _moment_text(record.cancelled),
        "state": record.state,
        "import_id": record.import_batch_id,
        "source_record": record.source_record,
        "details": dict(record.details or {}),
    }


def _instant_text(value: datetime | None) -> str | None:
    return to_london(value).isoformat() if value is not None else None


def _moment_text(text: str) -> str | None:
    """Return a stored date text, with a full instant moved to the Europe/London offset.

    A date or month stays as stored, because it names a day or month, not an instant.
    """
    if not text:
        return None
    if "T" not in text:
        return text
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        return text
    if instant.tzinfo is None:
        return text
    return to_london(instant).isoformat()
