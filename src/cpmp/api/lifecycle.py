"""``/api/applications``: every step of an application, calling the action the page calls.

Each write takes ``expected_version`` (the ``Application.version`` the caller last read) and
calls exactly one function of ``cpmp.authorities.actions``, which checks the caller's role
and rank, consults the law core and writes the audit event. The endpoint adds only what the
action does not check: that the caller may see the application, the operation, the source
or the person named in the request. The action's errors map to statuses in ``errors``:
``stale_version`` and ``wrong_state`` 409, ``not_permitted`` 403, ``application_invalid``
and every law refusal 422.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import AwareDatetime

from cpmp.access.compartments import visible_authorisations, visible_operations, visible_sources
from cpmp.access.models import User
from cpmp.audit.actions import record_view
from cpmp.authorities import actions
from cpmp.authorities.deadlines import deadlines_at
from cpmp.authorities.models import Application
from cpmp.errors import InvalidRequest

from .auth import authenticated_user
from .errors import error_responses
from .lifecycle_shared import (
    ApplicationOut,
    DeadlinesOut,
    StepIn,
    StepOut,
    access_application,
    application_json,
    checked_instant,
    instant_text,
    requires_visible_application,
    sees_operational_content,
    step_json,
)
from .permissions import requires

router = Router(tags=["applications"])

# Every write can meet a hidden or missing record (404), a role or rank that may not act
# (403), a stale version or wrong state (409), and invalid content or a law refusal (422).
WRITE_ERRORS = error_responses(403, 404, 409)
MAX_DEADLINE_DAYS = 366


def _invalid(name: str, message: str) -> InvalidRequest:
    return InvalidRequest(
        f"The request has invalid values: {name}. {message}", fields={name: message}
    )


def _person(user_id: int, name: str) -> User:
    """Return the active person ``user_id`` names in a request, or a 422 naming ``name``."""
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        raise _invalid(name, "No active person has this id. Check the id and try again.")
    return person


def _application(request: HttpRequest, application_id: int) -> tuple[User, Application]:
    user = authenticated_user(request)
    return user, access_application(user, application_id, timezone.now())


def _when(body: StepIn) -> datetime | None:
    return checked_instant(body.at, timezone.now())


class CreateIn(Schema):
    operation_id: int
    kinds: list[str] = Field(description="The powers applied for, such as 'chis'.")
    reference: str = Field(max_length=100, description="The force's unique reference (URN).")
    urgent: bool = False
    content: dict[str, Any] = Field(default_factory=dict, description="The draft's content.")
    source_id: int | None = Field(
        None, description="The source a CHIS, relevant-source or criminal conduct case is for."
    )
    chis_authorisation_id: int | None = Field(
        None, description="The live CHIS authorisation a criminal conduct application rests on."
    )
    at: AwareDatetime | None = None


@router.post(
    "/applications",
    response={201: StepOut, **error_responses(403)},
    url_name="application-create",
    operation_id="create_application",
    summary="Create a draft application",
    auth=requires(sees_operational_content),
)
def create_application(request: HttpRequest, body: CreateIn) -> tuple[int, dict[str, Any]]:
    """Create a draft application in an operation the caller may see (``create_application``).

    An operation, source or authorisation the caller may not see is refused as if it did not
    exist, with 422 naming the field.
    """
    now = timezone.now()
    user = authenticated_user(request)
    operation = visible_operations(user, now).filter(pk=body.operation_id).first()
    if operation is None:
        raise _invalid("operation_id", "No operation you can see has this id.")
    source = None
    if body.source_id is not None:
        source = visible_sources(user, now).filter(pk=body.source_id).first()
        if source is None:
            raise _invalid("source_id", "No source you can see has this id.")
    chis = None
    if body.chis_authorisation_id is not None:
        chis = visible_authorisations(user, now).filter(pk=body.chis_authorisation_id).first()
        if chis is None:
            raise _invalid("chis_authorisation_id", "No authorisation you can see has this id.")
    application = actions.create_application(
        acting_user=user,
        operation=operation,
        kinds=body.kinds,
        reference=body.reference,
        urgent=body.urgent,
        content=body.content,
        source=source,
        chis_authorisation=chis,
        at=checked_instant(body.at, now),
    )
    return 201, step_json(application, now)


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **error_responses(404)},
    url_name="application-detail",
    operation_id="get_application",
    summary="Read one application with its documents, events and powers",
    auth=requires_visible_application(sees_operational_content),
)
def get_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    """Return the application, every document version and event, and each power's status.

    The read is recorded in the audit chain.
    """
    _user, application = _application(request, application_id)
    record_view(request, "application", application.pk)
    return application_json(application, timezone.now())


class DeadlinesQuery(Schema):
    within_days: int = Field(
        14,
        ge=0,
        le=MAX_DEADLINE_DAYS,
        description="List what falls due before now plus this many days; overdue items too.",
    )


@router.get(
    "/applications/{application_id}/deadlines",
    response={200: DeadlinesOut, **error_responses(404)},
    url_name="application-deadlines",
    operation_id="get_application_deadlines",
    summary="List what falls due for an application's powers",
    auth=requires_visible_application(sees_operational_content),
)
def get_application_deadlines(
    request: HttpRequest, application_id: int, query: Query[DeadlinesQuery]
) -> dict[str, Any]:
    """List reviews, expiries, written records, Commissioner steps and equipment to recover.

    The read is recorded in the audit chain.
    """
    _user, application = _application(request, application_id)
    record_view(request, "application", application.pk)
    now = timezone.now()
    # NOTE: deadlines_at reads every workflow authorisation and this keeps one application's;
    # a selector by application would save the work when the register is large.
    due = [
        deadline
        for deadline in deadlines_at(now, within=timedelta(days=query.within_days))
        if deadline.application_id == application.pk
    ]
    return {
        "application_id": application.pk,
        "within_days": query.within_days,
        "items": [
            {
                "kind": deadline.kind,
                "authorisation_id": deadline.authorisation_id,
                "due_at": instant_text(deadline.due_at),
                "people": list(deadline.people),
                "detail": deadline.detail,
            }
            for deadline in due
        ],
    }


class DraftIn(StepIn):
    content: dict[str, Any]
    urgent: bool | None = None


@router.put(
    "/applications/{application_id}/draft",
    response={200: StepOut, **WRITE_ERRORS},
    url_name="application-draft",
    operation_id="save_draft",
    summary="Replace the draft's content",
    auth=requires_visible_application(sees_operational_content),
)
def save_draft(request: HttpRequest, application_id: int, body: DraftIn) -> dict[str, Any]:
    user, application = _application(request, application_id)
    actions.save_draft(
        application,
        acting_user=user,
        expected_version=body.expected_version,
        content=body.content,
        urgent=body.urgent,
        at=_when(body),
    )
    return step_json(application, timezone.now())


class SubmitIn(StepIn):
    amendment_reason: str = Field("", description="Needed when resubmitting after a return.")


@router.post(
    "/applications/{application_id}/submit",
    response={200: StepOut, **WRITE_ERRORS},
    url_name="application-submit",
    operation_id="submit_application",
    summary="Submit the draft to the Central Authorities Bureau",
    auth=requires_visible_application(sees_operational_content),
)
def submit_application(request: HttpRequest, application_id: int, body: SubmitIn) -> dict[str, Any]:
    user, application = _application(request, application_id)
    actions.submit_application(
        application,
        acting_user=user,
        expected_version=body.expected_version,
        amendment_reason=body.amendment_reason,
        at=_when(body),
    )
    document = application.documents.filter(document_key="application").order_by("-number")[0]
    return step_json(application, timezone.now(), document_id=document.pk)


class AcceptIn(StepIn):
    notes: str = ""


@router.post(
    "/applications/{application_id}/accept",
    response={200: StepOut, **WRITE_ERRORS},
    url_name="application-accept",
    operation_id="accept_application",
    summary="Accept the application as the gatekeeper",
    auth=requires_visible_application(sees_operational_content),
)
def accept_application(request: HttpRequest, application_id: int, body: AcceptIn) -> dict[str, Any]:
    user, application = _application(request, application_id)
    check = actions.accept_application(
        application,
        acting_user=user,
        expected_version=body.expected_version,
        notes=body.notes,
        at=_when(body),
    )
    return step_json(
        application,
        timezone.now(),
        document_id=check.document.pk,
        warnings=[warning.as_json() for warning in check.warnings],
    )


class ReasonsIn(StepIn):
    reasons: str


@router.post(
    "/applications/{application_id}/return",
    response={200: StepOut, **WRITE_ERRORS},
    url_name="application-return",
    operation_id="return_for_amendment",
    summary="Return the application to the applicant for amendment",
    auth=requires_visible_application(sees_operational_content),
)
def return_for_amendment(
    request: HttpRequest, application_id: int, body: ReasonsIn
) -> dict[str, Any]:
    user, application = _application(request, application_id)
    actions.return_for_amendment(
        application,
        acting_user=user,
        expected_version=body.expected_version,
        reasons=body.reasons,
        at=_when(body),
    )
    return step_json(application, timezone.now())


class DecisionIn(StepIn):
    decision: dict[str, Any] = Field(
        description="The authorising officer's decision; the keys are those of the action."
    )


@router.post(
    "/applications/{application_id}/grant",
    response={200: StepOut, **WRITE_ERRORS},
    url_name="application-grant",
    operation_id="grant_application",
    summary="Grant every power applied for, in writing",
    auth=requires_visible_application(sees_operational_content),
)
def grant_application(
    request: HttpRequest, application_id: int, body: DecisionIn
) -> dict[str, Any]:
    user, application = _application(request, application_id)
    actions.grant_application(
        application,
        acting_user=user,
        expected_version=body.expected_version,
        decision=body.decision,
        at=_when(body),
    )
    return step_json(application, timezone.now())


@router.post(
    "/applications/{application_id}/refuse",
    response={200: StepOut, **WRITE_ERRORS},
    url_name="application-refuse",
    operation_id="refuse_application",
    summary="Refuse the application",
    auth=requires_visible_application(sees_operational_content),
)
def refuse_application(
    request: HttpRequest, application_id: int, body: ReasonsIn
) -> dict[str, Any]:
    user, application = _application(request, application_id)
    actions.refuse_application(
        application,
        acting_user=user,
        expected_version=body.expected_version,
        reasons=body.reasons,
        at=_when(body),
    )
    return step_json(application, timezone.now())


class OralGrantIn(DecisionIn):
    authorising_officer_id: int = Field(description="The officer who granted orally.")


@router.post(
    "/applications/{application_id}/oral-grant",
    response={200: StepOut, **WRITE_ERRORS},
    url_name="application-oral-grant",
    operation_id="record_oral_grant",
    summary="Record an urgent oral grant",
    auth=requires_visible_application(sees_operational_content),
)
def record_oral_grant(
    request: HttpRequest, application_id: int, body: OralGrantIn
) -> dict[str, Any]:
    user, application = _application(request, application_id)
    actions.record_oral_grant(
        application,
        acting_user=user,
        expected_version=body.expected_version,
        authorising_officer=_person(body.authorising_officer_id, "authorising_officer_id"),
        decision=body.decision,
        at=_when(body),
    )
    return step_json(application, timezone.now())


class WrittenGrantIn(DecisionIn):
    mode: Literal["fresh-grant", "renewal"] = Field(
        description="'fresh-grant' starts a new period; 'renewal' runs on from the 72 hours."
    )


@router.post(
    "/applications/{application_id}/written-grant",
    response={200: StepOut, **WRITE_ERRORS},
    url_name="application-written-grant",
    operation_id="record_written_grant",
    summary="Make the written grant that follows an oral grant",
    auth=requires_visible_application(sees_operational_content),
)
def record_written_grant(
    request: HttpRequest, application_id: int, body: WrittenGrantIn
) -> dict[str, Any]:
    user, application = _application(request, application_id)
    actions.record_written_grant(
        application,
        acting_user=user,
        expected_version=body.expected_version,
        mode=body.mode,
        decision=body.decision,
        at=_when(body),
    )
    return step_json(application, timezone.now())


class NoticeIn(StepIn):
    kind: str = Field(description="The power the notice concerns.")
    notice: dict[str, Any] = Field(description="'about', 'sent_at' and 'document_reference'.")


@router.post(
    "/applications/{application_id}/commissioner-notices",
    response={200: StepOut, **WRITE_ERRORS},
    url_name="application-commissioner-notice",
    operation_id="record_commissioner_notice",
    summary="Record a notice given to a Judicial Commissioner",
    auth=requires_visible_application(sees_operational_content),
)
def record_commissioner_notice(
    request: HttpRequest, application_id: int, body: NoticeIn
) -> dict[str, Any]:
    user, application = _application(request, application_id)
    event = actions.record_commissioner_notice(
        application,
        acting_user=user,
        expected_version=body.expected_version,
        kind=body.kind,
        notice=body.notice,
        at=_when(body),
    )
    return step_json(application, timezone.now(), document_id=event.document_id, event_id=event.pk)


class CommissionerDecisionIn(StepIn):
    kind: str = Field(description="The power decided on.")
    outcome: Literal["approved", "refused", "quashed"]
    decision: dict[str, Any] = Field(
        description="'decided_at', 'notified_at', 'document_reference' and, for a refusal or "
        "quashing, 'material_instructions'."
    )


@router.post(
    "/applications/{application_id}/commissioner-decisions",
    response={200: StepOut, **WRITE_ERRORS},
    url_name="application-commissioner-decision",
    operation_id="record_commissioner_decision",
    summary="Record a Judicial Commissioner's decision",
    auth=requires_visible_application(sees_operational_content),
)
def record_commissioner_decision(
    request: HttpRequest, application_id: int, body: CommissionerDecisionIn
) -> dict[str, Any]:
    user, application = _application(request, application_id)
    actions.record_commissioner_decision(
        application,
        acting_user=user,
        expected_version=body.expected_version,
        kind=body.kind,
        outcome=body.outcome,
        decision=body.decision,
        at=_when(body),
    )
    return step_json(application, timezone.now())
