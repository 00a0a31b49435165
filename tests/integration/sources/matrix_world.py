"""Records the route access matrix needs beyond its shared setup, built from that setup."""

from __future__ import annotations

from typing import Any

from cpmp.access.roles import Role
from cpmp.deconfliction.models import DeconflictionCase, Identifier
from cpmp.operations.models import Operation
from cpmp.risk.models import RiskAssessment, RiskAssessmentVersion
from tests.factories import make_user


class _Missing:
    """An id that names nothing, for the signed-out requests that get no shared setup."""

    pk = 999_999


def assessment(world: dict[str, Any]) -> Any:
    """A risk assessment of the world's source, made without the actions' access checks."""
    if "operation" not in world:
        return _Missing
    source = world["source"]
    author = make_user(Role.RISK_MANAGER)
    made = RiskAssessment.objects.create(
        subject_type="source",
        source=source,
        operation=source.operation,
        owner=author,
        created_at=source.created_at,
    )
    RiskAssessmentVersion.objects.create(
        assessment=made,
        number=1,
        likelihood=1,
        impact=1,
        score=1,
        band="low",
        hazards="None.",
        mitigations="None.",
        review_on=source.created_at.date(),
        reason="First assessment",
        author=author,
        created_at=source.created_at,
    )
    return made


def case(world: dict[str, Any]) -> Any:
    """A case between the world's operation and another operation."""
    if "operation" not in world:
        return _Missing
    ours = world["operation"]
    theirs = Operation.objects.create(name="Op Matrix Other")
    low, high = sorted((ours, theirs), key=lambda operation: operation.pk)
    identifiers = [
        Identifier.objects.create(
            operation=operation,
            category="vehicle",
            value="AB12CDE",
            normalised="ab12cde",
            added_at=ours.created_at,
        )
        for operation in (low, high)
    ]
    return DeconflictionCase.objects.create(
        category="vehicle",
        normalised="ab12cde",
        operation_a=low,
        operation_b=high,
        identifier_a=identifiers[0],
        identifier_b=identifiers[1],
        raised_at=ours.created_at,
    )


def payment(world: dict[str, Any]) -> Any:
    """A payment to the world's source awaiting approval, requested by another handler."""
    if "operation" not in world:
        return _Missing
    from cpmp.sources.models import Payment

    source = world["source"]
    return Payment.objects.create(
        source=source,
        kind="payment",
        amount="100.00",
        purpose="Travel.",
        approvals_required=1,
        senior_approval_required=False,
        high_risk_source=False,
        live_authorisation_at_request=False,
        requested_by=make_user(Role.HANDLER),
        requested_at=source.created_at,
    )
