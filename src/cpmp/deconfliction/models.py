"""The deconfliction index and the cases raised when two operations share an identifier.

A case's identifiers belong to two compartments. Each side's team sees only that a match
exists, its category and the deconfliction officer's contact; the officer sees both. The
views and API shape their responses through ``cpmp.deconfliction.access``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from . import normalise


class IdentifierCategory(models.TextChoices):
    SUBJECT = normalise.SUBJECT, "Subject"
    ADDRESS = normalise.ADDRESS, "Address"
    VEHICLE = normalise.VEHICLE, "Vehicle"
    PHONE = normalise.PHONE, "Phone number"
    ONLINE_IDENTITY = normalise.ONLINE_IDENTITY, "Online identity"


class Identifier(models.Model):
    """One identifier an operation has an interest in, from its conduct or entered by its team."""

    operation = models.ForeignKey(
        "operations.Operation", on_delete=models.PROTECT, related_name="deconfliction_identifiers"
    )
    category = models.CharField(max_length=20, choices=IdentifierCategory.choices)
    value = models.CharField(max_length=200)
    normalised = models.CharField(max_length=200)
    # Set when the identifier comes from an authorisation's conduct.
    conduct = models.OneToOneField(
        "authorities.AuthorisedConduct",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deconfliction_identifier",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deconfliction_identifiers",
    )
    added_at = models.DateTimeField()
    # False once the conduct it came from is withdrawn; it then raises no new case.
    active = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["category", "normalised"], name="identifier_match")]

    def __str__(self) -> str:
        return f"identifier {self.pk}"


class CaseState(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class CaseOutcome(models.TextChoices):
    NO_CONFLICT = "no-conflict", "No conflict: both may continue"
    COORDINATED = "coordinated", "Both continue with agreed coordination"
    ONE_DEFERS = "one-defers", "One operation defers to the other"
    JOINT = "joint", "The operations work jointly"


class DeconflictionCase(models.Model):
    """A match between two operations on one identifier. Operation "a" has the lower id."""

    category = models.CharField(max_length=20, choices=IdentifierCategory.choices)
    normalised = models.CharField(max_length=200)
    operation_a = models.ForeignKey(
        "operations.Operation", on_delete=models.PROTECT, related_name="deconfliction_cases_a"
    )
    operation_b = models.ForeignKey(
        "operations.Operation", on_delete=models.PROTECT, related_name="deconfliction_cases_b"
    )
    identifier_a = models.ForeignKey(Identifier, on_delete=models.PROTECT, related_name="+")
    identifier_b = models.ForeignKey(Identifier, on_delete=models.PROTECT, related_name="+")
    # The deconfliction officer the case was raised to; both sides see how to contact them.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deconfliction_cases",
    )
    state = models.CharField(max_length=20, choices=CaseState.choices, default=CaseState.OPEN)
    outcome = models.CharField(max_length=20, choices=CaseOutcome.choices, blank=True)
    # Seen by the deconfliction officer only: it may name both operations.
    outcome_notes = models.TextField(blank=True)
    raised_at = models.DateTimeField()
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deconfliction_cases_resolved",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["operation_a", "operation_b", "category", "normalised"],
                name="one_case_per_match",
            ),
            models.CheckConstraint(
                condition=models.Q(operation_a__lt=models.F("operation_b")),
                name="case_operations_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"deconfliction case {self.pk}"
