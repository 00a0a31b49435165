"""Changes to the deconfliction index and its cases, each with its audit event.

Audit payloads carry ids and categories only, never an identifier's value.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.dispatch import Signal
from django.utils import timezone

from cpmp.access.models import User
from cpmp.access.roles import Role
from cpmp.audit.actions import SystemActor, append_event
from cpmp.audit.context import current_source
from cpmp.audit.events import EventType
from cpmp.authorities.models import AuthorisedConduct
from cpmp.errors import Forbidden, InvalidRequest

from .access import can_add_identifier, is_deconfliction_officer
from .models import CaseOutcome, CaseState, DeconflictionCase, Identifier, IdentifierCategory
from .normalise import normalise

# The audit source when no front door has named one (a direct call, as in tests).
AUDIT_SOURCE = "deconfliction"

# Sent after commit with ``case_id`` and ``recipient_ids`` (the deconfliction officer and
# both senior investigating officers). A receiver must not add either operation's details
# to what it sends, because each recipient may see only their own side.
case_raised = Signal()

# The conduct categories the index takes, and the identifier category each becomes.
CONDUCT_CATEGORIES = {
    "subject": IdentifierCategory.SUBJECT,
    "premises": IdentifierCategory.ADDRESS,
    "vehicle": IdentifierCategory.VEHICLE,
    "online-account": IdentifierCategory.ONLINE_IDENTITY,
}


def _instant(at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValueError(f"instant {at.isoformat()} has no time zone: give an aware datetime")
    return at


def _audit(
    event_type: EventType, actor: Any, object_type: str, object_id: int, payload: dict[str, Any]
) -> None:
    source, request_id = current_source(AUDIT_SOURCE)
    append_event(
        event_type,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        payload=payload,
        source=source,
        request_id=request_id,
    )


def _send_case_raised(case_id: int, recipient_ids: list[int]) -> None:
    case_raised.send(sender=None, case_id=case_id, recipient_ids=recipient_ids)


def _officer_for_new_case(now: datetime) -> User | None:
    """Return the active deconfliction officer with the fewest open cases, or None."""
    live_role = Q(role_assignments__role=Role.DECONFLICTION_OFFICER) & (
        Q(role_assignments__expires_at__isnull=True) | Q(role_assignments__expires_at__gt=now)
    )
    return (
        User.objects.filter(live_role, is_active=True)
        .annotate(
            open_cases=Count(
                "deconfliction_cases",
                filter=Q(deconfliction_cases__state=CaseState.OPEN),
                distinct=True,
            )
        )
        .order_by("open_cases", "pk")
        .first()
    )


def _match(identifier: Identifier, *, actor: Any, now: datetime) -> list[DeconflictionCase]:
    """Raise a case for each other operation with an active identifier that matches."""
    others = (
        Identifier.objects.filter(
            category=identifier.category, normalised=identifier.normalised, active=True
        )
        .exclude(operation=identifier.operation_id)
        .order_by("pk")
    )
    raised = []
    for other in others:
        low, high = sorted((identifier, other), key=lambda item: item.operation_id)
        exists = DeconflictionCase.objects.filter(
            operation_a_id=low.operation_id,
            operation_b_id=high.operation_id,
            category=identifier.category,
            normalised=identifier.normalised,
        ).exists()
        if exists:
            continue
        officer = _officer_for_new_case(now)
        try:
            with transaction.atomic():
                case = DeconflictionCase.objects.create(
                    category=identifier.category,
                    normalised=identifier.normalised,
                    operation_a_id=low.operation_id,
                    operation_b_id=high.operation_id,
                    identifier_a=low,
                    identifier_b=high,
                    officer=officer,
                    raised_at=now,
                )
        except IntegrityError:
            # Raised by a concurrent run for the same pair and identifier.
            continue
        _audit(
            EventType.DECONFLICTION_CASE_RAISED,
            actor,
            "deconfliction_case",
            case.pk,
            {
                "category": case.category,
                "operation_ids": [case.operation_a_id, case.operation_b_id],
                "identifier_ids": [case.identifier_a_id, case.identifier_b_id],
                "officer_id": case.officer_id,
            },
        )
        recipients = sorted(
            {
                user_id
                for user_id in (
                    case.officer_id,
                    case.operation_a.senior_investigating_officer_id,
                    case.operation_b.senior_investigating_officer_id,
                )
                if user_id is not None
            }
        )
        transaction.on_commit(partial(_send_case_raised, case.pk, recipients))
        raised.append(case)
    return raised


def _store(
    *,
    operation_id: int,
    category: str,
    value: str,
    actor: Any,
    now: datetime,
    conduct: AuthorisedConduct | None = None,
) -> tuple[Identifier, list[DeconflictionCase]]:
    identifier = Identifier.objects.create(
        operation_id=operation_id,
        category=category,
        value=value.strip(),
        normalised=normalise(category, value),
        conduct=conduct,
        added_by=actor if isinstance(actor, User) else None,
        added_at=now,
    )
    _audit(
        EventType.DECONFLICTION_IDENTIFIER_INDEXED,
        actor,
        "deconfliction_identifier",
        identifier.pk,
        {
            "operation_id": operation_id,
            "category": category,
            "conduct_id": conduct.pk if conduct else None,
        },
    )
    return identifier, _match(identifier, actor=actor, now=now)


def add_identifier(
    *, acting_user: Any, operation: Any, category: str, value: str, at: datetime | None = None
) -> tuple[Identifier, list[DeconflictionCase]]:
    """Add an identifier for ``operation`` and raise a case for each match in another operation.

    Returns the identifier and the cases raised. The person acting must be in the team.
    """
    now = _instant(at)
    if not can_add_identifier(acting_user, operation, now):
        raise Forbidden("Only the operation's team may add identifiers to it.")
    errors: dict[str, str] = {}
    if category not in IdentifierCategory.values:
        errors["category"] = "Choose the kind of identifier"
    elif not normalise(category, value):
        errors["value"] = "Enter the identifier"
    if errors:
        raise InvalidRequest(
            "There is a problem with this identifier: correct it and try again",
            fields={"errors": errors},
            code="identifier_invalid",
        )
    with transaction.atomic():
        return _store(
            operation_id=operation.pk, category=category, value=value, actor=acting_user, now=now
        )


def index_authorised_conduct(
    *, acting_user: Any = SystemActor.SYSTEM, at: datetime | None = None
) -> dict[str, int]:
    """Bring the index up to date with every authorisation's conduct, and match what is new.

    Adds an identifier for each in-force subject, premises, vehicle and online-account item of
    an authorisation in an operation, and deactivates those whose item a variation withdrew.
    Returns counts: ``added``, ``deactivated`` and ``cases_raised``.
    """
    now = _instant(at)
    counts = {"added": 0, "deactivated": 0, "cases_raised": 0}
    with transaction.atomic():
        withdrawn = Identifier.objects.filter(
            active=True, conduct__isnull=False, conduct__removed_by__isnull=False
        )
        for identifier in withdrawn.select_for_update():
            identifier.active = False
            identifier.save(update_fields=["active"])
            _audit(
                EventType.DECONFLICTION_IDENTIFIER_DEACTIVATED,
                acting_user,
                "deconfliction_identifier",
                identifier.pk,
                {"operation_id": identifier.operation_id, "conduct_id": identifier.conduct_id},
            )
            counts["deactivated"] += 1
        new_items = (
            AuthorisedConduct.objects.in_force()
            .filter(
                category__in=CONDUCT_CATEGORIES,
                authorisation__operation_ref__isnull=False,
                deconfliction_identifier__isnull=True,
            )
            .select_related("authorisation")
            .order_by("pk")
        )
        for item in new_items:
            category = CONDUCT_CATEGORIES[item.category]
            if not normalise(category, item.identifier):
                continue
            _, cases = _store(
                operation_id=item.authorisation.operation_ref_id,  # type: ignore[arg-type]
                category=category,
                value=item.identifier,
                actor=acting_user,
                now=now,
                conduct=item,
            )
            counts["added"] += 1
            counts["cases_raised"] += len(cases)
    return counts


def resolve_case(
    case: DeconflictionCase,
    *,
    acting_user: Any,
    outcome: str,
    notes: str,
    at: datetime | None = None,
) -> DeconflictionCase:
    """Resolve an open case with its outcome. Only a deconfliction officer may."""
    now = _instant(at)
    if not is_deconfliction_officer(acting_user, now):
        raise Forbidden("Only a deconfliction officer may resolve a deconfliction case.")
    errors: dict[str, str] = {}
    if outcome not in CaseOutcome.values:
        errors["outcome"] = "Choose the outcome"
    if not notes.strip():
        errors["notes"] = "Enter what was agreed and with whom"
    if errors:
        raise InvalidRequest(
            "There is a problem with this resolution: correct it and try again",
            fields={"errors": errors},
            code="resolution_invalid",
        )
    with transaction.atomic():
        case = DeconflictionCase.objects.select_for_update().get(pk=case.pk)
        if case.state != CaseState.OPEN:
            raise InvalidRequest("This case is already resolved.", code="case_resolved")
        case.state = CaseState.RESOLVED
        case.outcome = outcome
        case.outcome_notes = notes.strip()
        case.resolved_by = acting_user
        case.resolved_at = now
        case.save(update_fields=["state", "outcome", "outcome_notes", "resolved_by", "resolved_at"])
        _audit(
            EventType.DECONFLICTION_CASE_RESOLVED,
            acting_user,
            "deconfliction_case",
            case.pk,
            {"outcome": outcome},
        )
    return case
