"""What every lifecycle action shares: the version check, documents, events and the audit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Max
from django.utils import timezone

from cpmp.access.models import User
from cpmp.access.roles import Role
from cpmp.audit.actions import append_event
from cpmp.audit.context import current_source
from cpmp.audit.events import EventType as AuditEventType
from cpmp.law.ranks import Force
from cpmp.law.ranks import Rank as LawRank

from ..documents import content_sha256
from ..errors import ApplicationInvalid, NotPermitted, StaleVersion, WrongState
from ..models import Application, CaseEvent, DocumentType, DocumentVersion, EventType
from ..notifications import notify_on_commit

# The audit source when no front door has named one (a direct call, as in tests).
AUDIT_SOURCE = "authorities"
# How far ahead of the server's clock a step may be dated, for clocks a little apart.
CLOCK_TOLERANCE = timedelta(minutes=5)

AUTHORISING_ROLES = frozenset({Role.AUTHORISING_OFFICER, Role.SENIOR_AUTHORISING_OFFICER})


def instant(at: datetime | None) -> datetime:
    """Return ``at``, or now when it is None; a naive or future value is rejected.

    A step may be recorded after it happened (an oral grant written up next morning), never
    before: a future ``at`` would let a record claim something not yet done.
    """
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        raise ValueError(f"instant {at.isoformat()} has no time zone: give an aware datetime")
    if at > now + CLOCK_TOLERANCE:
        raise ApplicationInvalid({"at": "Enter a date and time that is not in the future"})
    return at


def lock_application(
    application: Application, *, expected_version: int, acting_user: User, now: datetime
) -> Application:
    """Move the application to the next version if it is still at ``expected_version``.

    The compare-and-set is one UPDATE, so of two people acting on the same version exactly
    one succeeds: on PostgreSQL the second waits for the first's row lock and then finds the
    version moved; on SQLite the write lock taken at BEGIN serialises them. The loser gets
    ``StaleVersion`` naming who made the change and when. Returns the row as locked.

    NOTE: this does not check that ``acting_user`` may see the application's operation, nor
    that ``now`` is not before the case's latest step. Every page, API endpoint and command
    checks the compartment first; the test factories date steps out of order, so both checks
    wait until they are rewritten.
    """
    changed = Application.objects.filter(pk=application.pk, version=expected_version).update(
        version=F("version") + 1, updated_by=acting_user, updated_at=now
    )
    application.refresh_from_db()
    if not changed:
        changer = application.updated_by
        raise StaleVersion(
            expected_version=expected_version,
            current_version=application.version,
            changed_by_id=changer.pk,
            changed_by_name=changer.get_full_name() or changer.get_username(),
            changed_at=application.updated_at,
        )
    return application


def require_state(application: Application, *states: str, action: str) -> None:
    if application.state not in states:
        raise WrongState(
            f"You cannot {action} an application that is {application.get_state_display().lower()}",
            fields={"state": application.state, "allowed_states": list(states)},
        )


def require_role(
    user: User, roles: frozenset[str] | set[str], now: datetime, *, action: str
) -> None:
    if not user.is_active or not (user.active_roles(now) & roles):
        raise NotPermitted(
            f"You do not have a role that may {action}",
            fields={"required_roles": sorted(roles)},
        )


def force() -> Force:
    """Return whose rank rules apply, from ``settings.CPMP_FORCE``."""
    return Force(settings.CPMP_FORCE)


def law_rank(user: User) -> LawRank | None:
    """Return the person's rank as the law core knows it, or None for police staff."""
    try:
        return LawRank(user.rank)
    except ValueError:
        return None


def add_document(
    application: Application,
    *,
    document_type: DocumentType,
    document_key: str,
    content: Mapping[str, Any],
    author: User,
    now: datetime,
    amendment_reason: str = "",
) -> DocumentVersion:
    """Store ``content`` as the next version of the document ``document_key``."""
    last = DocumentVersion.objects.filter(
        application=application, document_key=document_key
    ).aggregate(last=Max("number"))["last"]
    number = (last or 0) + 1
    return DocumentVersion.objects.create(
        application=application,
        document_type=document_type,
        document_key=document_key,
        number=number,
        content=dict(content),
        sha256=content_sha256(content),
        author=author,
        created_at=now,
        amendment_reason=amendment_reason if number > 1 else "",
    )


def add_event(
    application: Application,
    *,
    event_type: EventType,
    actor: User,
    occurred_at: datetime,
    kind: str = "",
    document: DocumentVersion | None = None,
    facts: Mapping[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        application=application,
        event_type=event_type,
        kind=kind,
        document=document,
        actor=actor,
        occurred_at=occurred_at,
        recorded_at=timezone.now(),
        facts=dict(facts or {}),
    )


def audit_step(
    audit_type: AuditEventType,
    application: Application,
    *,
    acting_user: User,
    document: DocumentVersion | None = None,
    authorisation_ids: list[int] | None = None,
    **extra: Any,
) -> None:
    """Append the audit event of a step (ids only) and send the notification after commit."""
    payload: dict[str, Any] = {"application_id": application.pk, "version": application.version}
    if document is not None:
        payload["document_id"] = document.pk
        payload["sha256"] = document.sha256
    if authorisation_ids is not None:
        payload["authorisation_ids"] = authorisation_ids
    payload.update(extra)
    source, request_id = current_source(AUDIT_SOURCE)
    append_event(
        audit_type,
        actor=acting_user,
        object_type="application",
        object_id=application.pk,
        payload=payload,
        source=source,
        request_id=request_id,
    )
    notify_on_commit(
        application_id=application.pk,
        step=audit_type.value,
        authorisation_ids=authorisation_ids or [],
    )
