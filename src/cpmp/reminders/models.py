"""The record of each reminder e-mail, so that none is sent twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SentReminder(models.Model):
    """One reminder of one deadline to one person at one lead time.

    A deadline is identified by its kind, authorisation, due instant and detail (the notice
    step or the item of equipment), so a renewal that moves an expiry gives a new deadline.
    The unique constraint is what stops a second send: two schedulers running at once both
    try to insert the row, and only one insert succeeds. ``sent_at`` stays null until the
    e-mail backend accepts the message. ``claimed_at`` marks a send in progress, so that a
    retry by another run does not send it twice.
    """

    deadline_kind = models.CharField(max_length=40)
    authorisation = models.ForeignKey(
        "authorities.Authorisation", on_delete=models.PROTECT, related_name="reminders"
    )
    due_at = models.DateTimeField()
    detail = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders"
    )
    # Days before the due day: 0 is the due day itself, and an overdue deadline's reminder.
    lead_days = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The exception's class name from the last failed send; never its message, which may
    # repeat an address.
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "deadline_kind",
                    "authorisation",
                    "due_at",
                    "detail",
                    "person",
                    "lead_days",
                ],
                name="one_reminder_per_deadline_person_lead",
            )
        ]
        indexes = [models.Index(fields=["sent_at", "claimed_at"], name="reminder_unsent")]

    def __str__(self) -> str:
        return f"reminder {self.pk}"
