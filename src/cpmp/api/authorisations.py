"""``/api/authorisations``: the register and one authorisation, read as the pages read them.

Both endpoints use the register's selectors (``with_status``, ``filter_register``,
``sort_register``) and its access function (``access_authorisation``), so the API cannot show
what the pages would not. Instants are ISO 8601 with the Europe/London offset.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from cpmp.access.models import User
from cpmp.access.predicates import can_view_register
from cpmp.audit.actions import append_event
from cpmp.audit.events import EventType
from cpmp.audit.requests import source_from_request
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
# The name stored as ``view_name`` in the audit event of each read of one authorisation.
DETAIL_VIEW_NAME = "api:authorisation-detail"

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


def authorisation_not_found(**_: Any) -> NotFound:
    """Build the one 404 for an authorisation that is missing or that the caller may not see."""
    return NotFound(
        "No authorisation was found with that id. Check the id, or ask the Central Authorities "
        "Bureau if you need access to it."
    )


def visible_register(user: User, now: datetime) -> QuerySet[Authorisation]:
    """Return every authorisation ``user`` may see at ``now``; callers check the predicate first."""
    # TODO: start from cpmp.access.compartments.visible_authorisations once it is committed,
    # so each caller sees only their compartments. Until then a register reader sees every row.
    return Authorisation.objects.all()


@router.get(
    "/authorisations",
    response={200: AuthorisationPage, **error_responses(403)},
    url_name="authorisation-list",
    operation_id="list_authorisations",
    summary="List the register of authorisations",
)
@requires(can_view_register)
def list_authorisations(request: HttpRequest, query: Query[RegisterQuery]) -> dict[str, Any]:
    """List the authorisations the caller may see, filtered, sorted and paged.

    ``count`` counts the matching records the caller may see, never the whole table.
    """
    now = timezone.now()
    user = authenticated_user(request)
    records = with_status(visible_register(user, now).only(*LIST_COLUMNS), now)
    records = filter_register(records, query.filters(), now)
    records = sort_register(records, query.sort)
    start = (query.page - 1) * query.page_size
    return {
        "items": [_item(record) for record in records[start : start + query.page_size]],
        "count": records.count(),
        "page": query.page,
        "page_size": query.page_size,
    }


@router.get(
    "/authorisations/{authorisation_id}",
    response={200: AuthorisationDetail, **error_responses(404)},
    url_name="authorisation-detail",
    operation_id="get_authorisation",
    summary="Read one authorisation",
)
@requires(can_view_register, when_denied=authorisation_not_found)
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

    source, request_id = source_from_request(request)
    append_event(
        EventType.AUTHORISATION_VIEWED,
        actor=user,
        object_type="authorisation",
        object_id=record.pk,
        payload={"view_name": DETAIL_VIEW_NAME},
        source=source,
        request_id=request_id,
    )
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
