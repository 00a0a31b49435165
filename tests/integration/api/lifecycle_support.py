"""Helpers for the lifecycle API tests: JSON requests and a team with every role it needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cpmp.access.models import User
from cpmp.access.roles import Rank
from cpmp.operations.models import Operation, OperationMembership
from tests.factories import a_gatekeeper
from tests.lifecycle_factories import an_applicant_officer, an_authoriser, an_operation

from .conftest import ApiClient


def call(user: User, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """Send one JSON request to ``/api{path}`` as ``user`` and return the response."""
    client = ApiClient().as_user(user)
    sender = getattr(client, method)
    if body is None:
        return sender(f"/api{path}")
    return sender(f"/api{path}", body, content_type="application/json")


@dataclass
class Team:
    applicant: User
    gatekeeper: User
    operation: Operation

    def officer(self, rank: str = Rank.SUPERINTENDENT, *, senior: bool = False) -> User:
        """Make an authorising officer and add them to the operation's team."""
        officer = an_authoriser(rank, senior=senior)
        OperationMembership.objects.create(operation=self.operation, user=officer)
        return officer


def a_team() -> Team:
    applicant = an_applicant_officer()
    return Team(applicant, a_gatekeeper(), an_operation(applicant))


def an_application_in(operation: Operation) -> int:
    """Create a draft application in ``operation`` and return its id, for the route matrix."""
    from cpmp.authorities import actions

    applicant = an_applicant_officer()
    OperationMembership.objects.create(operation=operation, user=applicant)
    application = actions.create_application(
        acting_user=applicant,
        operation=operation,
        kinds=["directed-surveillance"],
        reference=f"MATRIX/{operation.pk}",
    )
    return application.pk


def applied(
    team: Team, kinds: list[str], content: dict[str, Any], *, at: str | None = None, **extra: Any
) -> int:
    """Create, submit and accept an application through the API, each step ``at`` when given.

    Returns the application's id; its version is then 3.
    """
    when = {"at": at} if at else {}
    created = call(
        team.applicant,
        "post",
        "/applications",
        {
            "operation_id": team.operation.pk,
            "kinds": kinds,
            "reference": f"API/{team.operation.pk}/{'+'.join(kinds)}",
            "content": content,
            **extra,
            **when,
        },
    )
    assert created.status_code == 201, created.json()
    application_id = created.json()["application"]["id"]
    submitted = call(
        team.applicant,
        "post",
        f"/applications/{application_id}/submit",
        {"expected_version": 1, **when},
    )
    assert submitted.status_code == 200, submitted.json()
    accepted = call(
        team.gatekeeper,
        "post",
        f"/applications/{application_id}/accept",
        {"expected_version": 2, **when},
    )
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["application"]["state"] == "with-authorising-officer"
    return int(application_id)
