"""``/api/authorisations/{id}/…`` and ``/api/external-authorities``: steps after a grant.

Reviews, renewals, variations, cancellations and equipment recovered act on one power (one
workflow ``Authorisation``), and each calls the one action the page calls. The version
checked is still the application's: ``expected_version`` is the ``version`` of the
application the authorisation belongs to, as ``GET /api/applications/{id}`` returns it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from pydantic import AwareDatetime

from cpmp.access.compartments import visible_operations
from cpmp.access.models import User
from cpmp.authorities import actions
from cpmp.authorities.models import Application, Authorisation
from cpmp.errors import InvalidRequest

from .auth import authenticated_user
from .errors import error_responses
from .lifecycle_shared import (
    StepIn,
    StepOut,
    access_workflow_authorisation,
    checked_instant,
    instant_text,
    requires_visible_authorisation,
    sees_operational_content,
    step_json,
    visible_applications,
)
from .permissions import requires

router = Router(tags=["applications"])

WRITE_ERRORS = error_responses(403, 404, 409)


def _authorisation(request: HttpRequest, authorisation_id: int) -> tuple[User, Authorisation]:
    user = authenticated_user(request)
    return user, access_workflow_authorisation(user, authorisation_id, timezone.now())


def _result(
    row: Authorisation, *, document_id: int | None = None, event_id: int | None = None
) -> dict[str, Any]:
    application = row.application
    if application is None:
        # The actions refuse imported rows with WrongState before this is reached.
        raise TypeError("a lifecycle step returned an authorisation with no application")
    return step_json(application, timezone.now(), document_id=document_id, event_id=event_id)


class ReviewIn(StepIn):
    review: dict[str, Any] = Field(
        description="'changes' (contacts, product, risk, collateral_intrusion), 'continue', "
        "'reasoning', 'next_review_on' and, for a CHIS, 'use_of_source', 'tasks_given' and "
        "'information_obtained'."
    )


@router.post(
    "/authorisations/{authorisation_id}/reviews",
    response={200: StepOut, **WRITE_ERRORS},
    url_name="authorisation-review",
    operation_id="record_review",
    summary="Record a review of an authorisation",
    auth=requires_visible_authorisation(sees_operational_content),
)
def record_review(request: HttpRequest, authorisation_id: int, body: ReviewIn) -> dict[str, Any]:
    user, row = _authorisation(request, authorisation_id)
    document = actions.record_review(
        row,
        acting_user=user,
        expected_version=body.expected_version,
        review=body.review,
        at=checked_instant(body.at, timezone.now()),
    )
    return _result(row, document_id=document.pk)


class RenewalIn(StepIn):
    renewal: dict[str, Any] = Field(
        description="'changes', 'necessity', 'proportionality', 'value_so_far' and "
        "'first_review_on'."
    )


@router.post(
    "/authorisations/{authorisation_id}/renewals",
    response={200: StepOut, **WRITE_ERRORS},
    url_name="authorisation-renew",
    operation_id="renew_authorisation",
    summary="Renew an authorisation before it ends",
    auth=requires_visible_authorisation(sees_operational_content),
)
def renew_authorisation(
    request: HttpRequest, authorisation_id: int, body: RenewalIn
) -> dict[str, Any]:
    user, row = _authorisation(request, authorisation_id)
    renewed = actions.renew_authorisation(
        row,
        acting_user=user,
        expected_version=body.expected_version,
        renewal=body.renewal,
        at=checked_instant(body.at, timezone.now()),
    )
    return _result(renewed)


class VariationIn(StepIn):
    variation: dict[str, Any] = Field(
        description="'add' (conduct items), 'remove' (conduct ids) and 'reasons'."
    )


@router.post(
    "/authorisations/{authorisation_id}/variations",
    response={200: StepOut, **WRITE_ERRORS},
    url_name="authorisation-vary",
    operation_id="vary_authorisation",
    summary="Add or withdraw what an authorisation covers",
    auth=requires_visible_authorisation(sees_operational_content),
)
def vary_authorisation(
    request: HttpRequest, authorisation_id: int, body: VariationIn
) -> dict[str, Any]:
    user, row = _authorisation(request, authorisation_id)
    varied = actions.vary_authorisation(
        row,
        acting_user=user,
        expected_version=body.expected_version,
        variation=body.variation,
        at=checked_instant(body.at, timezone.now()),
    )
    return _result(varied)


class CancellationIn(StepIn):
    cancellation: dict[str, Any] = Field(
        description="'reasons', 'outcome', 'ceased_at', 'product_owner_id', "
        "'product_instructions' and optionally 'equipment_to_recover'."
    )


@router.post(
    "/authorisations/{authorisation_id}/cancellation",
    response={200: StepOut, **WRITE_ERRORS},
    url_name="authorisation-cancel",
    operation_id="cancel_authorisation",
    summary="Cancel an authorisation",
    auth=requires_visible_authorisation(sees_operational_content),
)
def cancel_authorisation(
    request: HttpRequest, authorisation_id: int, body: CancellationIn
) -> dict[str, Any]:
    user, row = _authorisation(request, authorisation_id)
    owner_id = body.cancellation.get("product_owner_id")
    if isinstance(owner_id, int) and not User.objects.filter(pk=owner_id, is_active=True).exists():
        raise InvalidRequest(
            "The request has invalid values: cancellation.product_owner_id. No active person "
            "has this id.",
            fields={"cancellation.product_owner_id": "No active person has this id."},
        )
    cancelled = actions.cancel_authorisation(
        row,
        acting_user=user,
        expected_version=body.expected_version,
        cancellation=body.cancellation,
        at=checked_instant(body.at, timezone.now()),
    )
    return _result(cancelled)


class EquipmentIn(StepIn):
    equipment: str = Field(description="The identifier of the item recovered.")


@router.post(
    "/authorisations/{authorisation_id}/equipment-recovered",
    response={200: StepOut, **WRITE_ERRORS},
    url_name="authorisation-equipment-recovered",
    operation_id="record_equipment_recovered",
    summary="Record an item of equipment as recovered",
    auth=requires_visible_authorisation(sees_operational_content),
)
def record_equipment_recovered(
    request: HttpRequest, authorisation_id: int, body: EquipmentIn
) -> dict[str, Any]:
    user, row = _authorisation(request, authorisation_id)
    event = actions.record_equipment_recovered(
        row,
        acting_user=user,
        expected_version=body.expected_version,
        equipment=body.equipment,
        at=checked_instant(body.at, timezone.now()),
    )
    return _result(row, event_id=event.pk)


class ExternalAuthorityIn(Schema):
    operation_id: int
    authority_type: str = Field(description="'prison-rule-35a' or 'opt-agreed'.")
    details: dict[str, Any] = Field(
        description="'granted_by', 'organisation', 'external_reference', 'description', "
        "'starts_on', 'ends_on', 'review_on' and optionally 'exceptional_retention_until' with "
        "'exceptional_retention_reasons'."
    )
    application_id: int | None = None
    at: AwareDatetime | None = None


class ExternalAuthorityOut(Schema):
    id: int
    authority_type: str
    operation_id: int
    application_id: int | None
    starts_on: str
    ends_on: str
    review_on: str
    retention_until: str
    recorded_by_id: int
    recorded_at: str | None


@router.post(
    "/external-authorities",
    response={201: ExternalAuthorityOut, **error_responses(403)},
    url_name="external-authority-create",
    operation_id="record_external_authority",
    summary="Record an authority granted outside the force",
    auth=requires(sees_operational_content),
)
def record_external_authority(
    request: HttpRequest, body: ExternalAuthorityIn
) -> tuple[int, dict[str, Any]]:
    """Record Prison Rule 35A monitoring or activity agreed with a prison.

    The operation, and the application when given, must be ones the caller may see; one they
    may not see is refused with 422 as if it did not exist.
    """
    now = timezone.now()
    user = authenticated_user(request)
    operation = visible_operations(user, now).filter(pk=body.operation_id).first()
    if operation is None:
        message = "No operation you can see has this id."
        raise InvalidRequest(
            f"The request has invalid values: operation_id. {message}",
            fields={"operation_id": message},
        )
    application: Application | None = None
    if body.application_id is not None:
        application = (
            visible_applications(user, now)
            .filter(pk=body.application_id, operation=operation)
            .first()
        )
        if application is None:
            message = "No application in this operation that you can see has this id."
            raise InvalidRequest(
                f"The request has invalid values: application_id. {message}",
                fields={"application_id": message},
            )
    record = actions.record_external_authority(
        acting_user=user,
        operation=operation,
        authority_type=body.authority_type,
        details=body.details,
        application=application,
        at=checked_instant(body.at, now),
    )
    return 201, {
        "id": record.pk,
        "authority_type": record.authority_type,
        "operation_id": record.operation_id,
        "application_id": record.application_id,
        "starts_on": record.starts_on.isoformat(),
        "ends_on": record.ends_on.isoformat(),
        "review_on": record.review_on.isoformat(),
        "retention_until": record.retention_until.isoformat(),
        "recorded_by_id": record.recorded_by_id,
        "recorded_at": instant_text(record.recorded_at),
    }
