"""Personas, operations and sources for the access tests.

Every persona is made fresh per test through ``tests.factories.make_user``, so one with a
role that needs a second factor also gets an authenticator that ``SignedInClient`` uses.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from cpmp.access.models import RoleAssignment, User
from cpmp.access.roles import Rank, Role
from cpmp.authorities.models import Authorisation
from cpmp.operations.models import Operation, OperationMembership
from tests.factories import make_authorisation, make_user

_numbers = itertools.count(1)

# Names that must never reach a log line; the log test searches for each.
SOURCE_PSEUDONYM = "Fictional-Kestrel"
TRUE_NAME = "Jane Fictional-Doe"
TRUE_ADDRESS = "1 Imaginary Close, Nowhere"
TRUE_DATE_OF_BIRTH = date(1990, 2, 14)
OUR_OPERATION = "Op Gingerbread"
OTHER_OPERATION = "Op Nutmeg"


def make_operation(name: str, *, members: tuple[User, ...] = ()) -> Operation:
    operation = Operation.objects.create(name=name)
    for member in members:
        OperationMembership.objects.create(operation=operation, user=member)
    return operation


def make_record(operation: Operation | None, **fields: Any) -> Authorisation:
    """Create an authorisation in ``operation``'s compartment, or in none."""
    return make_authorisation(
        operation=operation.name if operation else "", operation_ref=operation, **fields
    )


def make_source(operation: Operation, **fields: Any) -> Any:
    """Create a recruited source in ``operation`` with a fictional true identity."""
    from cpmp.assets.models import Source, SourceStatus

    number = next(_numbers)
    values: dict[str, Any] = {
        "reference": f"CHIS/TEST/{number:04d}",
        "pseudonym": SOURCE_PSEUDONYM,
        "status": SourceStatus.RECRUITED,
        "operation": operation,
        "true_name": TRUE_NAME,
        "true_date_of_birth": TRUE_DATE_OF_BIRTH,
        "true_address": TRUE_ADDRESS,
    }
    values.update(fields)
    return Source.objects.create(**values)


def person(role: str | None, *, lapsed: bool = False) -> User:
    expires_at = timezone.now() - timedelta(days=1) if lapsed else None
    return make_user(role, rank=Rank.INSPECTOR, expires_at=expires_at)


def add_role(user: User, role: str) -> None:
    RoleAssignment.objects.create(user=user, role=role)


@dataclass(frozen=True)
class Persona:
    """A named persona: how to make the person, and whether they are in the operation's team."""

    make: Callable[[], User]
    member: bool = False


# The personas of the access matrix. "member" holds a plain role and is in the operation's
# team; every other persona is outside it, so sees it only through an oversee-all role or the
# source unit.
PERSONAS: dict[str, Persona] = {
    "applicant": Persona(lambda: person(Role.APPLICANT)),
    "gatekeeper": Persona(lambda: person(Role.GATEKEEPER)),
    "authorising officer": Persona(lambda: person(Role.AUTHORISING_OFFICER)),
    "senior authorising officer": Persona(lambda: person(Role.SENIOR_AUTHORISING_OFFICER)),
    "senior responsible officer": Persona(lambda: person(Role.SENIOR_RESPONSIBLE_OFFICER)),
    "handler": Persona(lambda: person(Role.HANDLER)),
    "controller": Persona(lambda: person(Role.CONTROLLER)),
    "source registrar": Persona(lambda: person(Role.SOURCE_REGISTRAR)),
    "undercover unit manager": Persona(lambda: person(Role.UNDERCOVER_UNIT_MANAGER)),
    "inspector": Persona(lambda: person(Role.INSPECTOR)),
    "lapsed inspector": Persona(lambda: person(Role.INSPECTOR, lapsed=True)),
    "auditor": Persona(lambda: person(Role.AUDITOR)),
    "administrator": Persona(lambda: person(Role.ADMINISTRATOR)),
    "member": Persona(lambda: person(Role.APPLICANT), member=True),
    "non-member": Persona(lambda: person(Role.APPLICANT)),
}

OVERSEE_ALL = frozenset(
    {
        "gatekeeper",
        "senior authorising officer",
        "senior responsible officer",
        "inspector",
        "auditor",
    }
)
