"""The authorising officer's decision: a written grant, a refusal, or an urgent oral grant."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from django.db import transaction

from cpmp.access.models import User
from cpmp.audit.events import EventType as AuditEventType
from cpmp.law.kinds import AuthorityKind

from ..checks import check_criminal_conduct, grant_facts, validate_decision
from ..content import conduct_items, parse_instant
from ..errors import ApplicationInvalid, LawRefusal, NotPermitted
from ..models import (
    Application,
    ApplicationState,
    Authorisation,
    AuthorisedConduct,
    CaseEvent,
    DocumentType,
    DocumentVersion,
    EventType,
    RecordState,
)
from ..projection import project_application
from ._common import (
    AUTHORISING_ROLES,
    add_document,
    add_event,
    audit_step,
    instant,
    lock_application,
    require_role,
    require_state,
)

UNDECIDED_STATES = (
    ApplicationState.DRAFT,
    ApplicationState.SUBMITTED,
    ApplicationState.RETURNED,
    ApplicationState.WITH_AUTHORISING_OFFICER,
)


def grant_application(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    decision: Mapping[str, Any],
    at: datetime | None = None,
) -> list[Authorisation]:
    """Grant every power applied for, in writing, and return one authorisation per power.

    ``decision`` contains the authorising officer's statement of what is authorised
    (``statement``: who, what, where, when and how), ``necessity`` and ``proportionality`` in
    their own words, ``first_review_on`` (ISO date), the authorised ``conduct`` items, and
    where relevant ``directly_involved`` with ``self_authorisation_reason``,
    ``confidential_material_consideration`` and ``designated_deputy``. The law core decides
    whether the officer's rank may grant each power in ``settings.CPMP_FORCE``. A power that
    needs a Commissioner's prior approval is recorded as awaiting approval and has no effect
    until ``record_commissioner_decision`` approves it.
    """
    now = instant(at)
    with transaction.atomic():
        lock_application(
            application, expected_version=expected_version, acting_user=acting_user, now=now
        )
        require_role(acting_user, AUTHORISING_ROLES, now, action="grant authorisations")
        require_state(application, ApplicationState.WITH_AUTHORISING_OFFICER, action="grant")
        errors = validate_decision(application, decision, now, oral=False)
        if errors:
            raise ApplicationInvalid(errors)
        facts = {
            kind: grant_facts(
                application, kind, acting_user, decision, now, oral=False, urgent=application.urgent
            )
            for kind in application.authority_kinds
        }
        document = _decision_document(
            application, "granted", decision, acting_user, now, key="decision"
        )
        events = [
            add_event(
                application,
                event_type=EventType.GRANTED,
                kind=kind.value,
                actor=acting_user,
                occurred_at=now,
                document=document,
                facts=kind_facts,
            )
            for kind, kind_facts in facts.items()
        ]
        application.state = ApplicationState.GRANTED
        application.authorising_officer = acting_user
        application.save(update_fields=["state", "authorising_officer"])
        rows = project_application(application)
        check_criminal_conduct(application, rows)
        add_conduct(rows, events, decision, application.content)
        audit_step(
            AuditEventType.APPLICATION_GRANTED,
            application,
            acting_user=acting_user,
            document=document,
            authorisation_ids=[row.pk for row in rows],
            kinds=application.kinds,
        )
    return rows


def refuse_application(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    reasons: str,
    at: datetime | None = None,
) -> Application:
    """Refuse the application, recording the authorising officer's reasons."""
    now = instant(at)
    if not reasons.strip():
        raise ApplicationInvalid({"reasons": "Enter why you are refusing the application"})
    with transaction.atomic():
        lock_application(
            application, expected_version=expected_version, acting_user=acting_user, now=now
        )
        require_role(acting_user, AUTHORISING_ROLES, now, action="decide applications")
        require_state(application, ApplicationState.WITH_AUTHORISING_OFFICER, action="refuse")
        document = _decision_document(
            application, "refused", {"reasons": reasons.strip()}, acting_user, now, key="decision"
        )
        add_event(
            application,
            event_type=EventType.REFUSED,
            actor=acting_user,
            occurred_at=now,
            document=document,
        )
        application.state = ApplicationState.REFUSED
        application.authorising_officer = acting_user
        application.save(update_fields=["state", "authorising_officer"])
        # The central record lists refusals too, one row per power refused.
        rows = project_application(application)
        audit_step(
            AuditEventType.APPLICATION_REFUSED,
            application,
            acting_user=acting_user,
            document=document,
            authorisation_ids=[row.pk for row in rows],
        )
    return application


def record_oral_grant(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    authorising_officer: User,
    decision: Mapping[str, Any],
    at: datetime | None = None,
) -> list[Authorisation]:
    """Record an urgent oral grant by ``authorising_officer``, made to ``acting_user``.

    The grant lasts 72 hours from ``at`` (RIPA s.43(3)(a)) and is flagged "written record
    outstanding" until ``record_written_grant`` is made. ``decision`` needs ``urgency_reason``
    (why the case could not wait for a written authorisation) as well as the fields of
    ``grant_application``.
    """
    now = instant(at)
    with transaction.atomic():
        lock_application(
            application, expected_version=expected_version, acting_user=acting_user, now=now
        )
        require_state(application, *UNDECIDED_STATES, action="record an oral grant for")
        if not application.operation.memberships.filter(user=acting_user).exists() and (
            acting_user.pk not in (application.applicant_id,)
        ):
            raise NotPermitted(
                "Only the applicant or a member of the operation's team can record an oral grant"
            )
        require_role(authorising_officer, AUTHORISING_ROLES, now, action="grant authorisations")
        errors = validate_decision(application, decision, now, oral=True)
        if errors:
            raise ApplicationInvalid(errors)
        facts = {
            kind: grant_facts(
                application, kind, authorising_officer, decision, now, oral=True, urgent=True
            )
            for kind in application.authority_kinds
        }
        application.urgent = True
        document = add_document(
            application,
            document_type=DocumentType.ORAL_GRANT_RECORD,
            document_key="oral-grant-record",
            content={
                "authorising_officer_id": authorising_officer.pk,
                "recorded_by_id": acting_user.pk,
                "granted_at": now.isoformat(),
                "application_content": application.content,
                **decision,
            },
            author=acting_user,
            now=now,
        )
        events = [
            add_event(
                application,
                event_type=EventType.ORAL_GRANT,
                kind=kind.value,
                actor=acting_user,
                occurred_at=now,
                document=document,
                facts=kind_facts,
            )
            for kind, kind_facts in facts.items()
        ]
        application.state = ApplicationState.GRANTED
        application.authorising_officer = authorising_officer
        application.save(update_fields=["state", "authorising_officer", "urgent"])
        rows = project_application(application)
        check_criminal_conduct(application, rows)
        add_conduct(rows, events, decision, application.content)
        audit_step(
            AuditEventType.AUTHORISATION_ORAL_GRANT_RECORDED,
            application,
            acting_user=acting_user,
            document=document,
            authorisation_ids=[row.pk for row in rows],
        )
    return rows


def record_written_grant(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    mode: Literal["fresh-grant", "renewal"],
    decision: Mapping[str, Any],
    at: datetime | None = None,
) -> list[Authorisation]:
    """Make the written instrument that follows an oral grant (convention C7).

    ``mode="fresh-grant"`` starts a new written period from the day of ``at`` and records the
    oral grant as superseded; ``mode="renewal"`` renews it from the end of the 72 hours
    (RIPA s.43(9)(b)). Either clears the "written record outstanding" flag.
    """
    now = instant(at)
    if mode not in ("fresh-grant", "renewal"):
        raise ApplicationInvalid({"mode": "Select whether this is a fresh grant or a renewal"})
    with transaction.atomic():
        lock_application(
            application, expected_version=expected_version, acting_user=acting_user, now=now
        )
        require_role(acting_user, AUTHORISING_ROLES, now, action="grant authorisations")
        rows = list(application.authorisations.all())
        outstanding = [row for row in rows if "written_record_outstanding" in row.findings]
        if not outstanding:
            raise LawRefusal(
                "This application has no oral grant awaiting its written record",
                code="no_oral_grant_outstanding",
            )
        errors = validate_decision(application, decision, now, oral=False, urgent=False)
        if errors:
            raise ApplicationInvalid(errors)
        if mode == "renewal":
            for row in outstanding:
                if row.expires_at is None or now >= row.expires_at:
                    raise LawRefusal(
                        "The oral grant ended before this renewal: an authorisation can be "
                        "renewed only before it ends, so make a fresh grant",
                        code="renewal_after_expiry",
                        rules=["ripa-s43-4-renewal-before-end"],
                        extra={"authorisation_id": row.pk},
                    )
        facts = {
            AuthorityKind(row.kind): {
                **grant_facts(
                    application,
                    AuthorityKind(row.kind),
                    acting_user,
                    decision,
                    now,
                    oral=False,
                    urgent=False,
                ),
                "mode": mode,
            }
            for row in outstanding
            if row.kind
        }
        document = _decision_document(
            application, mode, decision, acting_user, now, key="written-grant"
        )
        events = [
            add_event(
                application,
                event_type=EventType.WRITTEN_GRANT,
                kind=kind.value,
                actor=acting_user,
                occurred_at=now,
                document=document,
                facts=kind_facts,
            )
            for kind, kind_facts in facts.items()
        ]
        application.authorising_officer = acting_user
        application.save(update_fields=["authorising_officer"])
        rows = project_application(application)
        if "conduct" in decision:
            add_conduct(rows, events, decision, {})
        audit_step(
            AuditEventType.AUTHORISATION_WRITTEN_GRANT_RECORDED,
            application,
            acting_user=acting_user,
            document=document,
            authorisation_ids=[row.pk for row in rows],
            outcome=mode,
        )
    return rows


def _decision_document(
    application: Application,
    outcome: str,
    decision: Mapping[str, Any],
    author: User,
    now: Any,
    *,
    key: str,
) -> DocumentVersion:
    """Store the decision, bound to the hash of the application version it decides."""
    submitted = application.documents.filter(document_key="application").order_by("-number").first()
    return add_document(
        application,
        document_type=DocumentType.DECISION,
        document_key=key,
        content={
            "outcome": outcome,
            "application_document_id": submitted.pk if submitted else None,
            "application_sha256": submitted.sha256 if submitted else "",
            **decision,
        },
        author=author,
        now=now,
    )


def add_conduct(
    rows: list[Authorisation],
    events: list[CaseEvent],
    decision: Mapping[str, Any],
    application_content: Mapping[str, Any],
) -> list[AuthorisedConduct]:
    """Create the conduct rows a grant or variation authorises, one set per power.

    The decision's ``conduct`` items are used when given, the application's otherwise. An
    item with ``kinds`` applies only to those powers.
    """
    items = conduct_items(decision) if "conduct" in decision else conduct_items(application_content)
    event_by_kind = {event.kind: event for event in events}
    created: list[AuthorisedConduct] = []
    for row in rows:
        event = event_by_kind.get(row.kind or "")
        if event is None or row.state == RecordState.REFUSED:
            continue
        for item in items:
            kinds = item.get("kinds")
            if kinds and row.kind not in kinds:
                continue
            created.append(
                AuthorisedConduct.objects.create(
                    authorisation=row,
                    category=item["category"],
                    identifier=str(item.get("identifier") or "")[:200],
                    description=str(item.get("description") or ""),
                    premises_use=str(item.get("premises_use") or ""),
                    platform=str(item.get("platform") or "")[:100],
                    necessity=str(item.get("necessity") or ""),
                    proportionality=str(item.get("proportionality") or ""),
                    collateral_intrusion=str(item.get("collateral_intrusion") or ""),
                    collateral_minimisation=str(item.get("collateral_minimisation") or ""),
                    starts_at=parse_instant(item.get("starts_at")),
                    ends_at=parse_instant(item.get("ends_at")),
                    added_by=event,
                )
            )
    return created
