"""Fixtures for lifecycle tests: an operation with its team and a draft application maker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cpmp.access.models import User
from cpmp.access.roles import Rank
from cpmp.authorities import actions
from cpmp.authorities.models import Application
from cpmp.operations.models import Operation
from tests.factories import a_gatekeeper
from tests.lifecycle_factories import an_applicant_officer, an_authoriser, an_operation


@pytest.fixture
def applicant(db: None) -> User:
    return an_applicant_officer()


@pytest.fixture
def gatekeeper(db: None) -> User:
    return a_gatekeeper()


@pytest.fixture
def operation(applicant: User) -> Operation:
    return an_operation(applicant)


@pytest.fixture
def superintendent(db: None) -> User:
    return an_authoriser(Rank.SUPERINTENDENT)


@pytest.fixture
def submitted(
    applicant: User, gatekeeper: User, operation: Operation
) -> Callable[..., Application]:
    """Return a maker of applications already accepted by the gatekeeper (version 3)."""
    numbers = iter(range(1, 10_000))

    def make(kinds: list[str], content: dict[str, Any], **extra: Any) -> Application:
        application = actions.create_application(
            acting_user=applicant,
            operation=operation,
            kinds=kinds,
            reference=f"TEST/{next(numbers):04d}",
            content=content,
            **extra,
        )
        actions.submit_application(application, acting_user=applicant, expected_version=1)
        actions.accept_application(application, acting_user=gatekeeper, expected_version=2)
        return application

    return make
