"""Covert assets: sources, undercover officers, equipment, vehicles, premises and identities.

A source stays in its own table behind the sterile corridor. Every other kind is an ``Asset``
(one register row with a unique reference) extended by a model of its own, so bookings and
deployments point at one table whatever the kind.
"""

from .register import (
    AccreditationLevel,
    Asset,
    AssetKind,
    CovertIdentity,
    CustodyEntry,
    Equipment,
    ImmutableRecord,
    Premises,
    UndercoverOfficer,
    UndercoverStatus,
    Vehicle,
)
from .sources import Source, SourceStatus

__all__ = [
    "AccreditationLevel",
    "Asset",
    "AssetKind",
    "CovertIdentity",
    "CustodyEntry",
    "Equipment",
    "ImmutableRecord",
    "Premises",
    "Source",
    "SourceStatus",
    "UndercoverOfficer",
    "UndercoverStatus",
    "Vehicle",
]
