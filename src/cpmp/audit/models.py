"""The audit tables: events, signed checkpoints and the one-row chain head.

Events and checkpoints are append-only. Database triggers reject UPDATE and DELETE on both
SQLite and PostgreSQL (migration 0002), and the guards below raise before the query is sent.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Something tried to change or delete an audit event or checkpoint."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.label} rows are append-only: update rejected.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.label} rows are append-only: delete rejected.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} rows are append-only: save of a stored row.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self._meta.label} rows are append-only: delete rejected.")


class AuditEvent(AppendOnlyModel):
    """One recorded read or change, chained to the event before it by an HMAC."""

    # Gapless: assigned under the chain head's lock inside the appending transaction.
    sequence = models.BigIntegerField(primary_key=True)
    occurred_at = models.DateTimeField()
    # PROTECT because an account that acted must stay; deactivate it instead of deleting it.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The username at the time, or "command-line", "system" or "anonymous".
    actor_label = models.CharField(max_length=150)
    event_type = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=100, blank=True)
    # An IP address, or "command-line" or "system".
    source = models.CharField(max_length=64)
    request_id = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(default=dict)
    key_id = models.CharField(max_length=16)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_event_object"),
            models.Index(fields=["actor", "occurred_at"], name="audit_event_actor_time"),
            models.Index(fields=["occurred_at"], name="audit_event_time"),
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.event_type}"


class CheckpointKind(models.TextChoices):
    PERIODIC = "periodic", "Every CPMP_AUDIT_CHECKPOINT_EVERY events"
    ON_DEMAND = "on-demand", "Requested with cpmp audit checkpoint"
    KEY_ROTATION = "key-rotation", "Hands the chain to a new key"


class AuditCheckpoint(AppendOnlyModel):
    """A signed statement that event ``sequence`` had hash ``event_hash``.

    Checkpoints are numbered without gaps and each signs the previous one's signature, so a
    checkpoint cannot be removed from the middle unnoticed. A key-rotation checkpoint is signed
    by the new key and, in ``previous_key_signature``, by the key it replaces.
    """

    number = models.BigIntegerField(primary_key=True)
    sequence = models.BigIntegerField()
    event_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=CheckpointKind.choices)
    key_id = models.CharField(max_length=16)
    previous_key_id = models.CharField(max_length=16, blank=True)
    previous_signature = models.CharField(max_length=64)
    signature = models.CharField(max_length=64)
    previous_key_signature = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"checkpoint {self.number} at {self.sequence}"


class ChainHead(models.Model):
    """The chain's last event and checkpoint, signed; its row is the lock that serialises appends.

    This row is updated on every append, so it is not append-only. Its signature lets
    verification notice events deleted from the tail, unless an older signed state is replayed.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    checkpoint_number = models.BigIntegerField()
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_one_chain_head")
        ]

    def __str__(self) -> str:
        return f"head at {self.sequence}"
