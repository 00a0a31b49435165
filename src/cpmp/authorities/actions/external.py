"""Authorities granted outside the force: Prison Rule 35A and activity agreed with a prison."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cpmp.access.models import User
from cpmp.operations.models import Operation

from ..models import Application, ExternalAuthority


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

    ``details`` holds ``granted_by``, ``organisation``, ``external_reference``,
    ``description``, ``starts_on``, ``ends_on`` and ``review_on`` (ISO dates) and, to keep
    material beyond 3 months after the end, ``exceptional_retention_until`` with
    ``exceptional_retention_reasons``.
    """
    raise NotImplementedError
