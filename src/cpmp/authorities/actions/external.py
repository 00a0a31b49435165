"""Authorities granted outside the force: Prison Rule 35A and activity agreed with a prison."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from cpmp.access.models import User
from cpmp.access.roles import Role
from cpmp.audit.actions import append_event
from cpmp.audit.context import current_source
from cpmp.audit.events import EventType as AuditEventType
from cpmp.law.periods import add_months
from cpmp.operations.models import Operation

from ..content import parse_date
from ..errors import ApplicationInvalid
from ..models import Application, ExternalAuthority, ExternalAuthorityType
from ._common import AUDIT_SOURCE, instant, require_role

RECORDING_ROLES = frozenset(
    {Role.GATEKEEPER, Role.APPLICANT, Role.AUTHORISING_OFFICER, Role.SENIOR_AUTHORISING_OFFICER}
)
# Raw prison intercept is normally not kept beyond 3 months without an exceptional case
# (IPCO Annual Report 2018 para 14.17).
RETENTION_MONTHS = 3


def record_external_authority(
    *,
    acting_user: User,
    operation: Operation,
    authority_type: str,
    details: Mapping[str, Any],
    application: Application | None = None,
    at: datetime | None = None,
) -> ExternalAuthority:
    """Record an authority granted outside the force. RIPA's periods do not apply.

    ``details`` contains ``granted_by``, ``organisation``, ``external_reference``,
    ``description``, ``starts_on``, ``ends_on`` and ``review_on`` (ISO dates) and, to keep
    material beyond 3 months after the end, ``exceptional_retention_until`` with
    ``exceptional_retention_reasons``.
    """
    now = instant(at)
    require_role(acting_user, RECORDING_ROLES, now, action="record external authorities")
    errors: dict[str, str] = {}
    if authority_type not in ExternalAuthorityType.values:
        errors["authority_type"] = (
            "Select Prison Rule 35A monitoring or activity agreed with a prison"
        )
    for key, message in (
        ("granted_by", "Enter who granted the authority"),
        ("organisation", "Enter the organisation that granted it"),
        ("external_reference", "Enter their reference"),
    ):
        if not str(details.get(key) or "").strip():
            errors[key] = message
    starts_on = parse_date(details.get("starts_on"))
    ends_on = parse_date(details.get("ends_on"))
    review_on = parse_date(details.get("review_on"))
    if starts_on is None:
        errors["starts_on"] = "Enter the date the authority starts"
    if ends_on is None or (starts_on is not None and ends_on < starts_on):
        errors["ends_on"] = "Enter the date the authority ends, on or after its start"
    if review_on is None:
        errors["review_on"] = "Enter the date the authority is to be reviewed"
    retention_until = None
    if ends_on is not None:
        # Add months, then step back a day: 3 months after 31 January ends on 30 April.
        retention_until = add_months(ends_on + timedelta(days=1), RETENTION_MONTHS) - timedelta(
            days=1
        )
        exceptional = details.get("exceptional_retention_until")
        if exceptional is not None:
            exceptional_day = parse_date(exceptional)
            if exceptional_day is None or exceptional_day <= retention_until:
                errors["exceptional_retention_until"] = (
                    f"Enter a date after {retention_until:%d %B %Y}, or leave it empty"
                )
            elif not str(details.get("exceptional_retention_reasons") or "").strip():
                errors["exceptional_retention_reasons"] = (
                    "Enter why material must be kept longer than 3 months after the end"
                )
            else:
                retention_until = exceptional_day
    if errors:
        raise ApplicationInvalid(errors)
    assert starts_on and ends_on and review_on and retention_until
    with transaction.atomic():
        record = ExternalAuthority.objects.create(
            authority_type=authority_type,
            operation=operation,
            application=application,
            granted_by=str(details["granted_by"]).strip(),
            organisation=str(details["organisation"]).strip(),
            external_reference=str(details["external_reference"]).strip(),
            description=str(details.get("description") or ""),
            starts_on=starts_on,
            ends_on=ends_on,
            review_on=review_on,
            retention_until=retention_until,
            exceptional_retention_reasons=str(details.get("exceptional_retention_reasons") or ""),
            recorded_by=acting_user,
            recorded_at=now,
        )
        audit_source, request_id = current_source(AUDIT_SOURCE)
        append_event(
            AuditEventType.EXTERNAL_AUTHORITY_RECORDED,
            actor=acting_user,
            object_type="external_authority",
            object_id=record.pk,
            payload={"external_authority_id": record.pk, "operation_id": operation.pk},
            source=audit_source,
            request_id=request_id,
        )
    return record
