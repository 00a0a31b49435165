"""Fixtures for deployment tests: a team, live directed surveillance and property
interference authorisations made with the lifecycle actions, and booked equipment."""

from __future__ import annotations

from typing import Any

import pytest

from cpmp.access.models import RoleAssignment, User
from cpmp.access.roles import Rank, Role
from cpmp.assets.actions import register_asset
from cpmp.authorities import actions
from cpmp.authorities.models import Authorisation
from cpmp.operations.models import Operation
from tests.factories import a_gatekeeper, make_user
from tests.lifecycle_factories import (
    an_applicant_officer,
    an_authoriser,
    an_operation,
    at,
    base_content,
    decision,
    tactic,
)

GRANTED_AT = "2026-02-01T10:00:00+00:00"


@pytest.fixture
def officer(db: None) -> User:
    """An investigator in the team who also manages the technical unit."""
    user = an_applicant_officer()
    RoleAssignment.objects.create(user=user, role=Role.TECHNICAL_UNIT_MANAGER)
    return user


@pytest.fixture
def operation(officer: User) -> Operation:
    return an_operation(officer)


@pytest.fixture
def grant(officer: User, operation: Operation) -> Any:
    """Return a maker of granted authorisations for ``operation``, one per power."""
    gatekeeper = a_gatekeeper()
    numbers = iter(range(1, 1000))

    def make(
        kinds: list[str],
        conduct: list[dict[str, Any]],
        authoriser: User | None = None,
        **extra: Any,
    ) -> list[Authorisation]:
        content = base_content(conduct=conduct, **extra)
        application = actions.create_application(
            acting_user=officer,
            operation=operation,
            kinds=kinds,
            reference=f"DEPLOY/{operation.pk}/{next(numbers):03d}",
            content=content,
        )
        actions.submit_application(application, acting_user=officer, expected_version=1)
        actions.accept_application(application, acting_user=gatekeeper, expected_version=2)
        return actions.grant_application(
            application,
            acting_user=authoriser or an_authoriser(Rank.SUPERINTENDENT),
            expected_version=3,
            decision=decision("2026-02-20"),
            at=at(GRANTED_AT),
        )

    return make


TRACKER_CONDUCT = [
    {"category": "subject", "identifier": "NOMINAL-001", "description": "Subject A"},
    {"category": "vehicle", "identifier": "AB12 CDE", "description": "Blue saloon"},
    {"category": "equipment", "identifier": "TECH/0001", "description": "Tracker"},
    tactic("static-observation"),
]


@pytest.fixture
def tracker(db: None) -> Any:
    manager = make_user(Role.TECHNICAL_UNIT_MANAGER)
    return register_asset(
        acting_user=manager,
        kind="equipment",
        reference="TECH/0001",
        description="GPS tracker",
        details={"equipment_type": "GPS tracker", "serial_number": "SN-77", "location": "Store A"},
    )
