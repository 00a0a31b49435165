"""Builders for source, risk and deconfliction tests: the source unit, authorisations, risk.

A CHIS authorisation is built as register rows directly (an application, its granted power
and its conduct), so these tests do not depend on the lifecycle's content rules.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from cpmp.access.models import RoleAssignment, User
from cpmp.access.roles import Rank, Role
from cpmp.assets.models import Source
from cpmp.authorities.models import (
    Application,
    Authorisation,
    AuthorisedConduct,
    CaseEvent,
    Origin,
    RecordState,
)
from cpmp.operations.models import Operation, OperationMembership
from cpmp.risk import actions as risk_actions
from cpmp.risk.models import RiskAssessment
from tests.factories import make_user

_numbers = itertools.count(1)

OTHER_TEAM_NAMES = ("Op Nutmeg", "NOMINAL-NUTMEG-7", "Fictional-Wren")


def person(role: str, **fields: Any) -> User:
    return make_user(role, rank=fields.pop("rank", Rank.SERGEANT), **fields)


def an_operation(
    name: str | None = None, *, sio: User | None = None, members: tuple[User, ...] = ()
) -> Operation:
    operation = Operation.objects.create(
        name=name or f"Op Source Test {next(_numbers)}", senior_investigating_officer=sio
    )
    for member in members:
        OperationMembership.objects.create(operation=operation, user=member)
    return operation


class SourceUnit:
    """A source with its handler and controller, and the senior people who approve."""

    def __init__(self, operation: Operation | None = None) -> None:
        number = next(_numbers)
        self.handler = person(Role.HANDLER, first_name="Hana", last_name=f"Handler {number}")
        self.controller = person(
            Role.CONTROLLER,
            first_name="Colm",
            last_name=f"Controller {number}",
            rank=Rank.INSPECTOR,
        )
        self.second_controller = person(Role.CONTROLLER, rank=Rank.INSPECTOR)
        self.senior = person(Role.SENIOR_AUTHORISING_OFFICER, rank=Rank.CHIEF_SUPERINTENDENT)
        self.sro = person(Role.SENIOR_RESPONSIBLE_OFFICER, rank=Rank.COMMANDER)
        self.operation = operation or an_operation()
        # A controller of other sources in the same team, who may second-approve payments.
        OperationMembership.objects.create(operation=self.operation, user=self.second_controller)
        self.source = Source.objects.create(
            reference=f"CHIS/SRC/{number:04d}",
            pseudonym=f"Fictional-Heron-{number}",
            operation=self.operation,
            handler=self.handler,
            controller=self.controller,
            true_name="Test True Name",
        )


def live_chis(
    unit: SourceUnit,
    *,
    now: datetime | None = None,
    kind: str = "chis",
    conduct: tuple[tuple[str, str], ...] = (("tactic", "maintain-relationship"),),
    expires_in: timedelta = timedelta(days=300),
    state: str = RecordState.GRANTED,
) -> tuple[Authorisation, list[AuthorisedConduct]]:
    """Create a CHIS authorisation of ``unit.source`` that is live at ``now``, with conduct."""
    now = now or timezone.now()
    number = next(_numbers)
    officer = person(Role.AUTHORISING_OFFICER, rank=Rank.SUPERINTENDENT)
    application = Application.objects.create(
        reference=f"APP/SRC/{number:04d}",
        operation=unit.operation,
        applicant=unit.handler,
        kinds=[kind],
        state="granted",
        source=unit.source,
        updated_at=now,
        updated_by=officer,
    )
    granted_at = now - timedelta(days=10)
    authorisation = Authorisation.objects.create(
        origin=Origin.WORKFLOW,
        reference=f"CHIS/AUTH/{number:04d}",
        kind=kind,
        juvenile=kind == "juvenile-chis",
        operation=unit.operation.name,
        operation_ref=unit.operation,
        application=application,
        granted=granted_at.isoformat(),
        granted_from=granted_at,
        takes_effect=granted_at.isoformat(),
        takes_effect_from=granted_at,
        expires_at=now + expires_in,
        expires_earliest=now + expires_in,
        expires_latest=now + expires_in,
        state=state,
    )
    event = CaseEvent.objects.create(
        application=application,
        event_type="granted",
        kind=kind,
        actor=officer,
        occurred_at=granted_at,
        recorded_at=granted_at,
    )
    items = [
        AuthorisedConduct.objects.create(
            authorisation=authorisation, category=category, identifier=identifier, added_by=event
        )
        for category, identifier in conduct
    ]
    return authorisation, items


def version_content(**extra: Any) -> dict[str, Any]:
    content: dict[str, Any] = {
        "likelihood": 2,
        "impact": 2,
        "hazards": "Exposure to the subject's associates if meetings are seen.",
        "mitigations": "Meetings at varied venues; counter-surveillance on each meeting.",
        "review_on": (timezone.now() + timedelta(days=30)).date().isoformat(),
        "reason": "First assessment",
    }
    content.update(extra)
    return content


def assess(unit: SourceUnit, *, at: datetime | None = None, **extra: Any) -> RiskAssessment:
    """Create a current risk assessment of ``unit.source`` by its controller."""
    return risk_actions.create_assessment(
        acting_user=unit.controller,
        subject_type="source",
        source=unit.source,
        first_version=version_content(**extra),
        at=at,
    )


def add_role(user: User, role: str) -> None:
    RoleAssignment.objects.create(user=user, role=role)
