"""What the lifecycle endpoints share: record access checked before parsing, and the JSON shapes.

A lifecycle endpoint addresses one application or one authorisation by id in its path. The
``requires_visible_*`` authentications check, before django-ninja reads the body, that the
caller may see that record, so a hidden record and a missing one get the same 404 whatever
the caller sends. The endpoint then reads the record again through the same access function.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Schema
from pydantic import AwareDatetime, Field

from cpmp.access.compartments import may_see_operational_content, visible_operations
from cpmp.access.models import User
from cpmp.authorities.access import access_authorisation
from cpmp.authorities.models import Application, Authorisation
from cpmp.authorities.selectors import with_status
from cpmp.errors import CpmpError, InvalidRequest, NotFound
from cpmp.law.periods import to_london

from .auth import BearerToken, Predicate
from .authorisations import authorisation_not_found
from .permissions import holds_a_live_role

# An application or authorisation is addressed by this path parameter.
APPLICATION_PARAMETER = "application_id"
AUTHORISATION_PARAMETER = "authorisation_id"


def application_not_found() -> NotFound:
    """Build the one 404 for an application that is missing or that the caller may not see."""
    return NotFound(
        "No application was found with that id. Check the id, or ask the Central Authorities "
        "Bureau if you need access to it."
    )


def visible_applications(user: User, now: datetime) -> QuerySet[Application]:
    """Return the applications ``user`` may see at ``now``: those in operations they may see.

    An application belongs to its operation's compartment, as the authorisations it becomes do.
    """
    return Application.objects.filter(operation__in=visible_operations(user, now))


def access_application(user: User, application_id: int, now: datetime) -> Application:
    """Return the application if ``user`` may see it; raise the one 404 otherwise."""
    try:
        return visible_applications(user, now).select_related("operation").get(pk=application_id)
    except Application.DoesNotExist:
        raise application_not_found() from None


def access_workflow_authorisation(
    user: User, authorisation_id: int, now: datetime
) -> Authorisation:
    """Return the authorisation with its status at ``now`` if ``user`` may see it.

    Raises the one 404 for a missing or hidden record, as ``GET /api/authorisations/{id}`` does.
    """
    try:
        return access_authorisation(user, authorisation_id, now)
    except Http404:
        raise authorisation_not_found() from None


class VisibleRecordToken(BearerToken):
    """A bearer token that also requires the record named in the path to be visible.

    ``check(user, record_id, now)`` raises the record's 404 when the caller may not see it.
    It runs right after ``predicate``, before the body is parsed.
    """

    def __init__(
        self,
        predicate: Predicate,
        when_denied: Callable[[], CpmpError],
        *,
        parameter: str,
        check: Callable[[User, int, datetime], Any],
    ) -> None:
        super().__init__(predicate, when_denied)
        self.parameter = parameter
        self.check = check

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = super().authenticate(request, token)
        if user is None:
            return None
        match = getattr(request, "resolver_match", None)
        raw = str(match.kwargs.get(self.parameter, "")) if match is not None else ""
        if not raw.isdigit():
            raise self.when_denied()
        record_id = int(raw)
        self.check(user, record_id, timezone.now())
        return user


# django-ninja names the OpenAPI security scheme after the class, and this is the same bearer
# token scheme as every other operation's, so the document keeps one "BearerToken" scheme.
VisibleRecordToken.__name__ = "BearerToken"


def requires_visible_application(predicate: Predicate) -> VisibleRecordToken:
    """Return the ``auth`` of an endpoint on one application: ``predicate`` and visibility."""
    return VisibleRecordToken(
        predicate,
        application_not_found,
        parameter=APPLICATION_PARAMETER,
        check=access_application,
    )


def requires_visible_authorisation(predicate: Predicate) -> VisibleRecordToken:
    """Return the ``auth`` of an endpoint on one authorisation: ``predicate`` and visibility."""
    return VisibleRecordToken(
        predicate,
        authorisation_not_found,
        parameter=AUTHORISATION_PARAMETER,
        check=access_workflow_authorisation,
    )


def sees_operational_content(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may use the lifecycle endpoints at all.

    That is someone who holds a live role and may see operational content. The record's
    compartment then decides whether they may see it, and the action each endpoint calls
    whether their role and rank allow the step.
    """
    return holds_a_live_role(user, now) and may_see_operational_content(user, now)


def checked_instant(at: datetime | None, now: datetime) -> datetime | None:
    """Return ``at`` when it is not in the future; a step cannot be recorded before it happens."""
    if at is not None and at > now:
        raise InvalidRequest(
            f"The request has invalid values: at. {at.isoformat()} is in the future: give the "
            "instant the step took effect, or leave it out for now.",
            fields={"at": "Input should not be in the future"},
        )
    return at


class StepIn(Schema):
    """The fields every write takes."""

    expected_version: int = Field(
        ge=1, description="The application version you last read; a newer one gets 409."
    )
    at: AwareDatetime | None = Field(
        None,
        description="When the step took effect (a signature, an oral grant), with its offset. "
        "Leave it out for now; it cannot be in the future.",
    )


class PowerOut(Schema):
    """One power of an application as it stands on the register."""

    authorisation_id: int
    kind: str
    state: str
    status: str
    takes_effect_at: str | None
    expires_at: str | None
    cancelled_at: str | None
    findings: list[str]
    periods: list[dict[str, Any]]


class ApplicationSummary(Schema):
    id: int
    reference: str
    state: str
    version: int


class StepOut(Schema):
    """The result of a step: the application as it now stands and what the step recorded."""

    application: ApplicationSummary
    powers: list[PowerOut]
    document_id: int | None
    event_id: int | None
    # The gatekeeper's similarity warnings, on acceptance only.
    warnings: list[dict[str, Any]]


class DocumentOut(Schema):
    id: int
    document_type: str
    document_key: str
    number: int
    sha256: str
    author_id: int
    created_at: str
    amendment_reason: str
    content: dict[str, Any]


class EventOut(Schema):
    id: int
    event_type: str
    kind: str
    document_id: int | None
    actor_id: int
    occurred_at: str
    recorded_at: str
    facts: dict[str, Any]


class ApplicationOut(ApplicationSummary):
    operation_id: int
    kinds: list[str]
    urgent: bool
    applicant_id: int
    gatekeeper_id: int | None
    authorising_officer_id: int | None
    source_id: int | None
    chis_authorisation_id: int | None
    # The draft: the only text that changes, and only while a draft or returned.
    content: dict[str, Any]
    updated_at: str
    updated_by_id: int
    documents: list[DocumentOut]
    events: list[EventOut]
    powers: list[PowerOut]


class DeadlineOut(Schema):
    kind: str
    authorisation_id: int
    due_at: str
    people: list[int]
    detail: str


class DeadlinesOut(Schema):
    application_id: int
    # Deadlines due before now plus this many days, overdue ones included.
    within_days: int
    items: list[DeadlineOut]


def instant_text(value: datetime | None) -> str | None:
    return to_london(value).isoformat() if value is not None else None


def powers_of(application: Application, now: datetime) -> list[dict[str, Any]]:
    """Return each power of ``application`` with its status at ``now``."""
    rows = with_status(Authorisation.objects.filter(application=application), now).order_by("pk")
    return [power_json(row) for row in rows]


def power_json(row: Authorisation) -> dict[str, Any]:
    return {
        "authorisation_id": row.pk,
        "kind": row.kind or "",
        "state": row.state,
        "status": row.status,  # type: ignore[attr-defined]
        "takes_effect_at": instant_text(row.takes_effect_from),
        "expires_at": instant_text(row.expires_at),
        "cancelled_at": instant_text(row.cancelled_from),
        "findings": list(row.findings or []),
        "periods": list((row.details or {}).get("periods", [])),
    }


def step_json(
    application: Application,
    now: datetime,
    *,
    document_id: int | None = None,
    event_id: int | None = None,
    warnings: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    application.refresh_from_db()
    return {
        "application": summary_json(application),
        "powers": powers_of(application, now),
        "document_id": document_id,
        "event_id": event_id,
        "warnings": warnings or [],
    }


def summary_json(application: Application) -> dict[str, Any]:
    return {
        "id": application.pk,
        "reference": application.reference,
        "state": application.state,
        "version": application.version,
    }


def application_json(application: Application, now: datetime) -> dict[str, Any]:
    documents = application.documents.order_by("created_at", "pk")
    events = application.events.order_by("occurred_at", "pk")
    return {
        **summary_json(application),
        "operation_id": application.operation_id,
        "kinds": list(application.kinds),
        "urgent": application.urgent,
        "applicant_id": application.applicant_id,
        "gatekeeper_id": application.gatekeeper_id,
        "authorising_officer_id": application.authorising_officer_id,
        "source_id": application.source_id,
        "chis_authorisation_id": application.chis_authorisation_id,
        "content": dict(application.content or {}),
        "updated_at": instant_text(application.updated_at),
        "updated_by_id": application.updated_by_id,
        "documents": [
            {
                "id": document.pk,
                "document_type": document.document_type,
                "document_key": document.document_key,
                "number": document.number,
                "sha256": document.sha256,
                "author_id": document.author_id,
                "created_at": instant_text(document.created_at),
                "amendment_reason": document.amendment_reason,
                "content": dict(document.content),
            }
            for document in documents
        ],
        "events": [
            {
                "id": event.pk,
                "event_type": event.event_type,
                "kind": event.kind,
                "document_id": event.document_id,
                "actor_id": event.actor_id,
                "occurred_at": instant_text(event.occurred_at),
                "recorded_at": instant_text(event.recorded_at),
                "facts": dict(event.facts or {}),
            }
            for event in events
        ],
        "powers": powers_of(application, now),
    }
