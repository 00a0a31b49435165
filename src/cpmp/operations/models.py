"""Operations and their teams. An operation is a compartment: its records are visible to its
members and to the roles that oversee every operation, and to nobody else."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class OperationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class OperationKind(models.TextChoices):
    OPERATION = "operation", "Operation"
    INVESTIGATION = "investigation", "Investigation"


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Operation(models.Model):
    # The name as the force writes it ("Op Gingerbread"); unique because registers refer to
    # operations by name.
    name = models.CharField(max_length=200, unique=True)
    senior_investigating_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operations_led",
    )
    status = models.CharField(
        max_length=20, choices=OperationStatus.choices, default=OperationStatus.ACTIVE
    )
    kind = models.CharField(
        max_length=20, choices=OperationKind.choices, default=OperationKind.OPERATION
    )
    # The force's own reference ("OP/2026/0042"); blank for operations made by an import.
    reference = models.CharField(max_length=50, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="OperationMembership", related_name="operations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                condition=~models.Q(reference=""),
                name="operation_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"operation {self.pk}"


class OperationMembership(models.Model):
    """A person's place in an operation's team, which lets them see its records."""

    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="operation_memberships"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["operation", "user"], name="one_membership_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.operation_id}"
