"""Reviews, renewals, variations, cancellations and recovery of equipment."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from cpmp.access.models import User
from cpmp.access.roles import Role
from cpmp.audit.events import EventType as AuditEventType
from cpmp.law.durations import renewal_window
from cpmp.law.kinds import AuthorityKind
from cpmp.law.periods import london_day
from cpmp.law.reviews import check_chis_renewal, juvenile_review_due_days

from ..checks import grant_facts
from ..content import (
    CHIS_KINDS,
    TACTIC_TEXT_MESSAGES,
    TACTIC_TEXTS,
    conduct_items,
    parse_date,
    parse_instant,
)
from ..errors import ApplicationInvalid, LawRefusal, WrongState
from ..models import (
    Application,
    Authorisation,
    CaseEvent,
    ConductCategory,
    DocumentType,
    DocumentVersion,
    EventType,
    RecordState,
)
from ..projection import power_history, project_application
from ..similarity import similarity
from ._common import (
    AUTHORISING_ROLES,
    add_document,
    add_event,
    audit_step,
    instant,
    lock_application,
    require_role,
)
from .decisions import add_conduct

K = AuthorityKind
REVIEW_CHANGES = ("contacts", "product", "risk", "collateral_intrusion")
CHIS_REVIEW_FIELDS = ("use_of_source", "tasks_given", "information_obtained")
# A review whose reasoning is this close to the application's necessity text restates the
# case instead of addressing what changed; it is flagged for the authorising officer.
RESTATEMENT_THRESHOLD = 0.85


def _workflow(authorisation: Authorisation) -> None:
    if authorisation.application_id is None or authorisation.kind is None:
        raise WrongState(
            "Only an authorisation made in CPMP can be changed here: an imported record is "
            "kept as it was imported"
        )


def _workflow_kind(authorisation: Authorisation) -> AuthorityKind:
    """Return the power of an authorisation that ``_workflow`` has accepted."""
    assert authorisation.kind is not None, "a workflow authorisation always has a kind"
    return K(authorisation.kind)


def _require_live(authorisation: Authorisation, now: datetime, *, action: str) -> None:
    if authorisation.state != RecordState.GRANTED:
        raise WrongState(
            f"You cannot {action} an authorisation that is "
            f"{authorisation.get_state_display().lower()}"
        )
    if authorisation.cancelled_from is not None and authorisation.cancelled_from <= now:
        raise WrongState(f"You cannot {action} an authorisation that has been cancelled")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _last_step_at(application: Application, kind: AuthorityKind, *steps: str) -> datetime | None:
    event = (
        CaseEvent.objects.filter(
            application=application,
            kind=kind.value,
            event_type__in=steps,
        )
        .order_by("-occurred_at", "-pk")
        .first()
    )
    return event.occurred_at if event else None


def record_review(
    authorisation: Authorisation,
    *,
    acting_user: User,
    expected_version: int,
    review: Mapping[str, Any],
    at: datetime | None = None,
) -> DocumentVersion:
    """Record a review of a workflow authorisation and return its document version.

    ``review`` asks what changed since the last review: ``changes`` with ``contacts``,
    ``product``, ``risk`` and ``collateral_intrusion``, plus ``continue`` (bool),
    ``reasoning`` and ``next_review_on``; a CHIS review also ``use_of_source``,
    ``tasks_given`` and ``information_obtained`` (RIPA s.43(7)). The stored content carries
    a ``diff`` against the previous review.
    """
    now = instant(at)
    _workflow(authorisation)
    errors: dict[str, str] = {}
    given_changes = review.get("changes")
    changes: Mapping[str, Any] = given_changes if isinstance(given_changes, Mapping) else {}
    for key in REVIEW_CHANGES:
        if not _text(changes.get(key)):
            errors[f"changes.{key}"] = (
                f"Enter what changed since the last review in {key.replace('_', ' ')}, "
                "or that nothing changed"
            )
    if not isinstance(review.get("continue"), bool):
        errors["continue"] = "Select whether the activity should continue"
    if not _text(review.get("reasoning")):
        errors["reasoning"] = (
            "Enter why the activity is still necessary and proportionate given what changed"
        )
    if authorisation.kind in {kind.value for kind in CHIS_KINDS}:
        for key in CHIS_REVIEW_FIELDS:
            if not _text(review.get(key)):
                errors[key] = "Enter this for the review the law requires before renewal"
    next_review = parse_date(review.get("next_review_on"))
    if review.get("continue") is True:
        if next_review is None or next_review <= london_day(now):
            errors["next_review_on"] = "Enter the date of the next review, after today"
        elif authorisation.juvenile:
            # SI 2000/2793 as amended by SI 2018/715: a juvenile source is reviewed monthly.
            due = _next_juvenile_review_due(authorisation, now)
            if due is not None and next_review > due:
                errors["next_review_on"] = (
                    f"A juvenile source must be reviewed at least monthly: set the next review "
                    f"on or before {due:%d %B %Y}"
                )
    if errors:
        raise ApplicationInvalid(errors)

    with transaction.atomic():
        application = authorisation.application
        assert application is not None
        lock_application(
            application, expected_version=expected_version, acting_user=acting_user, now=now
        )
        require_role(acting_user, AUTHORISING_ROLES, now, action="review authorisations")
        authorisation.refresh_from_db()
        _require_live(authorisation, now, action="review")
        previous = (
            DocumentVersion.objects.filter(
                application=application,
                document_type=DocumentType.REVIEW,
                document_key__startswith=f"review-{authorisation.kind}-",
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        previous_changes = previous.content.get("changes", {}) if previous else {}
        diff = {
            key: list(
                difflib.unified_diff(
                    str(previous_changes.get(key, "")).splitlines(),
                    str(changes.get(key, "")).splitlines(),
                    lineterm="",
                    n=0,
                )
            )
            for key in REVIEW_CHANGES
        }
        restates = (
            similarity(_text(review.get("reasoning")), _text(application.content.get("necessity")))
            >= RESTATEMENT_THRESHOLD
        )
        number = (
            DocumentVersion.objects.filter(
                application=application,
                document_type=DocumentType.REVIEW,
                document_key__startswith=f"review-{authorisation.kind}-",
                number=1,
            ).count()
            + 1
        )
        document = add_document(
            application,
            document_type=DocumentType.REVIEW,
            document_key=f"review-{authorisation.kind}-{number}",
            content={
                **review,
                "review_number": number,
                "previous_review_id": previous.pk if previous else None,
                "diff": diff,
                "restates_application": restates,
            },
            author=acting_user,
            now=now,
        )
        add_event(
            application,
            event_type=EventType.REVIEWED,
            kind=authorisation.kind or "",
            actor=acting_user,
            occurred_at=now,
            document=document,
            facts={
                "next_review_on": next_review.isoformat() if next_review else "",
                "continue": review["continue"],
                "restates_application": restates,
            },
        )
        audit_step(
            AuditEventType.AUTHORISATION_REVIEWED,
            application,
            acting_user=acting_user,
            document=document,
            authorisation_ids=[authorisation.pk],
            kind=authorisation.kind,
        )
    return document


def renew_authorisation(
    authorisation: Authorisation,
    *,
    acting_user: User,
    expected_version: int,
    renewal: Mapping[str, Any],
    at: datetime | None = None,
) -> Authorisation:
    """Renew a live authorisation; the new period runs from the old end (conventions C5, C6).

    Raises ``LawRefusal`` when the authorisation has already ended, when a CHIS has had no
    review since its last grant or renewal (RIPA s.43(6)-(7)), when a warrant is outside its
    renewal window (IPA 2016 s.117), or when the officer's rank may not renew it.
    """
    now = instant(at)
    _workflow(authorisation)
    errors: dict[str, str] = {}
    for key, message in (
        ("changes", "Enter any significant changes since the authorisation was granted"),
        ("necessity", "Enter in your own words why the activity is still necessary"),
        ("proportionality", "Enter in your own words why the activity is still proportionate"),
        ("value_so_far", "Enter the value of the information obtained so far"),
    ):
        if not _text(renewal.get(key)):
            errors[key] = message
    first_review = parse_date(renewal.get("first_review_on"))
    if first_review is None:
        errors["first_review_on"] = "Enter the date of the first review of the renewed period"
    if errors:
        raise ApplicationInvalid(errors)

    with transaction.atomic():
        application = authorisation.application
        assert application is not None
        lock_application(
            application, expected_version=expected_version, acting_user=acting_user, now=now
        )
        require_role(acting_user, AUTHORISING_ROLES, now, action="renew authorisations")
        authorisation.refresh_from_db()
        kind = _workflow_kind(authorisation)
        _require_live(authorisation, now, action="renew")
        if "renewal_awaiting_approval" in authorisation.findings:
            raise WrongState("A renewal of this authorisation is already awaiting approval")
        if authorisation.expires_at is None or now >= authorisation.expires_at:
            raise LawRefusal(
                "This authorisation ended before the renewal: an authorisation can be renewed "
                "only before it ends, so make a new application",
                code="renewal_after_expiry",
                rules=["ripa-s43-4-renewal-before-end"],
            )
        # RIPA s.43(6)-(7): a CHIS is reviewed before each renewal.
        since = _last_step_at(
            application,
            kind,
            EventType.GRANTED,
            EventType.ORAL_GRANT,
            EventType.WRITTEN_GRANT,
            EventType.RENEWED,
        )
        reviewed = _last_step_at(application, kind, EventType.REVIEWED)
        checked = check_chis_renewal(
            kind, review_recorded=reviewed is not None and (since is None or reviewed >= since)
        )
        if not checked.permitted:
            raise LawRefusal(
                (checked.problem or "").capitalize(),
                code="chis_renewal_without_review",
                rules=checked.rules,
            )
        if kind is K.EQUIPMENT_INTERFERENCE:
            current = power_history(authorisation).current
            assert current is not None
            window = renewal_window(current, urgent=authorisation.urgent)
            today = london_day(now)
            if window is None or not window[0] <= today <= window[1]:
                first_day, last_day = window or (None, None)
                raise LawRefusal(
                    f"A warrant can be renewed only from {first_day:%d %B %Y} to "
                    f"{last_day:%d %B %Y}, the 30 days ending with its last day",
                    code="renewal_outside_window",
                    rules=["ipa-s117-renewal-window"],
                    extra={
                        "window_first_day": first_day.isoformat() if first_day else None,
                        "window_last_day": last_day.isoformat() if last_day else None,
                    },
                )
        facts = grant_facts(application, kind, acting_user, renewal, now, oral=False, urgent=False)
        facts["renewal_number"] = (
            CaseEvent.objects.filter(
                application=application, kind=kind.value, event_type=EventType.RENEWED
            ).count()
            + 1
        )
        document = add_document(
            application,
            document_type=DocumentType.RENEWAL,
            document_key=f"renewal-{kind.value}-{facts['renewal_number']}",
            content={**renewal, "renewal_number": facts["renewal_number"]},
            author=acting_user,
            now=now,
        )
        add_event(
            application,
            event_type=EventType.RENEWED,
            kind=kind.value,
            actor=acting_user,
            occurred_at=now,
            document=document,
            facts=facts,
        )
        (row,) = [r for r in project_application(application) if r.kind == kind.value]
        audit_step(
            AuditEventType.AUTHORISATION_RENEWED,
            application,
            acting_user=acting_user,
            document=document,
            authorisation_ids=[row.pk],
            kind=kind.value,
        )
    return row


def vary_authorisation(
    authorisation: Authorisation,
    *,
    acting_user: User,
    expected_version: int,
    variation: Mapping[str, Any],
    at: datetime | None = None,
) -> Authorisation:
    """Add subjects, premises, vehicles or other conduct items, signed off by an officer who
    may grant the power. ``variation`` contains ``add`` (conduct items), ``remove`` (conduct ids)
    and ``reasons``."""
    now = instant(at)
    _workflow(authorisation)
    additions = conduct_items({"conduct": variation.get("add") or []})
    removals = [value for value in variation.get("remove") or [] if isinstance(value, int)]
    errors: dict[str, str] = {}
    if not additions and not removals:
        errors["add"] = "Add at least one subject, place, vehicle or other item, or remove one"
    if not _text(variation.get("reasons")):
        errors["reasons"] = "Enter why the authorisation is being varied"
    for index, item in enumerate(additions):
        if item.get("category") != "time-window" and not _text(item.get("identifier")):
            errors[f"add.{index}.identifier"] = "Enter the reference, address, registration or name"
        if item.get("category") == ConductCategory.TACTIC:
            # A tactic added by variation needs what submission asks of every tactic.
            for key in TACTIC_TEXTS:
                if not _text(item.get(key)):
                    errors[f"add.{index}.{key}"] = TACTIC_TEXT_MESSAGES[key]
    if errors:
        raise ApplicationInvalid(errors)

    with transaction.atomic():
        application = authorisation.application
        assert application is not None
        lock_application(
            application, expected_version=expected_version, acting_user=acting_user, now=now
        )
        require_role(acting_user, AUTHORISING_ROLES, now, action="vary authorisations")
        authorisation.refresh_from_db()
        _require_live(authorisation, now, action="vary")
        kind = _workflow_kind(authorisation)
        # The officer signing off must be one who could grant the power.
        grant_facts(application, kind, acting_user, variation, now, oral=False, urgent=False)
        document = add_document(
            application,
            document_type=DocumentType.VARIATION,
            document_key=f"variation-{kind.value}-{now:%Y%m%d%H%M%S%f}",
            content=dict(variation),
            author=acting_user,
            now=now,
        )
        event = add_event(
            application,
            event_type=EventType.VARIED,
            kind=kind.value,
            actor=acting_user,
            occurred_at=now,
            document=document,
            facts={"added": len(additions), "removed": removals},
        )
        add_conduct([authorisation], [event], {"conduct": additions}, {})
        for conduct_row in authorisation.conduct.in_force().filter(pk__in=removals):
            # A withdrawal is the one change a conduct row takes; it names the variation.
            type(conduct_row).objects.filter(pk=conduct_row.pk).update(removed_by=event)
        audit_step(
            AuditEventType.AUTHORISATION_VARIED,
            application,
            acting_user=acting_user,
            document=document,
            authorisation_ids=[authorisation.pk],
            kind=kind.value,
        )
    return authorisation


def cancel_authorisation(
    authorisation: Authorisation,
    *,
    acting_user: User,
    expected_version: int,
    cancellation: Mapping[str, Any],
    at: datetime | None = None,
) -> Authorisation:
    """Cancel an authorisation as soon as it is no longer necessary (RIPA s.45).

    ``cancellation`` contains ``reasons``, ``outcome``, ``ceased_at`` (when activity was told to
    stop), ``product_owner_id`` (who handles the product), ``product_instructions``
    (retention, review and destruction) and ``equipment_to_recover`` (identifiers).
    """
    now = instant(at)
    _workflow(authorisation)
    errors: dict[str, str] = {}
    for key, message in (
        ("reasons", "Enter why the authorisation is no longer necessary or proportionate"),
        ("outcome", "Enter the value of the activity to the operation"),
        (
            "product_instructions",
            "Enter how the product is to be kept, reviewed and destroyed",
        ),
    ):
        if not _text(cancellation.get(key)):
            errors[key] = message
    if parse_instant(cancellation.get("ceased_at")) is None:
        errors["ceased_at"] = "Enter the date and time the activity was told to stop"
    if not isinstance(cancellation.get("product_owner_id"), int):
        errors["product_owner_id"] = "Select who is responsible for the product"
    if errors:
        raise ApplicationInvalid(errors)

    with transaction.atomic():
        application = authorisation.application
        assert application is not None
        lock_application(
            application, expected_version=expected_version, acting_user=acting_user, now=now
        )
        require_role(acting_user, AUTHORISING_ROLES, now, action="cancel authorisations")
        authorisation.refresh_from_db()
        if authorisation.cancelled_from is not None:
            raise WrongState("This authorisation has already been cancelled")
        kind = _workflow_kind(authorisation)
        equipment = cancellation.get("equipment_to_recover")
        if equipment is None:
            equipment = list(
                authorisation.conduct.in_force()
                .filter(category=ConductCategory.EQUIPMENT)
                .values_list("identifier", flat=True)
            )
        document = add_document(
            application,
            document_type=DocumentType.CANCELLATION,
            document_key=f"cancellation-{kind.value}",
            content={**cancellation, "equipment_to_recover": list(equipment)},
            author=acting_user,
            now=now,
        )
        add_event(
            application,
            event_type=EventType.CANCELLED,
            kind=kind.value,
            actor=acting_user,
            occurred_at=now,
            document=document,
            facts={
                "equipment_to_recover": list(equipment),
                "product_owner_id": cancellation["product_owner_id"],
            },
        )
        (row,) = [r for r in project_application(application) if r.kind == kind.value]
        audit_step(
            AuditEventType.AUTHORISATION_CANCELLED,
            application,
            acting_user=acting_user,
            document=document,
            authorisation_ids=[row.pk],
            kind=kind.value,
        )
    return row


# The investigating team recovers equipment, the technical unit keeps it, and the bureau and
# authorising officers may record what they are told.
RECOVERY_ROLES = frozenset(
    {
        Role.APPLICANT,
        Role.TECHNICAL_UNIT_MANAGER,
        Role.GATEKEEPER,
        Role.AUTHORISING_OFFICER,
        Role.SENIOR_AUTHORISING_OFFICER,
    }
)


def record_equipment_recovered(
    authorisation: Authorisation,
    *,
    acting_user: User,
    expected_version: int,
    equipment: str,
    at: datetime | None = None,
) -> CaseEvent:
    """Record that an item listed for recovery on cancellation or expiry has been recovered."""
    now = instant(at)
    _workflow(authorisation)
    require_role(acting_user, RECOVERY_ROLES, timezone.now(), action="record equipment recovered")
    with transaction.atomic():
        application = authorisation.application
        assert application is not None
        lock_application(
            application, expected_version=expected_version, acting_user=acting_user, now=now
        )
        outstanding = equipment_outstanding(authorisation, now)
        if equipment not in outstanding:
            raise ApplicationInvalid(
                {"equipment": "Select an item of equipment that is still to be recovered"}
            )
        event = add_event(
            application,
            event_type=EventType.EQUIPMENT_RECOVERED,
            kind=authorisation.kind or "",
            actor=acting_user,
            occurred_at=now,
            facts={"equipment": equipment},
        )
        audit_step(
            AuditEventType.AUTHORISATION_EQUIPMENT_RECOVERED,
            application,
            acting_user=acting_user,
            authorisation_ids=[authorisation.pk],
            kind=authorisation.kind,
        )
    return event


def equipment_outstanding(authorisation: Authorisation, now: datetime) -> list[str]:
    """Return the equipment still to be recovered from an authorisation that has ended.

    On cancellation the list is the cancellation's; on expiry without cancellation it is
    every item of equipment authorised. Recovered items are left out. An authorisation
    still live has none.
    """
    # An imported record has no application, so it has no case events.
    events = (
        CaseEvent.objects.filter(
            application_id=authorisation.application_id, kind=authorisation.kind
        )
        if authorisation.application_id is not None
        else CaseEvent.objects.none()
    )
    cancelled = events.filter(event_type=EventType.CANCELLED).first()
    if cancelled is not None:
        listed = list(cancelled.facts.get("equipment_to_recover", []))
    elif authorisation.expires_latest is not None and authorisation.expires_latest <= now:
        listed = list(
            authorisation.conduct.filter(category=ConductCategory.EQUIPMENT).values_list(
                "identifier", flat=True
            )
        )
    else:
        return []
    recovered = {
        event.facts.get("equipment")
        for event in events.filter(event_type=EventType.EQUIPMENT_RECOVERED)
    }
    return [item for item in listed if item not in recovered]


def _next_juvenile_review_due(authorisation: Authorisation, now: datetime) -> Any:
    current = power_history(authorisation).current
    if current is None or current.first_day is None or current.last_day is None:
        return None
    due_days = juvenile_review_due_days(current.first_day, current.last_day)
    today = london_day(now)
    later = [day for day in due_days if day > today]
    return later[0] if later else current.last_day
