"""Judicial Commissioner steps: notices given and decisions received."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cpmp.access.models import User
from cpmp.access.roles import Role
from cpmp.audit.events import EventType as AuditEventType
from cpmp.law.kinds import AuthorityKind

from ..content import parse_instant
from ..errors import ApplicationInvalid, LawRefusal
from ..models import Application, Authorisation, CaseEvent, DocumentType, EventType, RecordState
from ..projection import project_application
from ._common import (
    CLOCK_TOLERANCE,
    add_document,
    add_event,
    audit_step,
    instant,
    lock_application,
    require_role,
)

# The Central Authorities Bureau sends notices and records decisions; authorising officers
# may record them too.
COMMISSIONER_CLERK_ROLES = frozenset(
    {Role.GATEKEEPER, Role.AUTHORISING_OFFICER, Role.SENIOR_AUTHORISING_OFFICER}
)
NOTICE_ABOUT = ("grant", "renewal", "cancellation")


def _power(application: Application, kind: str) -> Authorisation:
    try:
        AuthorityKind(kind)
    except ValueError:
        raise ApplicationInvalid({"kind": f"{kind} is not a power CPMP knows"}) from None
    row = application.authorisations.filter(kind=kind).first()
    if row is None:
        raise ApplicationInvalid(
            {"kind": "Select a power that has been granted in this application"}
        )
    return row


def record_commissioner_notice(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    kind: str,
    notice: Mapping[str, Any],
    at: datetime | None = None,
) -> CaseEvent:
    """Record that notice of a grant, renewal or cancellation of ``kind`` went to a Judicial
    Commissioner. ``notice`` contains ``about`` ("grant", "renewal" or "cancellation"),
    ``sent_at`` (ISO instant) and ``document_reference``."""
    now = instant(at)
    errors: dict[str, str] = {}
    if notice.get("about") not in NOTICE_ABOUT:
        errors["about"] = "Select whether the notice is of a grant, a renewal or a cancellation"
    sent_at = parse_instant(notice.get("sent_at"))
    if sent_at is None:
        errors["sent_at"] = "Enter the date and time the notice was sent"
    if not str(notice.get("document_reference") or "").strip():
        errors["document_reference"] = "Enter the reference of the notice"
    if errors:
        raise ApplicationInvalid(errors)
    with transaction.atomic():
        lock_application(
            application, expected_version=expected_version, acting_user=acting_user, now=now
        )
        require_role(acting_user, COMMISSIONER_CLERK_ROLES, now, action="record Commissioner steps")
        row = _power(application, kind)
        document = add_document(
            application,
            document_type=DocumentType.COMMISSIONER_NOTICE,
            document_key=f"commissioner-notice-{kind}-{notice['about']}-{now:%Y%m%d%H%M%S%f}",
            content=dict(notice),
            author=acting_user,
            now=now,
        )
        assert sent_at is not None
        event = add_event(
            application,
            event_type=EventType.COMMISSIONER_NOTICE,
            kind=kind,
            actor=acting_user,
            occurred_at=sent_at,
            document=document,
            facts={"about": notice["about"]},
        )
        audit_step(
            AuditEventType.AUTHORISATION_COMMISSIONER_NOTICE_RECORDED,
            application,
            acting_user=acting_user,
            document=document,
            authorisation_ids=[row.pk],
            kind=kind,
        )
    return event


def _granted_at(application: Application, kind: str) -> datetime | None:
    """Return when ``kind`` was first granted in this case, in writing or orally."""
    event = (
        CaseEvent.objects.filter(
            application=application,
            event_type__in=(EventType.GRANTED, EventType.ORAL_GRANT),
        )
        .filter(Q(kind=kind) | Q(kind=""))
        .order_by("occurred_at")
        .first()
    )
    return event.occurred_at if event is not None else None


def record_commissioner_decision(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    kind: str,
    outcome: Literal["approved", "refused", "quashed"],
    decision: Mapping[str, Any],
    at: datetime | None = None,
) -> Authorisation:
    """Record a Judicial Commissioner's decision on the power ``kind`` and return its row.

    ``decision`` contains ``decided_at`` and ``notified_at`` (ISO instants: an approval takes
    effect when the authorising officer is told of it, RIPA s.36(2)), ``document_reference``
    and, for a refusal or quashing, ``material_instructions``: what must happen to material
    already obtained. An approval lets an authorisation awaiting it take effect; a refusal or
    quashing ends it.
    """
    now = instant(at)
    errors: dict[str, str] = {}
    if outcome not in ("approved", "refused", "quashed"):
        errors["outcome"] = "Select whether the Commissioner approved, refused or quashed it"
    decided_at = parse_instant(decision.get("decided_at"))
    notified_at = parse_instant(decision.get("notified_at"))
    if decided_at is None:
        errors["decided_at"] = "Enter the date and time of the Commissioner's decision"
    if notified_at is None:
        errors["notified_at"] = (
            "Enter the date and time the authorising officer was told of the decision"
        )
    elif decided_at is not None and notified_at < decided_at:
        errors["notified_at"] = "The authorising officer cannot be told before the decision"
    latest_allowed = timezone.now() + CLOCK_TOLERANCE
    if decided_at is not None and decided_at > latest_allowed:
        errors["decided_at"] = "Enter a decision date and time that is not in the future"
    if notified_at is not None and notified_at > latest_allowed:
        errors["notified_at"] = (
            "Enter a date and time the officer was told that is not in the future"
        )
    if not str(decision.get("document_reference") or "").strip():
        errors["document_reference"] = "Enter the reference of the Commissioner's decision"
    if (
        outcome in ("refused", "quashed")
        and not str(decision.get("material_instructions") or "").strip()
    ):
        errors["material_instructions"] = (
            "Enter what must happen to material already obtained: kept, reviewed or destroyed"
        )
    if errors:
        raise ApplicationInvalid(errors)
    assert decided_at is not None and notified_at is not None
    with transaction.atomic():
        lock_application(
            application, expected_version=expected_version, acting_user=acting_user, now=now
        )
        require_role(acting_user, COMMISSIONER_CLERK_ROLES, now, action="record Commissioner steps")
        row = _power(application, kind)
        granted_at = _granted_at(application, kind)
        if (
            kind != AuthorityKind.EQUIPMENT_INTERFERENCE
            and granted_at is not None
            and decided_at < granted_at
        ):
            # Only an equipment interference warrant is approved before it is issued (the
            # double lock, IPA 2016 s.106(1)(d)); every other power is decided on after its grant.
            raise ApplicationInvalid(
                {"decided_at": "Enter a decision date and time after the grant"}
            )
        if (
            outcome == "approved"
            and row.state != RecordState.AWAITING_APPROVAL
            and ("renewal_awaiting_approval" not in row.findings)
            and not row.urgent
        ):
            raise LawRefusal(
                "This authorisation is not awaiting a Commissioner's approval",
                code="not_awaiting_approval",
                extra={"authorisation_id": row.pk},
            )
        event_type = {
            "approved": EventType.COMMISSIONER_APPROVED,
            "refused": EventType.COMMISSIONER_REFUSED,
            "quashed": EventType.COMMISSIONER_QUASHED,
        }[outcome]
        document = add_document(
            application,
            document_type=DocumentType.COMMISSIONER_DECISION,
            document_key=f"commissioner-decision-{kind}-{now:%Y%m%d%H%M%S%f}",
            content={"outcome": outcome, **decision},
            author=acting_user,
            now=now,
        )
        # RIPA s.36(2), Police Act 1997 s.97(4): an approval takes effect when the authorising
        # officer is told of it; a refusal or quashing ends the authority when it is made.
        occurred = notified_at if outcome == "approved" else decided_at
        add_event(
            application,
            event_type=event_type,
            kind=kind,
            actor=acting_user,
            occurred_at=occurred,
            document=document,
            facts={"effective_at": notified_at.isoformat(), "decided_at": decided_at.isoformat()},
        )
        (row,) = [r for r in project_application(application) if r.kind == kind]
        audit_step(
            AuditEventType.AUTHORISATION_COMMISSIONER_DECISION_RECORDED,
            application,
            acting_user=acting_user,
            document=document,
            authorisation_ids=[row.pk],
            kind=kind,
            outcome=outcome,
        )
    return row
