"""``/api/assets``, ``/api/bookings``, ``/api/deployments``: booking, deploying and recovering
assets, calling the same actions as the pages, within the compartment policy."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from cpmp.access.compartments import visible_authorisations, visible_operations
from cpmp.assets.models import Asset
from cpmp.audit.requests import source_from_request
from cpmp.deployments import actions
from cpmp.deployments.access import (
    can_use_deployments,
    visible_bookings,
    visible_recovery_tasks,
)
from cpmp.deployments.coverage import find_cover
from cpmp.deployments.selectors import deployed_now, live_authorisations
from cpmp.errors import NotFound

from .auth import authenticated_user
from .errors import error_responses
from .permissions import requires

router = Router(tags=["assets"])


def not_found() -> NotFound:
    return NotFound("Nothing was found with that id. Check the id and try again.")


class BookingIn(Schema):
    operation_id: int
    starts_at: datetime
    ends_at: datetime
    purpose: str = ""


class BookingOut(Schema):
    id: int
    asset_id: int
    operation_id: int
    starts_at: datetime
    ends_at: datetime


class DeploymentIn(Schema):
    authorisation_id: int
    subject: str
    tactic: str
    location: str
    starts_at: datetime
    ends_at: datetime
    activity: str = ""


class DeploymentOut(Schema):
    id: int
    asset_id: int
    operation_id: int
    authorisation_id: int
    starts_at: datetime
    ends_at: datetime
    ended_at: datetime | None


class DeployedNowItem(DeploymentOut):
    # The status of the authorisation now; anything but "live" needs recovery at once.
    authorisation_status: str


class CoverQuery(Schema):
    asset: str
    subject: str
    tactic: str


class CoverItem(Schema):
    authorisation_id: int
    reference: str
    covered: bool
    problems: list[str]


class RecoveryIn(Schema):
    recovered_to: str


class RecoveryOut(Schema):
    id: int
    deployment_id: int
    closed_at: datetime | None


@router.post(
    "/assets/{asset_id}/bookings",
    response={201: BookingOut, **error_responses(403, 404, 409)},
    url_name="asset-booking-create",
    summary="Book an asset for an operation",
    auth=requires(can_use_deployments),
)
def create_booking(request: HttpRequest, asset_id: int, body: BookingIn) -> tuple[int, Any]:
    now = timezone.now()
    user = authenticated_user(request)
    asset = Asset.objects.filter(pk=asset_id).first()
    operation = visible_operations(user, now).filter(pk=body.operation_id).first()
    if asset is None or operation is None:
        raise not_found()
    booking = actions.book_asset(
        acting_user=user,
        asset=asset,
        operation=operation,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        purpose=body.purpose,
        source=source_from_request(request)[0],
    )
    return 201, booking


@router.post(
    "/bookings/{booking_id}/deployments",
    response={201: DeploymentOut, **error_responses(403, 404)},
    url_name="booking-deployment-create",
    summary="Deploy a booked asset under an authorisation",
    auth=requires(can_use_deployments),
)
def create_deployment(request: HttpRequest, booking_id: int, body: DeploymentIn) -> tuple[int, Any]:
    """Record a deployment; refused with ``not_covered`` unless the authorisation covers it."""
    now = timezone.now()
    user = authenticated_user(request)
    booking = visible_bookings(user, now).filter(pk=booking_id).first()
    authorisation = visible_authorisations(user, now).filter(pk=body.authorisation_id).first()
    if booking is None or authorisation is None:
        raise not_found()
    deployment = actions.record_deployment(
        acting_user=user,
        booking=booking,
        authorisation=authorisation,
        subject=body.subject,
        tactic=body.tactic,
        location=body.location,
        activity=body.activity,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        source=source_from_request(request)[0],
    )
    return 201, deployment


@router.get(
    "/deployments/now",
    response={200: list[DeployedNowItem], **error_responses(403)},
    url_name="deployments-now",
    summary="List what is deployed now and under what",
    auth=requires(can_use_deployments),
)
def list_deployed_now(request: HttpRequest) -> list[dict[str, Any]]:
    now = timezone.now()
    user = authenticated_user(request)
    return [
        {
            "id": deployment.pk,
            "asset_id": deployment.asset_id,
            "operation_id": deployment.operation_id,
            "authorisation_id": deployment.authorisation_id,
            "starts_at": deployment.starts_at,
            "ends_at": deployment.ends_at,
            "ended_at": deployment.ended_at,
            "authorisation_status": status,
        }
        for deployment, status in deployed_now(user, now)
    ]


@router.get(
    "/authorised-now",
    response={200: list[CoverItem], **error_responses(403, 404)},
    url_name="authorised-now",
    summary="Check whether an asset, subject and tactic are authorised now",
    auth=requires(can_use_deployments),
)
def authorised_now(request: HttpRequest, query: Query[CoverQuery]) -> list[dict[str, Any]]:
    """Check every live authorisation the caller may see; covering ones come first."""
    now = timezone.now()
    user = authenticated_user(request)
    asset = Asset.objects.filter(reference__iexact=query.asset.strip()).first()
    if asset is None:
        raise not_found()
    checks = find_cover(
        live_authorisations(visible_authorisations(user, now), now),
        asset=asset,
        subject=query.subject.strip(),
        tactic=query.tactic.strip(),
        starts_at=now,
        ends_at=now + timedelta(seconds=1),
    )
    return [
        {
            "authorisation_id": check.authorisation_id,
            "reference": check.reference,
            "covered": check.covered,
            "problems": list(check.problems),
        }
        for check in checks
    ]


@router.post(
    "/recovery-tasks/{task_id}/recovery",
    response={200: RecoveryOut, **error_responses(403, 404)},
    url_name="recovery-task-record",
    summary="Record that an asset left deployed was recovered",
    auth=requires(can_use_deployments),
)
def record_recovery(request: HttpRequest, task_id: int, body: RecoveryIn) -> Any:
    now = timezone.now()
    user = authenticated_user(request)
    task = visible_recovery_tasks(user, now).filter(pk=task_id).first()
    if task is None:
        raise not_found()
    return actions.record_recovery(
        task,
        acting_user=user,
        recovered_to=body.recovered_to,
        source=source_from_request(request)[0],
    )
