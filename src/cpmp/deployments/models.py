"""Bookings of assets for operations, deployments under authorities, and what follows them.

A ``Booking`` reserves an asset for an operation over a window; two live bookings of one
asset never overlap. A ``Deployment`` records what an asset did, where and when, and is
made only by ``actions.record_deployment``, which refuses it unless a live authority covers
it. A ``RecoveryTask`` is raised for each deployment still in place when its authority ends,
and a ``ReviewTrigger`` when an undercover officer's deployment in one operation runs long.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Booking(models.Model):
    asset = models.ForeignKey("assets.Asset", on_delete=models.PROTECT, related_name="bookings")
    operation = models.ForeignKey(
        "operations.Operation", on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField()
    # Exclusive end of the booked window.
    ends_at = models.DateTimeField()
    purpose = models.CharField(max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="booking_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["asset", "starts_at"], name="booking_asset_window")]

    def __str__(self) -> str:
        return f"booking {self.pk}"


class EndReason(models.TextChoices):
    STOOD_DOWN = "stood-down", "Stood down"
    RECOVERED = "recovered", "Recovered"


class Deployment(models.Model):
    """One use of an asset under one authorisation: what it did, where and when."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="deployments")
    asset = models.ForeignKey("assets.Asset", on_delete=models.PROTECT, related_name="deployments")
    operation = models.ForeignKey(
        "operations.Operation", on_delete=models.PROTECT, related_name="deployments"
    )
    authorisation = models.ForeignKey(
        "authorities.Authorisation", on_delete=models.PROTECT, related_name="deployments"
    )
    # The ``AuthorisedConduct`` identifiers the deployment was checked against.
    subject = models.CharField(max_length=200)
    tactic = models.CharField(max_length=200)
    location = models.CharField(max_length=200)
    activity = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    # The planned end; the asset stays deployed until ``ended_at`` is recorded.
    ends_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="deployment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"deployment {self.pk}"


class RecoveryReason(models.TextChoices):
    CANCELLED = "cancelled", "Authority cancelled"
    EXPIRED = "expired", "Authority expired"


class EscalationLevel(models.IntegerChoices):
    """Who a recovery task is escalated to, by how long it has been open."""

    SENIOR_INVESTIGATING_OFFICER = 0, "Senior investigating officer"
    TECHNICAL_UNIT_MANAGER = 1, "Technical unit manager"
    SENIOR_RESPONSIBLE_OFFICER = 2, "Senior responsible officer"


class RecoveryTask(models.Model):
    """Switch off or recover an asset left deployed when its authority ended."""

    deployment = models.OneToOneField(
        Deployment, on_delete=models.PROTECT, related_name="recovery_task"
    )
    authorisation = models.ForeignKey(
        "authorities.Authorisation", on_delete=models.PROTECT, related_name="recovery_tasks"
    )
    reason = models.CharField(max_length=20, choices=RecoveryReason.choices)
    raised_at = models.DateTimeField()
    escalation_level = models.PositiveSmallIntegerField(
        choices=EscalationLevel.choices, default=EscalationLevel.SENIOR_INVESTIGATING_OFFICER
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where the asset was recovered to, for equipment the start of its next custody entry.
    recovered_to = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"recovery task {self.pk}"


class ReviewTrigger(models.Model):
    """An authorising officer's review due because a UCO's deployment in one operation has
    lasted six months or more (HMIC, undercover policing inspection, 2014)."""

    undercover_officer = models.ForeignKey(
        "assets.UndercoverOfficer", on_delete=models.PROTECT, related_name="review_triggers"
    )
    operation = models.ForeignKey(
        "operations.Operation", on_delete=models.PROTECT, related_name="review_triggers"
    )
    raised_at = models.DateTimeField()
    first_deployed_at = models.DateTimeField()
    deployed_days = models.PositiveIntegerField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The reviewer's note on closing: what was reviewed and decided.
    review_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["undercover_officer", "operation"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_review_trigger",
            ),
        ]

    def __str__(self) -> str:
        return f"review trigger {self.pk}"
