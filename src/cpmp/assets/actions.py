"""Every change to the asset register: registering assets, custody, statuses and reviews.

Each action runs in one transaction and appends its audit event (ids and codes only, never a
name, pseudonym or address) in it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cpmp.access.compartments import may_see_operational_content
from cpmp.access.roles import Role
from cpmp.audit.actions import COMMAND_LINE_SOURCE, SYSTEM_SOURCE, SystemActor, append_event
from cpmp.audit.events import EventType
from cpmp.deployments.errors import DeploymentInvalid, NotPermitted
from cpmp.law.periods import london_day

from .models import (
    Asset,
    AssetKind,
    CovertIdentity,
    CustodyEntry,
    Equipment,
    Premises,
    Source,
    SourceStatus,
    UndercoverOfficer,
    UndercoverStatus,
    Vehicle,
)
from .selectors import LONG_RUNNING_DAYS

# Who keeps the register of each kind of asset.
MANAGING_ROLES: dict[str, frozenset[str]] = {
    AssetKind.EQUIPMENT: frozenset({Role.TECHNICAL_UNIT_MANAGER}),
    AssetKind.VEHICLE: frozenset({Role.TECHNICAL_UNIT_MANAGER}),
    AssetKind.PREMISES: frozenset({Role.TECHNICAL_UNIT_MANAGER}),
    AssetKind.UNDERCOVER_OFFICER: frozenset({Role.UNDERCOVER_UNIT_MANAGER}),
    AssetKind.COVERT_IDENTITY: frozenset({Role.UNDERCOVER_UNIT_MANAGER}),
}
MODELS: dict[str, type[Asset]] = {
    AssetKind.EQUIPMENT: Equipment,
    AssetKind.VEHICLE: Vehicle,
    AssetKind.PREMISES: Premises,
    AssetKind.UNDERCOVER_OFFICER: UndercoverOfficer,
    AssetKind.COVERT_IDENTITY: CovertIdentity,
}
# The fields each kind takes from ``details``; the required ones must be non-empty.
DETAIL_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    AssetKind.EQUIPMENT: (("equipment_type",), ("serial_number", "capability", "location")),
    AssetKind.VEHICLE: (("registration",), ("make_and_model", "colour")),
    AssetKind.PREMISES: (("premises_type",), ("address",)),
    AssetKind.UNDERCOVER_OFFICER: (
        (),
        (
            "status",
            "accreditation_level",
            "accredited_on",
            "accreditation_expires_on",
            "training_due_on",
            "psychological_assessment_due_on",
            "national_index_reference",
            "officer",
            "source",
        ),
    ),
    AssetKind.COVERT_IDENTITY: (("identity_type",), ("handle", "undercover_officer")),
}


def can_manage_assets(user: Any, kind: str, now: datetime) -> bool:
    """Decide whether ``user`` may register and change assets of ``kind``."""
    if not may_see_operational_content(user, now):
        return False
    return bool(user.active_roles(now) & MANAGING_ROLES[kind])


def _require_manager(user: Any, kind: str, now: datetime) -> None:
    if not can_manage_assets(user, kind, now):
        raise NotPermitted(f"You cannot register or change {AssetKind(kind).label.lower()}.")


def register_asset(
    *,
    acting_user: Any,
    kind: str,
    reference: str,
    description: str = "",
    details: dict[str, Any] | None = None,
    source: str = COMMAND_LINE_SOURCE,
    at: datetime | None = None,
) -> Asset:
    """Add an asset of ``kind`` to the register; ``details`` sets the kind's own fields."""
    now = at or timezone.now()
    if kind not in MODELS:
        raise DeploymentInvalid({"kind": f"Select a kind of asset: {', '.join(MODELS)}"})
    _require_manager(acting_user, kind, now)
    details = dict(details or {})
    required, optional = DETAIL_FIELDS[kind]
    errors = {}
    if not reference.strip():
        errors["reference"] = "Enter the asset's reference"
    for name in required:
        if not str(details.get(name) or "").strip():
            errors[name] = f"Enter the {name.replace('_', ' ')}"
    unknown = set(details) - set(required) - set(optional)
    for name in sorted(unknown):
        errors[name] = f"{name} is not a field of {AssetKind(kind).label.lower()}"
    if errors:
        raise DeploymentInvalid(errors)
    values = {name: details[name] for name in (*required, *optional) if name in details}
    try:
        with transaction.atomic():
            asset = MODELS[kind].objects.create(
                kind=kind, reference=reference.strip(), description=description, **values
            )
            payload: dict[str, Any] = {"kind": kind}
            if isinstance(asset, Equipment) and asset.location:
                entry = CustodyEntry.objects.create(
                    equipment=asset,
                    occurred_at=now,
                    location=asset.location,
                    reason="Registered",
                    recorded_by=acting_user,
                    recorded_at=now,
                )
                payload["custody_entry_id"] = entry.pk
            append_event(
                EventType.ASSET_REGISTERED,
                actor=acting_user,
                object_type="asset",
                object_id=asset.pk,
                payload=payload,
                source=source,
            )
    except IntegrityError:
        raise DeploymentInvalid(
            {"reference": "An asset with this reference already exists: enter another"}
        ) from None
    return asset


def record_custody(
    equipment: Equipment,
    *,
    acting_user: Any,
    location: str,
    reason: str,
    custodian: Any = None,
    occurred_at: datetime | None = None,
    source: str = COMMAND_LINE_SOURCE,
    at: datetime | None = None,
) -> CustodyEntry:
    """Add an entry to ``equipment``'s chain of custody: who holds it, where and why."""
    now = at or timezone.now()
    _require_manager(acting_user, AssetKind.EQUIPMENT, now)
    errors = {}
    if not location.strip():
        errors["location"] = "Enter where the equipment is"
    if not reason.strip():
        errors["reason"] = "Enter why the equipment moved"
    if errors:
        raise DeploymentInvalid(errors)
    with transaction.atomic():
        entry = CustodyEntry.objects.create(
            equipment=equipment,
            occurred_at=occurred_at or now,
            custodian=custodian,
            location=location.strip(),
            reason=reason.strip(),
            recorded_by=acting_user,
            recorded_at=now,
        )
        Equipment.objects.filter(pk=equipment.pk).update(location=location.strip())
        append_event(
            EventType.ASSET_CUSTODY_RECORDED,
            actor=acting_user,
            object_type="custody_entry",
            object_id=entry.pk,
            payload={
                "equipment_id": equipment.pk,
                "custodian_id": custodian.pk if custodian is not None else None,
            },
            source=source,
        )
    return entry


def change_undercover_status(
    officer: UndercoverOfficer,
    *,
    acting_user: Any,
    status: str,
    source: str = COMMAND_LINE_SOURCE,
    at: datetime | None = None,
) -> UndercoverOfficer:
    """Set an undercover officer's status for the national index: active, reserve or dormant."""
    now = at or timezone.now()
    _require_manager(acting_user, AssetKind.UNDERCOVER_OFFICER, now)
    if status not in UndercoverStatus.values:
        raise DeploymentInvalid({"status": "Select active, reserve or dormant"})
    with transaction.atomic():
        old = officer.status
        officer.status = status
        officer.save(update_fields=["status"])
        append_event(
            EventType.ASSET_STATUS_CHANGED,
            actor=acting_user,
            object_type="asset",
            object_id=officer.pk,
            payload={
                "kind": AssetKind.UNDERCOVER_OFFICER.value,
                "old_status": old,
                "new_status": status,
            },
            source=source,
        )
    return officer


# A source moves forward only: potential, then recruited, then deactivated.
NEXT_SOURCE_STATUS = {
    SourceStatus.POTENTIAL: SourceStatus.RECRUITED,
    SourceStatus.RECRUITED: SourceStatus.DEACTIVATED,
}


def change_source_status(
    source_record: Source,
    *,
    acting_user: Any,
    status: str,
    source: str = COMMAND_LINE_SOURCE,
    at: datetime | None = None,
) -> Source:
    """Move a source on from potential to recruited, or from recruited to deactivated,
    recording the day. Only the source registrar may."""
    now = at or timezone.now()
    if not may_see_operational_content(acting_user, now) or (
        Role.SOURCE_REGISTRAR not in acting_user.active_roles(now)
    ):
        raise NotPermitted("Only the source registrar can change a source's status.")
    if NEXT_SOURCE_STATUS.get(SourceStatus(source_record.status)) != status:
        raise DeploymentInvalid(
            {"status": f"A {source_record.status} source cannot become {status}"}
        )
    with transaction.atomic():
        old = source_record.status
        source_record.status = status
        fields = ["status"]
        if status == SourceStatus.RECRUITED:
            source_record.recruited_on = london_day(now)
            fields.append("recruited_on")
        else:
            source_record.deactivated_on = london_day(now)
            fields.append("deactivated_on")
        source_record.save(update_fields=fields)
        append_event(
            EventType.SOURCE_STATUS_CHANGED,
            actor=acting_user,
            object_type="source",
            object_id=source_record.pk,
            payload={"old_status": old, "new_status": status},
            source=source,
        )
    return source_record


def raise_review_triggers(*, now: datetime, source: str = SYSTEM_SOURCE) -> list[Any]:
    """Raise a review trigger for each undercover officer deployed in one operation for
    ``LONG_RUNNING_DAYS`` or more, counted from their first deployment there to ``now``
    while a deployment there is in place or ended within the last 30 days."""
    from cpmp.deployments.models import Deployment, ReviewTrigger

    raised = []
    recent = now - timedelta(days=30)
    pairs = (
        Deployment.objects.filter(asset__kind=AssetKind.UNDERCOVER_OFFICER, starts_at__lte=now)
        .values_list("asset_id", "operation_id")
        .distinct()
    )
    with transaction.atomic():
        for officer_id, operation_id in sorted(set(pairs)):
            deployments = Deployment.objects.filter(asset_id=officer_id, operation_id=operation_id)
            first = deployments.order_by("starts_at").first()
            assert first is not None
            still_running = (
                deployments.filter(ended_at__isnull=True).exists()
                or deployments.filter(ended_at__gte=recent).exists()
            )
            days = (now - first.starts_at).days
            if days < LONG_RUNNING_DAYS or not still_running:
                continue
            if ReviewTrigger.objects.filter(
                undercover_officer_id=officer_id, operation_id=operation_id, closed_at__isnull=True
            ).exists():
                continue
            trigger = ReviewTrigger.objects.create(
                undercover_officer_id=officer_id,
                operation_id=operation_id,
                raised_at=now,
                first_deployed_at=first.starts_at,
                deployed_days=days,
            )
            append_event(
                EventType.REVIEW_TRIGGER_RAISED,
                actor=SystemActor.SYSTEM,
                object_type="review_trigger",
                object_id=trigger.pk,
                payload={
                    "undercover_officer_id": officer_id,
                    "operation_id": operation_id,
                    "deployed_days": days,
                },
                source=source,
            )
            raised.append(trigger)
    return raised
