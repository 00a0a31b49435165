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
