"""Drafting, submitting and gatekeeping an application."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from cpmp.access.compartments import can_view_operation
from cpmp.access.models import User
from cpmp.access.roles import Role
from cpmp.assets.models import Source
from cpmp.audit.events import EventType as AuditEventType
from cpmp.law.kinds import AuthorityKind
from cpmp.operations.models import Operation

from ..content import validate_application
from ..errors import ApplicationInvalid, NotPermitted
from ..models import (
    Application,
    ApplicationState,
    Authorisation,
    DocumentType,
    DocumentVersion,
    EventType,
)
from ..similarity import SimilarityWarning, find_repeated_text
from ._common import (
    add_document,
    add_event,
    audit_step,
    instant,
    lock_application,
    require_role,
    require_state,
)

APPLICANT_ROLES = frozenset({Role.APPLICANT})
GATEKEEPER_ROLES = frozenset({Role.GATEKEEPER})
EDITABLE_STATES = (ApplicationState.DRAFT, ApplicationState.RETURNED)
# How many earlier applications the gatekeeper's similarity check reads, newest first.
SIMILARITY_WINDOW = 500


def _checked_kinds(kinds: Sequence[str]) -> list[str]:
    if not kinds:
        raise ApplicationInvalid({"kinds": "Select at least one power to apply for"})
    values = []
    for value in kinds:
        try:
            values.append(AuthorityKind(value).value)
        except ValueError:
            raise ApplicationInvalid(
                {"kinds": f"{value} is not a power CPMP knows: select from the list"}
            ) from None
    if len(set(values)) != len(values):
        raise ApplicationInvalid({"kinds": "Select each power once"})
    return values


@dataclass(frozen=True)
class GatekeeperCheck:
    """The result of a gatekeeper's acceptance: the check recorded and any warnings."""

    application: Application
    document: DocumentVersion
    warnings: tuple[SimilarityWarning, ...]


def create_application(
    *,
    acting_user: User,
    operation: Operation,
    kinds: Sequence[str],
    reference: str,
    urgent: bool = False,
    content: Mapping[str, Any] | None = None,
    source: Source | None = None,
    chis_authorisation: Authorisation | None = None,
    at: datetime | None = None,
) -> Application:
    """Create a draft application for ``kinds`` (``AuthorityKind`` values) in ``operation``.

    ``reference`` is the force's unique reference (URN). ``source`` is required for CHIS,
    juvenile CHIS, relevant-source and criminal conduct kinds at submission, and
    ``chis_authorisation`` for a criminal conduct application that does not also apply for
    the CHIS authorisation. Raises ``ApplicationInvalid`` for an unknown kind or a reference
    already used, and ``NotPermitted`` when the person may not apply in the operation.
    """
    now = instant(at)
    require_role(acting_user, APPLICANT_ROLES, now, action="make an application")
    if not can_view_operation(acting_user, operation, now):
        raise NotPermitted("You are not in this operation's team, so cannot apply in it")
    kind_values = _checked_kinds(kinds)
    reference = reference.strip()
    if not reference:
        raise ApplicationInvalid({"reference": "Enter the unique reference number"})
    with transaction.atomic():
        if Application.objects.filter(reference=reference).exists():
            raise ApplicationInvalid(
                {"reference": f"The reference {reference} is already used: enter another"}
            )
        application = Application.objects.create(
            reference=reference,
            operation=operation,
            applicant=acting_user,
            kinds=kind_values,
            urgent=urgent,
            content=dict(content or {}),
            source=source,
            chis_authorisation=chis_authorisation,
            updated_at=now,
            updated_by=acting_user,
        )
        audit_step(
            AuditEventType.APPLICATION_CREATED,
            application,
            acting_user=acting_user,
            kinds=kind_values,
        )
    return application


def save_draft(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    content: Mapping[str, Any],
    urgent: bool | None = None,
    at: datetime | None = None,
) -> Application:
    """Replace the draft's content (and urgency, when given). Only a draft or an application
    returned for amendment may be edited; nothing is validated until submission."""
    now = instant(at)
    with transaction.atomic():
        lock_application(
            application, expected_version=expected_version, acting_user=acting_user, now=now
        )
        require_state(application, *EDITABLE_STATES, action="edit")
        if acting_user.pk != application.applicant_id:
            raise NotPermitted("Only the applicant can edit this application")
        application.content = dict(content)
        if urgent is not None:
            application.urgent = urgent
        application.save(update_fields=["content", "urgent"])
        audit_step(AuditEventType.APPLICATION_DRAFT_SAVED, application, acting_user=acting_user)
    return application


def submit_application(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    amendment_reason: str = "",
    at: datetime | None = None,
) -> Application:
    """Validate the draft against its kinds' forms and store it as an immutable version.

    Raises ``ApplicationInvalid`` listing every field at fault. A resubmission after a return
    for amendment needs ``amendment_reason``.
    """
    now = instant(at)
    with transaction.atomic():
        lock_application(
            application, expected_version=expected_version, acting_user=acting_user, now=now
        )
        require_state(application, *EDITABLE_STATES, action="submit")
        if acting_user.pk != application.applicant_id:
            raise NotPermitted("Only the applicant can submit this application")
        errors = validate_application(
            application.authority_kinds,
            application.content,
            urgent=application.urgent,
            has_source=application.source_id is not None,
            has_chis_authorisation=application.chis_authorisation_id is not None,
        )
        resubmission = application.state == ApplicationState.RETURNED
        if resubmission and not amendment_reason.strip():
            errors["amendment_reason"] = "Enter what you changed and why"
        if errors:
            raise ApplicationInvalid(errors)
        document = add_document(
            application,
            document_type=DocumentType.APPLICATION,
            document_key="application",
            content={
                "kinds": application.kinds,
                "urgent": application.urgent,
                "source_id": application.source_id,
                "chis_authorisation_id": application.chis_authorisation_id,
                **application.content,
            },
            author=acting_user,
            now=now,
            amendment_reason=amendment_reason.strip(),
        )
        add_event(
            application,
            event_type=EventType.SUBMITTED,
            actor=acting_user,
            occurred_at=now,
            document=document,
        )
        application.state = ApplicationState.SUBMITTED
        application.save(update_fields=["state"])
        audit_step(
            AuditEventType.APPLICATION_SUBMITTED,
            application,
            acting_user=acting_user,
            document=document,
        )
    return application


def accept_application(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    notes: str = "",
    at: datetime | None = None,
) -> GatekeeperCheck:
    """Record the gatekeeper's check and pass the application to an authorising officer.

    The check warns (without refusing) when a tactic's proportionality or collateral-intrusion
    text repeats an earlier application's (``cpmp.authorities.similarity``).
    """
    now = instant(at)
    with transaction.atomic():
        lock_application(
            application, expected_version=expected_version, acting_user=acting_user, now=now
        )
        require_role(acting_user, GATEKEEPER_ROLES, now, action="check applications")
        require_state(application, ApplicationState.SUBMITTED, action="accept")
        warnings = tuple(repeated_text_warnings(application))
        document = add_document(
            application,
            document_type=DocumentType.GATEKEEPER_CHECK,
            document_key=f"gatekeeper-check-{_submission_number(application)}",
            content={
                "outcome": "accepted",
                "notes": notes,
                "similarity_warnings": [warning.as_json() for warning in warnings],
            },
            author=acting_user,
            now=now,
        )
        add_event(
            application,
            event_type=EventType.ACCEPTED,
            actor=acting_user,
            occurred_at=now,
            document=document,
        )
        application.state = ApplicationState.WITH_AUTHORISING_OFFICER
        application.gatekeeper = acting_user
        application.save(update_fields=["state", "gatekeeper"])
        audit_step(
            AuditEventType.APPLICATION_ACCEPTED,
            application,
            acting_user=acting_user,
            document=document,
            warning_count=len(warnings),
        )
    return GatekeeperCheck(application, document, warnings)


def return_for_amendment(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    reasons: str,
    at: datetime | None = None,
) -> Application:
    """Return a submitted application to the applicant with the gatekeeper's reasons."""
    now = instant(at)
    if not reasons.strip():
        raise ApplicationInvalid({"reasons": "Enter what the applicant must change and why"})
    with transaction.atomic():
        lock_application(
            application, expected_version=expected_version, acting_user=acting_user, now=now
        )
        require_role(acting_user, GATEKEEPER_ROLES, now, action="check applications")
        require_state(application, ApplicationState.SUBMITTED, action="return")
        document = add_document(
            application,
            document_type=DocumentType.GATEKEEPER_CHECK,
            document_key=f"gatekeeper-check-{_submission_number(application)}",
            content={"outcome": "returned-for-amendment", "reasons": reasons.strip()},
            author=acting_user,
            now=now,
        )
        add_event(
            application,
            event_type=EventType.RETURNED,
            actor=acting_user,
            occurred_at=now,
            document=document,
        )
        application.state = ApplicationState.RETURNED
        application.gatekeeper = acting_user
        application.save(update_fields=["state", "gatekeeper"])
        audit_step(
            AuditEventType.APPLICATION_RETURNED,
            application,
            acting_user=acting_user,
            document=document,
        )
    return application


def _submission_number(application: Application) -> int:
    return application.events.filter(event_type=EventType.SUBMITTED).count()


def repeated_text_warnings(application: Application) -> list[SimilarityWarning]:
    """Compare the application's latest submitted text with earlier applications' texts."""
    latest = application.documents.filter(document_key="application").order_by("-number").first()
    if latest is None:
        return []
    earlier = (
        DocumentVersion.objects.filter(
            document_key="application", created_at__lte=latest.created_at
        )
        .exclude(application=application)
        .order_by("-created_at")
        .values_list("application_id", "content")[:SIMILARITY_WINDOW]
    )
    return find_repeated_text(latest.content, list(earlier))
