"""Reviews, renewals, variations, cancellations and recovery of equipment."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cpmp.access.models import User

from ..models import Authorisation, CaseEvent, DocumentVersion


def record_review(
    authorisation: Authorisation,
    *,
    acting_user: User,
    expected_version: int,
    review: Mapping[str, Any],
    at: datetime | None = None,
) -> DocumentVersion:
    """Record a review of a workflow authorisation and return its document version.

    ``review`` asks what changed since the last review: ``changes`` with ``contacts``,
    ``product``, ``risk`` and ``collateral_intrusion``, plus ``continue`` (bool),
    ``reasoning`` and ``next_review_on``; a CHIS review also ``use_of_source``,
    ``tasks_given`` and ``information_obtained`` (RIPA s.43(7)). The stored content carries
    a ``diff`` against the previous review.
    """
    raise NotImplementedError


def renew_authorisation(
    authorisation: Authorisation,
    *,
    acting_user: User,
    expected_version: int,
    renewal: Mapping[str, Any],
    at: datetime | None = None,
) -> Authorisation:
    """Renew a live authorisation; the new period runs from the old end (conventions C5, C6).

    Raises ``LawRefusal`` when the authorisation has already ended, when a CHIS has had no
    review since its last grant or renewal (RIPA s.43(6)-(7)), when a warrant is outside its
    renewal window (IPA 2016 s.117), or when the officer's rank may not renew it.
    """
    raise NotImplementedError


def vary_authorisation(
    authorisation: Authorisation,
    *,
    acting_user: User,
    expected_version: int,
    variation: Mapping[str, Any],
    at: datetime | None = None,
) -> Authorisation:
    """Add subjects, premises, vehicles or other conduct items, signed off by an officer who
    may grant the power. ``variation`` holds ``add`` (conduct items), ``remove`` (conduct ids)
    and ``reasons``."""
    raise NotImplementedError


def cancel_authorisation(
    authorisation: Authorisation,
    *,
    acting_user: User,
    expected_version: int,
    cancellation: Mapping[str, Any],
    at: datetime | None = None,
) -> Authorisation:
    """Cancel an authorisation as soon as it is no longer necessary (RIPA s.45).

    ``cancellation`` holds ``reasons``, ``outcome``, ``ceased_at`` (when activity was told to
    stop), ``product_owner_id`` (who handles the product), ``product_instructions``
    (retention, review and destruction) and ``equipment_to_recover`` (identifiers).
    """
    raise NotImplementedError


def record_equipment_recovered(
    authorisation: Authorisation,
    *,
    acting_user: User,
    expected_version: int,
    equipment: str,
    at: datetime | None = None,
) -> CaseEvent:
    """Record that an item listed for recovery on cancellation or expiry has been recovered."""
    raise NotImplementedError
