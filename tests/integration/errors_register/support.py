"""Personas and records for the relevant errors tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from cpmp.access.models import User
from cpmp.access.roles import Rank, Role
from cpmp.audit.actions import SystemActor
from cpmp.operations.models import Operation, OperationMembership
from cpmp.oversight.errors_register import actions
from cpmp.oversight.errors_register.models import ErrorCategory, RelevantError
from tests.factories import make_authorisation, make_user

RAISED_AT = datetime.fromisoformat("2026-03-30T09:00:00+01:00")
# Wednesday before Easter 2026: Good Friday is 3 April and Easter Monday 6 April.
EASTER_ESTABLISHED = date(2026, 4, 1)


def a_person(role: str | None) -> User:
    return make_user(role, rank=Rank.INSPECTOR)


def an_operation(name: str, *members: User) -> Operation:
    operation = Operation.objects.create(name=name)
    for member in members:
        OperationMembership.objects.create(operation=operation, user=member)
    return operation


def a_candidate(operation: Operation | None, **fields: Any) -> RelevantError:
    record = make_authorisation(
        operation=operation.name if operation else "", operation_ref=operation
    )
    values: dict[str, Any] = {
        "acting_user": SystemActor.COMMAND_LINE,
        "summary": "Surveillance continued after the authorisation expired.",
        "category": ErrorCategory.ACTIVITY_AFTER_END,
        "at": RAISED_AT,
        "authorisations": [record],
        "operation_id": operation.pk if operation else None,
    }
    values.update(fields)
    return actions.raise_candidate(**values)


def a_confirmed_error(
    operation: Operation | None, established_on: date = EASTER_ESTABLISHED
) -> RelevantError:
    gatekeeper = a_person(Role.GATEKEEPER)
    error = a_candidate(operation)
    return actions.confirm_error(
        error,
        acting_user=gatekeeper,
        established_on=established_on,
        owner=gatekeeper,
        now=datetime.fromisoformat("2026-04-02T10:00:00+01:00"),
        source="127.0.0.1",
    )
