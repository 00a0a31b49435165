"""Every change to bookings, deployments, recovery tasks and review triggers.

Each action runs in one transaction and appends its audit event (ids only) in it. Pages, the
API (``cpmp.api.assets``) and ``cpmp deployments`` call these functions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from cpmp.access.compartments import can_view_authorisation, can_view_operation
from cpmp.assets.models import Asset, AssetKind, CustodyEntry, Equipment
from cpmp.audit.actions import COMMAND_LINE_SOURCE, SYSTEM_SOURCE, SystemActor, append_event
from cpmp.audit.events import EventType
from cpmp.authorities.models import Authorisation
from cpmp.authorities.selectors import Status, with_status
from cpmp.operations.models import Operation

from .access import can_act_for_operation, can_close_review_trigger, can_record_recovery
from .coverage import check_authorisation, display
from .errors import BookingClash, DeploymentInvalid, NotCovered, NotPermitted
from .models import (
    Booking,
    Deployment,
    EndReason,
    EscalationLevel,
    RecoveryReason,
    RecoveryTask,
    ReviewTrigger,
)
from .notifications import notify_escalation_on_commit

logger = logging.getLogger(__name__)

# How long a recovery task stays with the senior investigating officer, and then with the
# technical unit manager, before it is escalated further. A force policy, not the law.
ESCALATE_TO_TECHNICAL_UNIT_MANAGER_AFTER = timedelta(hours=24)
ESCALATE_TO_SENIOR_RESPONSIBLE_OFFICER_AFTER = timedelta(days=3)


def _now(at: datetime | None) -> datetime:
    return at if at is not None else timezone.now()


def _audit(
    event_type: EventType,
    *,
    actor: Any,
    object_type: str,
    object_id: int,
    payload: dict[str, Any],
    source: str,
) -> None:
    append_event(
        event_type,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        payload=payload,
        source=source,
    )


def _require_operation(acting_user: Any, operation: Operation, now: datetime) -> None:
    if not can_act_for_operation(acting_user, operation, now):
        raise NotPermitted(
            "You cannot book or deploy assets for this operation. Ask its senior "
            "investigating officer to add you to the team."
        )


def _window_errors(starts_at: Any, ends_at: Any) -> dict[str, str]:
    errors = {}
    if not isinstance(starts_at, datetime):
        errors["starts_at"] = "Enter when the window starts"
    if not isinstance(ends_at, datetime):
        errors["ends_at"] = "Enter when the window ends"
    if not errors and ends_at <= starts_at:
        errors["ends_at"] = "The end must be after the start"
    return errors


def book_asset(
    *,
    acting_user: Any,
    asset: Asset,
    operation: Operation,
    starts_at: datetime,
    ends_at: datetime,
    purpose: str = "",
    source: str = COMMAND_LINE_SOURCE,
    at: datetime | None = None,
) -> Booking:
    """Book ``asset`` for ``operation`` from ``starts_at`` until (not including) ``ends_at``.

    Raises ``BookingClash`` when a live booking of the asset overlaps the window, or the
    asset is still deployed in it. The message gives the clash window, and names the other
    operation only to someone who may see it.
    """
    now = _now(at)
    errors = _window_errors(starts_at, ends_at)
    if errors:
        raise DeploymentInvalid(errors)
    _require_operation(acting_user, operation, now)
    with transaction.atomic():
        # Locks the asset so two bookings of it are decided one after the other.
        Asset.objects.select_for_update().get(pk=asset.pk)
        clash = (
            Booking.objects.filter(
                asset=asset, cancelled_at__isnull=True, starts_at__lt=ends_at, ends_at__gt=starts_at
            )
            .select_related("operation")
            .order_by("starts_at")
            .first()
        )
        if clash is not None:
            raise _clash(acting_user, asset, clash.operation, clash.starts_at, clash.ends_at, now)
        still_deployed = (
            Deployment.objects.filter(asset=asset, ended_at__isnull=True, starts_at__lt=ends_at)
            .select_related("operation")
            .first()
        )
        if still_deployed is not None:
            raise _clash(
                acting_user, asset, still_deployed.operation, still_deployed.starts_at, None, now
            )
        booking = Booking.objects.create(
            asset=asset,
            operation=operation,
            starts_at=starts_at,
            ends_at=ends_at,
            purpose=purpose,
            booked_by=acting_user,
            booked_at=now,
        )
        _audit(
            EventType.BOOKING_CREATED,
            actor=acting_user,
            object_type="booking",
            object_id=booking.pk,
            payload={"asset_id": asset.pk, "operation_id": operation.pk},
            source=source,
        )
    return booking


def _clash(
    acting_user: Any,
    asset: Asset,
    operation: Operation,
    starts_at: datetime,
    ends_at: datetime | None,
    now: datetime,
) -> BookingClash:
    visible = can_view_operation(acting_user, operation, now)
    owner = f"for {operation.name}" if visible else "for another operation"
    if ends_at is None:
        message = (
            f"{asset.reference} is still deployed {owner} since {display(starts_at)} and has "
            "not been recovered. Choose another asset, or book after its recovery is recorded."
        )
    else:
        message = (
            f"{asset.reference} is already booked {owner} from {display(starts_at)} to "
            f"{display(ends_at)}. Choose a window outside that booking, or another asset."
        )
    fields: dict[str, Any] = {
        "asset_id": asset.pk,
        "clash_starts_at": starts_at.isoformat(),
        "clash_ends_at": ends_at.isoformat() if ends_at else None,
    }
    if visible:
        fields["operation_id"] = operation.pk
    return BookingClash(message, fields=fields)


def cancel_booking(
    booking: Booking,
    *,
    acting_user: Any,
    source: str = COMMAND_LINE_SOURCE,
    at: datetime | None = None,
) -> Booking:
    """Cancel a booking that has no deployment still in place."""
    now = _now(at)
    _require_operation(acting_user, booking.operation, now)
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.cancelled_at is not None:
            raise DeploymentInvalid({"booking": "This booking has already been cancelled"})
        if booking.deployments.filter(ended_at__isnull=True).exists():
            raise DeploymentInvalid(
                {"booking": "Record the recovery of the deployed asset before cancelling"}
            )
        booking.cancelled_at = now
        booking.cancelled_by = acting_user
        booking.save(update_fields=["cancelled_at", "cancelled_by"])
        _audit(
            EventType.BOOKING_CANCELLED,
            actor=acting_user,
            object_type="booking",
            object_id=booking.pk,
            payload={"asset_id": booking.asset_id, "operation_id": booking.operation_id},
            source=source,
        )
    return booking


def record_deployment(
    *,
    acting_user: Any,
    booking: Booking,
    authorisation: Authorisation,
    subject: str,
    tactic: str,
    location: str,
    starts_at: datetime,
    ends_at: datetime,
    activity: str = "",
    source: str = COMMAND_LINE_SOURCE,
    at: datetime | None = None,
) -> Deployment:
    """Record that the booked asset is deployed under ``authorisation``.

    Refused with ``NotCovered`` unless the authorisation covers the asset, subject, tactic
    and the whole window (``coverage.check_authorisation``). The window must lie inside the
    booking, and the asset must not be deployed elsewhere in it.
    """
    now = _now(at)
    errors = _window_errors(starts_at, ends_at)
    for key, value, message in (
        ("subject", subject, "Enter the subject as the authority names them"),
        ("tactic", tactic, "Enter the tactic as the authority names it"),
        ("location", location, "Enter where the asset is deployed"),
    ):
        if not value.strip():
            errors[key] = message
    if errors:
        raise DeploymentInvalid(errors)
    _require_operation(acting_user, booking.operation, now)
    if not can_view_authorisation(acting_user, authorisation, now):
        raise DeploymentInvalid({"authorisation": "Select an authorisation of this operation"})
    if authorisation.operation_ref_id != booking.operation_id:
        raise DeploymentInvalid({"authorisation": "Select an authorisation of this operation"})
    if booking.cancelled_at is not None:
        raise DeploymentInvalid({"booking": "This booking has been cancelled"})
    if starts_at < booking.starts_at or ends_at > booking.ends_at:
        raise DeploymentInvalid(
            {
                "starts_at": f"The deployment must fall inside the booking, from "
                f"{display(booking.starts_at)} to {display(booking.ends_at)}"
            }
        )
    check = check_authorisation(
        authorisation,
        asset=booking.asset,
        subject=subject.strip(),
        tactic=tactic.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
    )
    if not check.covered:
        # Logged, not audited: the caller's transaction may roll back with the refusal, and an
        # audit event must never claim a refusal that left no trace in the chain.
        logger.warning(
            "deployment rejected as not covered: user=%s booking=%s asset=%s authorisation=%s "
            "problems=%d",
            getattr(acting_user, "pk", None),
            booking.pk,
            booking.asset_id,
            authorisation.pk,
            len(check.problems),
        )
        raise NotCovered(list(check.problems), authorisation_id=authorisation.pk)
    with transaction.atomic():
        Asset.objects.select_for_update().get(pk=booking.asset_id)
        overlapping = Deployment.objects.filter(
            asset_id=booking.asset_id, ended_at__isnull=True, starts_at__lt=ends_at
        )
        if overlapping.exists():
            raise DeploymentInvalid(
                {"starts_at": "This asset is already deployed: record its recovery first"}
            )
        deployment = Deployment.objects.create(
            booking=booking,
            asset_id=booking.asset_id,
            operation_id=booking.operation_id,
            authorisation=authorisation,
            subject=subject.strip(),
            tactic=tactic.strip(),
            location=location.strip(),
            activity=activity.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            recorded_by=acting_user,
            recorded_at=now,
        )
        if booking.asset.kind == AssetKind.EQUIPMENT:
            _move_equipment(
                booking.asset_id, acting_user, starts_at, location.strip(), "Deployed", now
            )
        _audit(
            EventType.DEPLOYMENT_RECORDED,
            actor=acting_user,
            object_type="deployment",
            object_id=deployment.pk,
            payload={
                "booking_id": booking.pk,
                "asset_id": booking.asset_id,
                "operation_id": booking.operation_id,
                "authorisation_id": authorisation.pk,
            },
            source=source,
        )
    return deployment


def _move_equipment(
    asset_id: int,
    acting_user: Any,
    occurred_at: datetime,
    location: str,
    reason: str,
    now: datetime,
) -> None:
    equipment = Equipment.objects.get(pk=asset_id)
    CustodyEntry.objects.create(
        equipment=equipment,
        occurred_at=occurred_at,
        custodian=acting_user if not isinstance(acting_user, SystemActor) else None,
        location=location,
        reason=reason,
        recorded_by=acting_user,
        recorded_at=now,
    )
    equipment.location = location
    equipment.save(update_fields=["location"])


def end_deployment(
    deployment: Deployment,
    *,
    acting_user: Any,
    returned_to: str,
    source: str = COMMAND_LINE_SOURCE,
    at: datetime | None = None,
) -> Deployment:
    """Record that a deployed asset was stood down or recovered while its authority lasted.

    An asset still in place after its authority ended is closed through its recovery task
    (``record_recovery``) instead.
    """
    now = _now(at)
    _require_operation(acting_user, deployment.operation, now)
    if hasattr(deployment, "recovery_task"):
        return record_recovery(
            deployment.recovery_task,
            acting_user=acting_user,
            recovered_to=returned_to,
            source=source,
            at=now,
        ).deployment
    return _close_deployment(
        deployment, acting_user, returned_to, EndReason.STOOD_DOWN, source, now
    )


def _close_deployment(
    deployment: Deployment,
    acting_user: Any,
    returned_to: str,
    reason: str,
    source: str,
    now: datetime,
) -> Deployment:
    if not returned_to.strip():
        raise DeploymentInvalid({"recovered_to": "Enter where the asset was returned to"})
    with transaction.atomic():
        deployment = Deployment.objects.select_for_update().get(pk=deployment.pk)
        if deployment.ended_at is not None:
            raise DeploymentInvalid({"deployment": "This deployment has already ended"})
        deployment.ended_at = now
        deployment.end_reason = reason
        deployment.save(update_fields=["ended_at", "end_reason"])
        if deployment.asset.kind == AssetKind.EQUIPMENT:
            _move_equipment(
                deployment.asset_id, acting_user, now, returned_to.strip(), "Recovered", now
            )
        _audit(
            EventType.DEPLOYMENT_ENDED,
            actor=acting_user,
            object_type="deployment",
            object_id=deployment.pk,
            payload={
                "asset_id": deployment.asset_id,
                "operation_id": deployment.operation_id,
                "end_reason": reason,
            },
            source=source,
        )
    return deployment


def raise_recovery_tasks(
    authorisation_ids: list[int], *, now: datetime, source: str = SYSTEM_SOURCE
) -> list[RecoveryTask]:
    """Raise a recovery task for every asset still deployed under an authorisation among
    ``authorisation_ids`` that is not live at ``now``. An existing task is not raised again."""
    ended = (
        # The stubs cannot see the ``status`` annotation that ``with_status`` adds.
        with_status(Authorisation.objects.filter(pk__in=authorisation_ids), now)  # type: ignore[misc]
        .exclude(status=Status.LIVE)
        .values_list("pk", "cancelled_from")
    )
    cancelled = dict(ended)
    if not cancelled:
        return []
    raised = []
    with transaction.atomic():
        deployments = Deployment.objects.filter(
            authorisation_id__in=cancelled, ended_at__isnull=True, recovery_task__isnull=True
        ).select_for_update(of=("self",))
        for deployment in deployments:
            reason = (
                RecoveryReason.CANCELLED
                if cancelled[deployment.authorisation_id] is not None
                else RecoveryReason.EXPIRED
            )
            task = RecoveryTask.objects.create(
                deployment=deployment,
                authorisation_id=deployment.authorisation_id,
                reason=reason,
                raised_at=now,
            )
            _audit(
                EventType.RECOVERY_TASK_RAISED,
                actor=SystemActor.SYSTEM,
                object_type="recovery_task",
                object_id=task.pk,
                payload={
                    "deployment_id": deployment.pk,
                    "authorisation_id": deployment.authorisation_id,
                    "reason": reason,
                },
                source=source,
            )
            raised.append(task)
    for task in raised:
        logger.info(
            "recovery task raised: task=%s deployment=%s authorisation=%s",
            task.pk,
            task.deployment_id,
            task.authorisation_id,
        )
    return raised


def escalation_due(task: RecoveryTask, now: datetime) -> int:
    """Return the level ``task`` should be escalated to at ``now``, by how long it is open."""
    age = now - task.raised_at
    if age >= ESCALATE_TO_SENIOR_RESPONSIBLE_OFFICER_AFTER:
        return EscalationLevel.SENIOR_RESPONSIBLE_OFFICER
    if age >= ESCALATE_TO_TECHNICAL_UNIT_MANAGER_AFTER:
        return EscalationLevel.TECHNICAL_UNIT_MANAGER
    return EscalationLevel.SENIOR_INVESTIGATING_OFFICER


def escalate_recovery_tasks(*, now: datetime, source: str = SYSTEM_SOURCE) -> list[RecoveryTask]:
    """Escalate every open recovery task whose age has passed its next level."""
    escalated = []
    with transaction.atomic():
        for task in RecoveryTask.objects.filter(closed_at__isnull=True).select_for_update():
            level = escalation_due(task, now)
            if level <= task.escalation_level:
                continue
            old = task.escalation_level
            task.escalation_level = level
            task.escalated_at = now
            task.save(update_fields=["escalation_level", "escalated_at"])
            _audit(
                EventType.RECOVERY_TASK_ESCALATED,
                actor=SystemActor.SYSTEM,
                object_type="recovery_task",
                object_id=task.pk,
                payload={"old_level": old, "new_level": level},
                source=source,
            )
            notify_escalation_on_commit(task.pk, level)
            escalated.append(task)
    return escalated


def record_recovery(
    task: RecoveryTask,
    *,
    acting_user: Any,
    recovered_to: str,
    source: str = COMMAND_LINE_SOURCE,
    at: datetime | None = None,
) -> RecoveryTask:
    """Close ``task``: the asset was switched off or recovered, and returned to
    ``recovered_to``. Equipment also gets a custody entry, and the authority's list of
    equipment to recover is updated (``record_equipment_recovered``)."""
    from cpmp.authorities.actions import record_equipment_recovered
    from cpmp.authorities.actions.lifecycle import equipment_outstanding

    now = _now(at)
    if not can_record_recovery(acting_user, task, now):
        raise NotPermitted("You cannot record the recovery of this asset.")
    with transaction.atomic():
        task = RecoveryTask.objects.select_for_update().get(pk=task.pk)
        if task.closed_at is not None:
            raise DeploymentInvalid({"task": "This recovery has already been recorded"})
        deployment = _close_deployment(
            task.deployment, acting_user, recovered_to, EndReason.RECOVERED, source, now
        )
        task.closed_at = now
        task.closed_by = acting_user
        task.recovered_to = recovered_to.strip()
        task.save(update_fields=["closed_at", "closed_by", "recovered_to"])
        _audit(
            EventType.RECOVERY_TASK_CLOSED,
            actor=acting_user,
            object_type="recovery_task",
            object_id=task.pk,
            payload={
                "deployment_id": task.deployment_id,
                "authorisation_id": task.authorisation_id,
            },
            source=source,
        )
        authorisation = task.authorisation
        if authorisation.application_id is not None:
            identifiers = deployment.asset.conduct_identifiers()
            for item in equipment_outstanding(authorisation, now):
                if item in identifiers:
                    record_equipment_recovered(
                        authorisation,
                        acting_user=acting_user,
                        expected_version=authorisation.application.version,  # type: ignore[union-attr]
                        equipment=item,
                        at=now,
                    )
    return task


def close_review_trigger(
    trigger: ReviewTrigger,
    *,
    acting_user: Any,
    note: str,
    source: str = COMMAND_LINE_SOURCE,
    at: datetime | None = None,
) -> ReviewTrigger:
    """Close ``trigger`` with the reviewer's ``note`` on the long-running deployment.

    The next scheduled pass raises a new trigger if the officer is still deployed in the
    operation for ``LONG_RUNNING_DAYS`` or more, so a closed review is not the last one.
    """
    now = _now(at)
    if not can_close_review_trigger(acting_user, trigger, now):
        raise NotPermitted(
            "Only an authorising officer, senior authorising officer or senior responsible "
            "officer who can see this operation can close its review."
        )
    if not note.strip():
        raise DeploymentInvalid({"note": "Enter what you reviewed and decided"})
    with transaction.atomic():
        trigger = ReviewTrigger.objects.select_for_update().get(pk=trigger.pk)
        if trigger.closed_at is not None:
            raise DeploymentInvalid({"note": "This review has already been closed"})
        trigger.closed_at = now
        trigger.closed_by = acting_user
        trigger.review_note = note.strip()
        trigger.save(update_fields=["closed_at", "closed_by", "review_note"])
        _audit(
            EventType.REVIEW_TRIGGER_CLOSED,
            actor=acting_user,
            object_type="review_trigger",
            object_id=trigger.pk,
            payload={
                "undercover_officer_id": trigger.undercover_officer_id,
                "operation_id": trigger.operation_id,
            },
            source=source,
        )
    return trigger


@dataclass(frozen=True)
class ScheduledPass:
    """Counts from one run of ``run_scheduled_pass``."""

    raised: int
    escalated: int
    review_triggers: int


def run_scheduled_pass(*, now: datetime, source: str = COMMAND_LINE_SOURCE) -> ScheduledPass:
    """Raise recovery tasks for authorities that expired, escalate open tasks by age, and
    raise review triggers for long-running undercover deployments."""
    from cpmp.assets.actions import raise_review_triggers

    open_under = Deployment.objects.filter(ended_at__isnull=True).values_list(
        "authorisation_id", flat=True
    )
    raised = raise_recovery_tasks(sorted(set(open_under)), now=now, source=source)
    escalated = escalate_recovery_tasks(now=now, source=source)
    triggers = raise_review_triggers(now=now, source=source)
    result = ScheduledPass(len(raised), len(escalated), len(triggers))
    logger.info(
        "deployment pass done: recovery_tasks_raised=%d escalated=%d review_triggers=%d",
        result.raised,
        result.escalated,
        result.review_triggers,
    )
    return result
