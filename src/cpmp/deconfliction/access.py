"""Who sees what of a deconfliction case.

The deconfliction officer and the roles that oversee every operation see both sides in
full. Each operation's team (members and senior investigating officer) sees its side only:
that a match exists, the category of identifier, the state and outcome, and how to contact
the deconfliction officer. Nothing of the other operation reaches them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cpmp.access.compartments import (
    compartment_ids,
    may_see_operational_content,
    oversees_all_operations,
)
from cpmp.access.roles import Role

from .models import DeconflictionCase

FULL = "full"
SIDE_A = "a"
SIDE_B = "b"


def is_deconfliction_officer(user: Any, now: datetime) -> bool:
    if not may_see_operational_content(user, now):
        return False
    return Role.DECONFLICTION_OFFICER in user.active_roles(now)


def sees_every_case(user: Any, now: datetime) -> bool:
    return is_deconfliction_officer(user, now) or oversees_all_operations(user, now)


def visible_cases(user: Any, now: datetime) -> QuerySet[DeconflictionCase]:
    """Return the cases ``user`` may see at ``now``, on either side or in full."""
    if sees_every_case(user, now):
        return DeconflictionCase.objects.all()
    if not may_see_operational_content(user, now):
        return DeconflictionCase.objects.none()
    teams = compartment_ids(user)
    return DeconflictionCase.objects.filter(Q(operation_a__in=teams) | Q(operation_b__in=teams))


def can_open_case_list(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may open the list: someone who sees every case or is in a team."""
    if sees_every_case(user, now):
        return True
    if not may_see_operational_content(user, now):
        return False
    return compartment_ids(user).exists()


def view_of(user: Any, case: DeconflictionCase, now: datetime) -> str:
    """Return ``FULL``, ``SIDE_A`` or ``SIDE_B``: what ``user`` may see of a visible case.

    Someone in both teams already sees both operations, so sees the case in full.
    """
    if sees_every_case(user, now):
        return FULL
    teams = set(compartment_ids(user).values_list("pk", flat=True))
    in_a = case.operation_a_id in teams
    in_b = case.operation_b_id in teams
    if in_a and in_b:
        return FULL
    return SIDE_A if in_a else SIDE_B


def access_case(user: Any, case_id: int, now: datetime) -> tuple[DeconflictionCase, str]:
    """Return the case and the view ``user`` has of it; raise ``Http404`` if hidden or missing."""
    try:
        case = visible_cases(user, now).select_related("officer").get(pk=case_id)
    except DeconflictionCase.DoesNotExist as error:
        raise Http404("No deconfliction case found") from error
    return case, view_of(user, case, now)


def can_add_identifier(user: Any, operation: Any, now: datetime) -> bool:
    """Decide whether ``user`` may add an identifier to ``operation``: its team only."""
    if not may_see_operational_content(user, now):
        return False
    return compartment_ids(user).filter(pk=operation.pk).exists()


def case_view(case: DeconflictionCase, view: str) -> dict[str, Any]:
    """Return what one viewer may see of ``case``, as plain values for a page or the API.

    A side's view is built from scratch rather than by removing keys from the full one, so
    a field added to the full view never reaches a side by accident.
    """
    officer = case.officer
    contact = {
        "name": officer.get_full_name() if officer else "",
        "email": officer.email if officer else "",
    }
    common: dict[str, Any] = {
        "id": case.pk,
        "category": case.category,
        "category_label": case.get_category_display(),
        "state": case.state,
        "outcome": case.outcome,
        "outcome_label": case.get_outcome_display() if case.outcome else "",
        "raised_at": case.raised_at.isoformat(),
        "resolved_at": case.resolved_at.isoformat() if case.resolved_at else None,
        "deconfliction_officer": contact,
        "view": view,
    }
    if view != FULL:
        return common
    return {
        **common,
        "identifier_value": case.normalised,
        "operations": [
            {
                "id": operation.pk,
                "name": operation.name,
                "identifier": identifier.value,
                "senior_investigating_officer_id": operation.senior_investigating_officer_id,
            }
            for operation, identifier in (
                (case.operation_a, case.identifier_a),
                (case.operation_b, case.identifier_b),
            )
        ],
        "outcome_notes": case.outcome_notes,
        "resolved_by_id": case.resolved_by_id,
    }
