"""The asset register: one ``Asset`` row per bookable asset, extended by a model per kind.

Django's multi-table inheritance gives each kind its own table (``Equipment`` has a serial
number, an ``UndercoverOfficer`` an accreditation) while bookings and deployments point at
``Asset``. Assets belong to the force, not to an operation: the operation appears only on a
booking or deployment, which the compartment policy protects.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from cpmp.access.fields import EncryptedTextField
from cpmp.authorities.models import ConductCategory


class ImmutableRecord(Exception):
    """An attempt to change or delete a custody entry through the ORM."""


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset whose rows can be inserted and read, never updated or deleted."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableRecord(f"{self.model.__name__} rows are never updated: add a new one")

    def delete(self) -> NoReturn:
        raise ImmutableRecord(f"{self.model.__name__} rows are never deleted")


class AssetKind(models.TextChoices):
    UNDERCOVER_OFFICER = "undercover-officer", "Undercover officer"
    EQUIPMENT = "equipment", "Technical equipment"
    VEHICLE = "vehicle", "Vehicle"
    PREMISES = "premises", "Premises"
    COVERT_IDENTITY = "covert-identity", "Covert identity or legend"


# The ``AuthorisedConduct`` category that names an asset of each kind. An undercover officer
# is covered through the relevant-source authorisation of their source record instead.
CONDUCT_CATEGORY: dict[str, str] = {
    AssetKind.EQUIPMENT: ConductCategory.EQUIPMENT,
    AssetKind.VEHICLE: ConductCategory.VEHICLE,
    AssetKind.PREMISES: ConductCategory.PREMISES,
    AssetKind.COVERT_IDENTITY: ConductCategory.ONLINE_ACCOUNT,
}


class Asset(models.Model):
    """One bookable covert asset, known by its force reference ("TECH/0042")."""

    kind = models.CharField(max_length=30, choices=AssetKind.choices)
    reference = models.CharField(max_length=50, unique=True)
    # A short, non-sensitive description for lists ("GPS tracker, magnetic").
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"asset {self.pk}"

    def conduct_identifiers(self) -> set[str]:
        """Return the identifiers an authority's conduct may name this asset by."""
        identifiers = {self.reference}
        detail = self.detail()
        if isinstance(detail, Equipment) and detail.serial_number:
            identifiers.add(detail.serial_number)
        if isinstance(detail, Vehicle) and detail.registration:
            identifiers.add(detail.registration)
        if isinstance(detail, CovertIdentity) and detail.handle:
            identifiers.add(detail.handle)
        return identifiers

    def detail(self) -> Any:
        """Return the kind's own row (an ``Equipment``, a ``Vehicle`` …) for this asset."""
        attribute = {
            AssetKind.UNDERCOVER_OFFICER: "undercoverofficer",
            AssetKind.EQUIPMENT: "equipment",
            AssetKind.VEHICLE: "vehicle",
            AssetKind.PREMISES: "premises",
            AssetKind.COVERT_IDENTITY: "covertidentity",
        }[AssetKind(self.kind)]
        if isinstance(self, (UndercoverOfficer, Equipment, Vehicle, Premises, CovertIdentity)):
            return self
        return getattr(self, attribute)


class UndercoverStatus(models.TextChoices):
    """The statuses the national undercover index records."""

    ACTIVE = "active", "Active"
    RESERVE = "reserve", "Reserve"
    DORMANT = "dormant", "Dormant"


class AccreditationLevel(models.TextChoices):
    FOUNDATION = "foundation", "Foundation"
    ADVANCED = "advanced", "Advanced"


class UndercoverOfficer(Asset):
    """An undercover officer (UCO), known by reference; the officer's account is optional.

    A UCO deployed under a relevant-source authorisation is recorded as a ``Source``
    (``source``), which the authorisation's application names.
    """

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="undercover_records",
    )
    source = models.OneToOneField(
        "assets.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="undercover_officer",
    )
    status = models.CharField(
        max_length=20, choices=UndercoverStatus.choices, default=UndercoverStatus.ACTIVE
    )
    accreditation_level = models.CharField(
        max_length=20, choices=AccreditationLevel.choices, default=AccreditationLevel.FOUNDATION
    )
    accredited_on = models.DateField(null=True, blank=True)
    accreditation_expires_on = models.DateField(null=True, blank=True)
    training_due_on = models.DateField(null=True, blank=True)
    psychological_assessment_due_on = models.DateField(null=True, blank=True)
    # The officer's entry on the national undercover index, once the index has given one.
    national_index_reference = models.CharField(max_length=50, blank=True)


class CovertIdentity(Asset):
    """A covert identity or legend: the persona, documents or online account an officer uses."""

    identity_type = models.CharField(
        max_length=20,
        choices=[
            ("legend", "Legend"),
            ("online-persona", "Online persona"),
            ("documents", "Backstopping documents"),
        ],
    )
    # The online handle or account name, where there is one; matched against conduct.
    handle = models.CharField(max_length=200, blank=True)
    undercover_officer = models.ForeignKey(
        UndercoverOfficer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legends",
    )
    retired_on = models.DateField(null=True, blank=True)


class Equipment(Asset):
    """An item of technical equipment: tracker, camera, audio device or similar."""

    equipment_type = models.CharField(max_length=100)
    serial_number = models.CharField(max_length=100, blank=True)
    capability = models.TextField(blank=True)
    # Where the item is now, as the last custody entry recorded it.
    location = models.CharField(max_length=200, blank=True)


class CustodyEntry(models.Model):
    """One link in an item's chain of custody, written once and never changed or deleted."""

    equipment = models.ForeignKey(Equipment, on_delete=models.PROTECT, related_name="custody")
    occurred_at = models.DateTimeField()
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.CharField(max_length=200)
    reason = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"custody entry {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRecord(f"custody entry {self.pk} is never changed: add a new one")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableRecord(f"custody entry {self.pk} is never deleted")


class Vehicle(Asset):
    """A covert vehicle of the force's fleet."""

    registration = models.CharField(max_length=20)
    make_and_model = models.CharField(max_length=100, blank=True)
    colour = models.CharField(max_length=50, blank=True)


class Premises(Asset):
    """Premises the force uses covertly, such as an observation post; the address is
    encrypted at rest and shown only on the premises' own page."""

    premises_type = models.CharField(
        max_length=30,
        choices=[
            ("observation-post", "Observation post"),
            ("safe-house", "Safe house"),
            ("other", "Other"),
        ],
    )
    address = EncryptedTextField(blank=True)

    class Meta:
        verbose_name_plural = "premises"
