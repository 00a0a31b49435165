"""Personas, operations, sources and complete application content for lifecycle tests."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from cpmp.access.models import User
from cpmp.access.roles import Rank, Role
from cpmp.assets.models import Source
from cpmp.operations.models import Operation, OperationMembership
from tests.factories import make_user

_numbers = itertools.count(1)


def an_operation(*members: User) -> Operation:
    operation = Operation.objects.create(name=f"Op Lifecycle {next(_numbers)}")
    for member in members:
        OperationMembership.objects.create(operation=operation, user=member)
    return operation


def an_applicant_officer() -> User:
    return make_user(Role.APPLICANT, first_name="Amira", last_name="Applicant", rank=Rank.CONSTABLE)


def an_authoriser(rank: str = Rank.SUPERINTENDENT, *, senior: bool = False) -> User:
    role = Role.SENIOR_AUTHORISING_OFFICER if senior else Role.AUTHORISING_OFFICER
    return make_user(role, first_name="Olwen", last_name=f"Officer {rank}", rank=rank)


def a_source(operation: Operation) -> Source:
    number = next(_numbers)
    return Source.objects.create(
        reference=f"CHIS/TEST/{number:04d}",
        pseudonym=f"Kestrel {number}",
        operation=operation,
        true_name="Test Person",
    )


def tactic(code: str, text: str = "") -> dict[str, Any]:
    """A tactic with its own necessity, proportionality and collateral-intrusion text."""
    suffix = text or code
    return {
        "category": "tactic",
        "identifier": code,
        "description": f"Use {code} against the subject at the named places.",
        "necessity": f"{suffix}: the subject's meetings cannot be evidenced by any other means.",
        "proportionality": (
            f"{suffix}: limited to the hours of the meetings, at the two addresses only, with "
            "the least intrusive equipment that will show who attends."
        ),
        "collateral_intrusion": (
            f"{suffix}: neighbours and visitors may be seen; no family home is covered."
        ),
        "collateral_minimisation": "Footage of others is not retained beyond 31 days.",
    }


def base_content(**extra: Any) -> dict[str, Any]:
    """Content complete for directed surveillance; ``extra`` adds or replaces keys."""
    content: dict[str, Any] = {
        "purpose": "To identify the supplier of controlled drugs to the subject.",
        "grounds": ["preventing-or-detecting-crime"],
        "necessity": "Intelligence shows weekly supply meetings that only observation can prove.",
        "proportionality": "Observation is limited to the meetings and the named places.",
        "collateral_intrusion": "Members of the public in the car park may be seen.",
        "collateral_minimisation": "Observation is directed at the subject only.",
        "intelligence_references": ["INT/2026/0042"],
        "information_sought": "Who the subject meets and when.",
        "confidential_material": {
            "likelihood": "unlikely",
            "types": [],
            "explanation": (
                "The places are a car park and a café; no lawyer or journalist is known."
            ),
        },
        "conduct": [
            {"category": "subject", "identifier": "NOMINAL-001", "description": "Subject A"},
            {"category": "vehicle", "identifier": "AB12 CDE", "description": "Blue saloon"},
            tactic("static-observation"),
        ],
    }
    content.update(extra)
    return content


def chis_content(handler: User, controller: User, **extra: Any) -> dict[str, Any]:
    content = base_content(
        chis={
            "tasking_purpose": "To report on the supply network.",
            "proposed_conduct": "Maintain the existing relationship with the subject.",
            "handler_id": handler.pk,
            "controller_id": controller.pk,
            "records_officer_id": controller.pk,
            "risk_assessment_reference": "RA/2026/0007",
            "community_sensitivities": "None known.",
            "conflicting_operations": "None known after deconfliction.",
        }
    )
    content.update(extra)
    return content


def decision(first_review_on: str, **extra: Any) -> dict[str, Any]:
    """An authorising officer's complete decision; ``extra`` adds or replaces keys."""
    values: dict[str, Any] = {
        "statement": (
            "I authorise static observation of NOMINAL-001 and vehicle AB12 CDE at the car park "
            "on Mondays between 18:00 and 22:00."
        ),
        "necessity": "Without observation the supply meetings cannot be evidenced.",
        "proportionality": "Limited to four hours a week at one public place.",
        "first_review_on": first_review_on,
    }
    values.update(extra)
    return values


def at(text: str) -> datetime:
    """Parse an ISO instant with its offset, for readable test data."""
    return datetime.fromisoformat(text)
