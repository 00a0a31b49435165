"""Append events to the audit chain, write checkpoints and rotate the chain's key.

Call ``append_event`` inside the transaction that makes the change it records, so the event
commits or rolls back with that change. Appending locks the chain head until the transaction
ends and so serialises every audited write: append as late in the transaction as you can.
"""

from __future__ import annotations

import enum
import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from . import chain
from .context import COMMAND_LINE
from .events import EventType, check_text, event_type_for, validate_payload
from .keys import AuditKey, current_key, known_keys
from .models import AuditCheckpoint, AuditEvent, ChainHead, CheckpointKind
from .requests import source_from_request

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpRequest

logger = logging.getLogger(__name__)


class SystemActor(enum.StrEnum):
    """An actor that is not a signed-in person. The value is stored as the actor label."""

    COMMAND_LINE = "command-line"
    SYSTEM = "system"
    ANONYMOUS = "anonymous"


# The ``source`` of events from the ``cpmp`` command and from scheduled jobs.
COMMAND_LINE_SOURCE = COMMAND_LINE
SYSTEM_SOURCE = "system"


class ChainKeyMismatch(Exception):
    """The chain is signed with a key other than this process's ``CPMP_AUDIT_KEY``."""


def append_event(
    event_type: EventType | str,
    *,
    actor: AbstractBaseUser | AnonymousUser | SystemActor,
    object_type: str,
    object_id: str | int,
    payload: dict[str, Any],
    source: str,
    request_id: str | None = None,
) -> AuditEvent:
    """Append one event to the chain and return it.

    Raises ``InvalidAuditEvent`` for an unknown type or a payload that does not match the
    type's declared shape, and ``ChainKeyMismatch`` when the chain head was signed with a key
    other than ``CPMP_AUDIT_KEY`` (after a rotation, restart with the new key).
    """
    kind = event_type_for(event_type)
    validate_payload(kind, payload)
    actor_id, actor_label = _actor_columns(actor)
    object_id_text = str(object_id)
    check_text("object_type", object_type, 64)
    check_text("object_id", object_id_text, 100)
    check_text("source", source, 64)
    check_text("request_id", request_id or "", 64)
    key = current_key()

    with transaction.atomic():
        head = _locked_head(key)
        event = _append_locked(
            head,
            key,
            kind=kind,
            actor_id=actor_id,
            actor_label=actor_label,
            object_type=object_type,
            object_id=object_id_text,
            payload=payload,
            source=source,
            request_id=request_id or "",
        )
        if event.sequence % settings.CPMP_AUDIT_CHECKPOINT_EVERY == 0:
            _write_checkpoint(head, key, CheckpointKind.PERIODIC)
        _save_head(head, key)

    logger.debug("Audit event %s appended (type %s)", event.sequence, kind.value)
    return event


# Reads recorded under a type of their own, so a SIEM can alert on them; every other protected
# read is ``record.viewed``.
VIEW_EVENT_TYPES = {
    "authorisation": EventType.AUTHORISATION_VIEWED,
    "source_true_identity": EventType.SOURCE_TRUE_IDENTITY_VIEWED,
}


def record_view(request: HttpRequest, obj_type: str, obj_id: str | int) -> AuditEvent:
    """Record that the person behind ``request`` read a protected record.

    Call it after the access check passes and before the record is returned. It stores the
    URL pattern's name, never the path or query string, which may carry names.
    """
    source, request_id = source_from_request(request)
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match is not None else ""
    kind = VIEW_EVENT_TYPES.get(obj_type, EventType.RECORD_VIEWED)
    return append_event(
        kind,
        actor=request.user,
        object_type=obj_type,
        object_id=obj_id,
        payload={"view_name": view_name},
        source=source,
        request_id=request_id,
    )


def create_checkpoint() -> AuditCheckpoint:
    """Sign the current last event as an on-demand checkpoint and return the checkpoint.

    Raises ``ValueError`` when the chain has no event yet.
    """
    key = current_key()
    with transaction.atomic():
        head = _locked_head(key)
        if head.sequence == 0:
            raise ValueError("The audit chain has no events yet, so there is nothing to sign.")
        checkpoint = _write_checkpoint(head, key, CheckpointKind.ON_DEMAND)
        _save_head(head, key)
    logger.info("Audit checkpoint %s written at event %s", checkpoint.number, head.sequence)
    return checkpoint


def rotate_key(*, actor: AbstractBaseUser | SystemActor, source: str) -> AuditCheckpoint:
    """Hand the chain from the key that signed it to ``CPMP_AUDIT_KEY``.

    The retired key must be in ``CPMP_AUDIT_PREVIOUS_KEYS``: it countersigns the rotation
    checkpoint. Events after the checkpoint are chained under the new key, starting with an
    ``audit.key_rotated`` event. Raises ``ChainKeyMismatch`` when the retired key is not
    configured or the chain already uses the current key.
    """
    new_key = current_key()
    with transaction.atomic():
        head = _locked_head(new_key, allow_other_key=True)
        if head.key_id == new_key.key_id:
            raise ChainKeyMismatch(
                f"The audit chain already uses key {new_key.key_id}: set CPMP_AUDIT_KEY to the "
                "new key and CPMP_AUDIT_PREVIOUS_KEYS to the old one before rotating."
            )
        old_key = known_keys().get(head.key_id)
        if old_key is None:
            raise ChainKeyMismatch(
                f"The audit chain uses key {head.key_id}, which is not in "
                "CPMP_AUDIT_PREVIOUS_KEYS: add the old key there to countersign the rotation."
            )
        checkpoint = _write_checkpoint(
            head, new_key, CheckpointKind.KEY_ROTATION, previous_key=old_key
        )
        head.key_id = new_key.key_id
        actor_id, actor_label = _actor_columns(actor)
        _append_locked(
            head,
            new_key,
            kind=EventType.AUDIT_KEY_ROTATED,
            actor_id=actor_id,
            actor_label=actor_label,
            object_type="audit_checkpoint",
            object_id=str(checkpoint.number),
            payload={
                "checkpoint_number": checkpoint.number,
                "previous_key_id": old_key.key_id,
                "key_id": new_key.key_id,
            },
            source=source,
            request_id="",
        )
        _save_head(head, new_key)
    logger.info(
        "Audit key rotated from %s to %s at checkpoint %s",
        old_key.key_id,
        new_key.key_id,
        checkpoint.number,
    )
    return checkpoint


def _actor_columns(
    actor: AbstractBaseUser | AnonymousUser | SystemActor,
) -> tuple[int | None, str]:
    if isinstance(actor, SystemActor):
        return None, actor.value
    if isinstance(actor, AnonymousUser) or not actor.is_authenticated:
        return None, SystemActor.ANONYMOUS.value
    return actor.pk, actor.get_username()


def _locked_head(key: AuditKey, *, allow_other_key: bool = False) -> ChainHead:
    """Lock the chain head row for this transaction, creating it on the first append.

    On PostgreSQL ``SELECT ... FOR UPDATE`` makes other appenders wait here. SQLite ignores
    FOR UPDATE, and the write lock taken at BEGIN (the settings use IMMEDIATE transactions, or
    the INSERT below takes it otherwise) serialises writers instead.
    """
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        initial = ChainHead(
            id=1,
            sequence=0,
            hash=chain.GENESIS_HASH,
            checkpoint_number=0,
            key_id=key.key_id,
            signature=chain.head_signature(
                key, sequence=0, last_hash=chain.GENESIS_HASH, checkpoint_number=0
            ),
        )
        ChainHead.objects.bulk_create([initial], ignore_conflicts=True)
        head = ChainHead.objects.select_for_update().get(pk=1)
    if head.key_id != key.key_id and not allow_other_key:
        raise ChainKeyMismatch(
            f"The audit chain is signed with key {head.key_id} but CPMP_AUDIT_KEY is key "
            f"{key.key_id}: restart with the chain's current key, or run cpmp audit rotate-key."
        )
    return head


def _append_locked(
    head: ChainHead,
    key: AuditKey,
    *,
    kind: EventType,
    actor_id: int | None,
    actor_label: str,
    object_type: str,
    object_id: str,
    payload: dict[str, Any],
    source: str,
    request_id: str,
) -> AuditEvent:
    fields = chain.EventFields(
        sequence=head.sequence + 1,
        occurred_at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label,
        event_type=kind.value,
        object_type=object_type,
        object_id=object_id,
        source=source,
        request_id=request_id,
        payload=payload,
        key_id=key.key_id,
        previous_hash=head.hash,
    )
    event = AuditEvent(
        sequence=fields.sequence,
        occurred_at=fields.occurred_at,
        actor_id=actor_id,
        actor_label=actor_label,
        event_type=fields.event_type,
        object_type=object_type,
        object_id=object_id,
        source=source,
        request_id=request_id,
        payload=payload,
        key_id=key.key_id,
        previous_hash=fields.previous_hash,
        hash=chain.event_hash(key, fields),
    )
    event.save()
    head.sequence = event.sequence
    head.hash = event.hash
    return event


def _write_checkpoint(
    head: ChainHead,
    key: AuditKey,
    kind: CheckpointKind,
    *,
    previous_key: AuditKey | None = None,
) -> AuditCheckpoint:
    previous = AuditCheckpoint.objects.order_by("-number").only("number", "signature").first()
    fields = chain.CheckpointFields(
        number=head.checkpoint_number + 1,
        sequence=head.sequence,
        event_hash=head.hash,
        created_at=timezone.now(),
        kind=kind.value,
        key_id=key.key_id,
        previous_key_id=previous_key.key_id if previous_key else "",
        previous_signature=previous.signature if previous else chain.GENESIS_HASH,
    )
    checkpoint = AuditCheckpoint(
        number=fields.number,
        sequence=fields.sequence,
        event_hash=fields.event_hash,
        created_at=fields.created_at,
        kind=fields.kind,
        key_id=fields.key_id,
        previous_key_id=fields.previous_key_id,
        previous_signature=fields.previous_signature,
        signature=chain.checkpoint_signature(key, fields),
        previous_key_signature=(
            chain.checkpoint_signature(previous_key, fields) if previous_key else ""
        ),
    )
    checkpoint.save()
    head.checkpoint_number = checkpoint.number
    return checkpoint


def _save_head(head: ChainHead, key: AuditKey) -> None:
    head.signature = chain.head_signature(
        key,
        sequence=head.sequence,
        last_hash=head.hash,
        checkpoint_number=head.checkpoint_number,
    )
    head.save(update_fields=["sequence", "hash", "checkpoint_number", "key_id", "signature"])
