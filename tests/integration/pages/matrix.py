"""Cases for the route access matrix: one application per test, at the stage a page needs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cpmp.access.roles import Rank, Role
from cpmp.authorities import actions
from cpmp.operations.models import OperationMembership
from tests.factories import make_user
from tests.lifecycle_factories import an_applicant_officer, an_authoriser, base_content, decision

# The id used when a signed-out request needs a URL: it names no application.
MISSING = 999_999
STAGES = ("draft", "submitted", "accepted", "granted")


def a_case_in(world: dict[str, Any], stage: str) -> int:
    """Create a directed surveillance application in the world's operation at ``stage``.

    When the persona is in the operation's team and holds the applicant role, they are the
    applicant, so the applicant's own pages are allowed to that persona only.
    """
    if "operation" not in world:
        return MISSING
    operation, user = world["operation"], world["user"]
    in_team = OperationMembership.objects.filter(operation=operation, user=user).exists()
    if in_team and Role.APPLICANT in user.active_roles(timezone.now()):
        applicant = user
    else:
        applicant = an_applicant_officer()
        OperationMembership.objects.create(operation=operation, user=applicant)
    at = timezone.now() - timedelta(hours=2)
    application = actions.create_application(
        acting_user=applicant,
        operation=operation,
        kinds=["directed-surveillance"],
        reference=f"PAGES-MATRIX/{operation.pk}/{stage}",
        content=base_content(),
        at=at,
    )
    if stage == "draft":
        return application.pk
    actions.submit_application(
        application, acting_user=applicant, expected_version=application.version, at=at
    )
    if stage == "submitted":
        return application.pk
    gatekeeper = make_user(Role.GATEKEEPER)
    actions.accept_application(
        application, acting_user=gatekeeper, expected_version=application.version, at=at
    )
    if stage == "accepted":
        return application.pk
    authoriser = an_authoriser(Rank.SUPERINTENDENT)
    OperationMembership.objects.create(operation=operation, user=authoriser)
    first_review = (timezone.localdate() + timedelta(days=7)).isoformat()
    actions.grant_application(
        application,
        acting_user=authoriser,
        expected_version=application.version,
        decision=decision(first_review),
        at=at,
    )
    return application.pk


def case_kwargs(stage: str, kind: str = "") -> Any:
    """Return the route's keyword-argument builder for a case at ``stage``."""

    def build(world: dict[str, Any]) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"application_id": a_case_in(world, stage)}
        if kind:
            kwargs["kind"] = kind
        return kwargs

    return build
