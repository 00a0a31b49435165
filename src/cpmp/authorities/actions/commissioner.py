"""Judicial Commissioner steps: notices given and decisions received."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from cpmp.access.models import User

from ..models import Application, Authorisation, CaseEvent


def record_commissioner_notice(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    kind: str,
    notice: Mapping[str, Any],
    at: datetime | None = None,
) -> CaseEvent:
    """Record that notice of a grant, renewal or cancellation of ``kind`` went to a Judicial
    Commissioner. ``notice`` holds ``about`` ("grant", "renewal" or "cancellation"),
    ``sent_at`` (ISO instant) and ``document_reference``."""
    raise NotImplementedError


def record_commissioner_decision(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    kind: str,
    outcome: Literal["approved", "refused", "quashed"],
    decision: Mapping[str, Any],
    at: datetime | None = None,
) -> Authorisation:
    """Record a Judicial Commissioner's decision on the power ``kind`` and return its row.

    ``decision`` holds ``decided_at`` and ``notified_at`` (ISO instants: an approval takes
    effect when the authorising officer is told of it, RIPA s.36(2)), ``document_reference``
    and, for a refusal or quashing, ``material_instructions``: what must happen to material
    already obtained. An approval lets an authorisation awaiting it take effect; a refusal or
    quashing ends it.
    """
    raise NotImplementedError
