"""The relevant errors register (IPA 2016 s.231)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ErrorCategory(models.TextChoices):
    ACTIVITY_BEFORE_AUTHORITY = "activity-before-authority", "Activity before the authority"
    ACTIVITY_AFTER_END = (
        "activity-after-end",
        "Activity after the authority expired or was cancelled",
    )
    EQUIPMENT_LEFT_IN_SITU = "equipment-left-in-situ", "Equipment left in place"
    WRONG_RANK = "wrong-rank", "Authorised by the wrong rank"
    OUTSIDE_AUTHORISED_CONDUCT = "outside-authorised-conduct", "Outside the authorised conduct"
    OTHER = "other", "Other"


class ErrorStatus(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    CONFIRMED = "confirmed", "Confirmed"
    REPORTED = "reported", "Reported to the IPC"
    CLOSED = "closed", "Closed"
    DISMISSED = "dismissed", "Dismissed"


class RelevantError(models.Model):
    """One possible or established relevant error and its report to the Commissioner.

    A candidate becomes an error only when a person confirms it and records the day internal
    governance established it, because the reporting clock runs from that day.
    """

    summary = models.TextField()
    category = models.CharField(max_length=40, choices=ErrorCategory.choices)
    status = models.CharField(
        max_length=20, choices=ErrorStatus.choices, default=ErrorStatus.CANDIDATE
    )
    # The compartment: people in this operation's team see the error. None means only the
    # roles that see every error.
    operation = models.ForeignKey(
        "operations.Operation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relevant_errors",
    )
    authorisations = models.ManyToManyField(
        "authorities.Authorisation", blank=True, related_name="relevant_errors"
    )
    recovery_task = models.ForeignKey(
        "deployments.RecoveryTask",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relevant_errors",
    )
    occurred_on = models.DateField(null=True, blank=True)
    established_on = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_relevant_errors",
    )
    # Set for a candidate raised by ``cpmp errors detect``, so a second run never raises it
    # again, such as "finding:17:never_cancelled" or "recovery-task:4".
    detection_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    raised_at = models.DateTimeField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dismissal_reasons = models.TextField(blank=True)
    reported_on = models.DateField(null=True, blank=True)
    ipc_reference = models.CharField(max_length=100, blank=True)
    # The Commissioner's decision whether the error is serious (IPA 2016 s.231(2)); None until
    # the decision is recorded.
    ipc_serious = models.BooleanField(null=True, blank=True)
    ipc_decided_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "established_on"], name="error_status_day")]

    def __str__(self) -> str:
        return f"relevant error {self.pk}"
