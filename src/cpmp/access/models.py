"""People and the roles they hold."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models

from .roles import Rank, Role


class User(AbstractUser):
    """A person who signs in to CPMP: an officer, a member of police staff or an inspector."""

    rank = models.CharField(max_length=40, choices=Rank.choices, default=Rank.STAFF)
    warrant_number = models.CharField(max_length=20, blank=True)
    unit = models.CharField(max_length=120, blank=True)

    def active_roles(self, now: datetime) -> frozenset[str]:
        """Return the roles this person holds at ``now`` (time-limited roles lapse)."""
        assignments = self.role_assignments.filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )
        return frozenset(assignments.values_list("role", flat=True))


class RoleAssignment(models.Model):
    """One role held by one person, optionally until a given instant (inspectors' access lapses)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField(max_length=40, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_assignment_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class OrganisationIdentity(models.Model):
    """The link from a CPMP account to the person's object ID in the force's directory.

    Used only when OpenID Connect sign-in matches people by the ``oid`` claim (Microsoft Entra
    ID's stable, never reassigned object ID). An administrator sets it; sign-in never creates it.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="organisation_identity"
    )
    object_id = models.CharField(
        "Directory object ID",
        max_length=64,
        unique=True,
        help_text=(
            "The oid claim from Microsoft Entra ID, such as 00000000-0000-0000-0000-000000000000."
        ),
    )

    def __str__(self) -> str:
        return f"{self.user_id}:{self.object_id}"
