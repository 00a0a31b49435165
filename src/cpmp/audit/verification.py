"""Walk the audit chain and report the first event or checkpoint that does not verify.

Verification only reads the database. An edited event no longer matches its HMAC, a deleted
one leaves a gap in the sequence, and an inserted or reordered one breaks its HMAC or its
previous hash. It also finds a forged or removed checkpoint. Events deleted from the tail are
found because a checkpoint or the signed chain head names a later event than the last stored.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from . import chain
from .keys import AuditKey, known_keys
from .models import AuditCheckpoint, AuditEvent, ChainHead, CheckpointKind

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000


class MissingKeyError(Exception):
    """Verification needs a key that is neither CPMP_AUDIT_KEY nor in CPMP_AUDIT_PREVIOUS_KEYS."""


@dataclass(frozen=True)
class Problem:
    """The first thing found wrong: the event sequence number it concerns and what is wrong."""

    sequence: int
    kind: str
    detail: str


@dataclass
class VerificationReport:
    """The outcome of one verification run."""

    from_checkpoint: bool
    first_sequence: int = 0
    last_sequence: int = 0
    events_checked: int = 0
    checkpoints_checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return min(self.problems, key=lambda problem: problem.sequence, default=None)

    def as_dict(self) -> dict[str, Any]:
        problem = self.first_problem
        return {
            "status": "intact" if self.intact else "tampered",
            "from_checkpoint": self.from_checkpoint,
            "first_sequence": self.first_sequence,
            "last_sequence": self.last_sequence,
            "events_checked": self.events_checked,
            "checkpoints_checked": self.checkpoints_checked,
            "first_problem": asdict(problem) if problem else None,
        }


def verify_chain(*, from_checkpoint: bool = False) -> VerificationReport:
    """Verify the whole chain, or only the events after the last checkpoint.

    Every checkpoint's signature is checked in both modes. Raises ``MissingKeyError`` when a
    key that signed part of the chain is not configured.
    """
    report = VerificationReport(from_checkpoint=from_checkpoint)
    keys = known_keys()
    checkpoints = list(AuditCheckpoint.objects.order_by("number"))
    report.checkpoints_checked = len(checkpoints)
    _check_checkpoints(checkpoints, keys, report)
    if report.problems:
        # A chain whose checkpoints are forged cannot be trusted from any of them.
        from_checkpoint = False
    segments = _key_segments(checkpoints)

    start_sequence, previous_hash = 1, chain.GENESIS_HASH
    if from_checkpoint and checkpoints:
        last = checkpoints[-1]
        start_sequence, previous_hash = last.sequence + 1, last.event_hash
    report.first_sequence = start_sequence
    report.last_sequence = start_sequence - 1
    checkpoint_hashes = {checkpoint.sequence: checkpoint for checkpoint in checkpoints}

    expected = start_sequence
    for row in _events_from(start_sequence):
        sequence = row["sequence"]
        problem = _check_event(row, expected, previous_hash, segments, keys)
        if problem is None and sequence in checkpoint_hashes:
            checkpoint = checkpoint_hashes[sequence]
            if not chain.signatures_match(checkpoint.event_hash, row["hash"]):
                problem = Problem(
                    sequence,
                    "checkpoint-mismatch",
                    f"Event {sequence} does not have the hash that checkpoint "
                    f"{checkpoint.number} signed.",
                )
        if problem is not None:
            report.problems.append(problem)
            break
        report.events_checked += 1
        report.last_sequence = sequence
        previous_hash = row["hash"]
        expected = sequence + 1

    if not report.problems:
        _check_tail(checkpoints, expected - 1, previous_hash, keys, report)
    _log(report)
    return report


def _events_from(start_sequence: int) -> Iterator[dict[str, Any]]:
    """Yield events in sequence order, in batches found by key so memory stays bounded."""
    columns = [
        "sequence",
        "occurred_at",
        "actor_id",
        "actor_label",
        "event_type",
        "object_type",
        "object_id",
        "source",
        "request_id",
        "payload",
        "key_id",
        "previous_hash",
        "hash",
    ]
    after = start_sequence - 1
    while True:
        batch = list(
            AuditEvent.objects.filter(sequence__gt=after)
            .order_by("sequence")
            .values(*columns)[:BATCH_SIZE]
        )
        yield from batch
        if len(batch) < BATCH_SIZE:
            return
        after = batch[-1]["sequence"]


def _check_event(
    row: dict[str, Any],
    expected: int,
    previous_hash: str,
    segments: list[tuple[int, str]],
    keys: dict[str, AuditKey],
) -> Problem | None:
    sequence = row["sequence"]
    if sequence != expected:
        return Problem(
            expected,
            "missing",
            f"Event {expected} is missing: the next stored event is {sequence}.",
        )
    if not chain.signatures_match(previous_hash, row["previous_hash"]):
        return Problem(
            sequence,
            "broken-link",
            f"Event {sequence} does not chain from the event before it (previous hash differs).",
        )
    expected_key_id = _key_for(sequence, segments, row["key_id"])
    if row["key_id"] != expected_key_id:
        return Problem(
            sequence,
            "wrong-key",
            f"Event {sequence} is signed with key {row['key_id']} where the checkpoints "
            f"require key {expected_key_id}.",
        )
    key = _require_key(keys, expected_key_id, f"event {sequence}")
    fields = chain.EventFields(
        **{name: value for name, value in row.items() if name != "hash"},
    )
    if not chain.signatures_match(chain.event_hash(key, fields), row["hash"]):
        return Problem(
            sequence,
            "hash-mismatch",
            f"Event {sequence} does not match its hash: its contents or hash were changed.",
        )
    return None


def _check_checkpoints(
    checkpoints: list[AuditCheckpoint], keys: dict[str, AuditKey], report: VerificationReport
) -> None:
    previous_signature = chain.GENESIS_HASH
    previous_sequence = 0
    for position, checkpoint in enumerate(checkpoints, start=1):
        problem = _checkpoint_problem(
            checkpoint, position, previous_signature, previous_sequence, keys
        )
        if problem is not None:
            report.problems.append(problem)
            return
        previous_signature = checkpoint.signature
        previous_sequence = checkpoint.sequence


def _checkpoint_problem(
    checkpoint: AuditCheckpoint,
    expected_number: int,
    previous_signature: str,
    previous_sequence: int,
    keys: dict[str, AuditKey],
) -> Problem | None:
    name = f"Checkpoint {checkpoint.number} (event {checkpoint.sequence})"
    if checkpoint.number != expected_number:
        return Problem(
            checkpoint.sequence,
            "checkpoint-missing",
            f"Checkpoint {expected_number} is missing: the next stored one is {checkpoint.number}.",
        )
    if checkpoint.sequence < previous_sequence:
        return Problem(checkpoint.sequence, "checkpoint-order", f"{name} goes back in sequence.")
    if not chain.signatures_match(previous_signature, checkpoint.previous_signature):
        return Problem(
            checkpoint.sequence,
            "checkpoint-forged",
            f"{name} does not chain from the checkpoint before it.",
        )
    fields = chain.CheckpointFields(
        number=checkpoint.number,
        sequence=checkpoint.sequence,
        event_hash=checkpoint.event_hash,
        created_at=checkpoint.created_at,
        kind=checkpoint.kind,
        key_id=checkpoint.key_id,
        previous_key_id=checkpoint.previous_key_id,
        previous_signature=checkpoint.previous_signature,
    )
    key = _require_key(keys, checkpoint.key_id, name)
    if not chain.signatures_match(chain.checkpoint_signature(key, fields), checkpoint.signature):
        return Problem(
            checkpoint.sequence, "checkpoint-forged", f"{name} has an invalid signature."
        )
    if checkpoint.kind == CheckpointKind.KEY_ROTATION:
        old_key = _require_key(keys, checkpoint.previous_key_id, name)
        countersignature = chain.checkpoint_signature(old_key, fields)
        if not chain.signatures_match(countersignature, checkpoint.previous_key_signature):
            return Problem(
                checkpoint.sequence,
                "checkpoint-forged",
                f"{name} is a key rotation without a valid signature by the retired key.",
            )
    elif checkpoint.previous_key_id or checkpoint.previous_key_signature:
        return Problem(
            checkpoint.sequence,
            "checkpoint-forged",
            f"{name} names a retired key but is not a key rotation.",
        )
    return None


def _key_segments(checkpoints: list[AuditCheckpoint]) -> list[tuple[int, str]]:
    """Return (last sequence, key id) pairs: the key that must sign events up to each rotation."""
    return [
        (checkpoint.sequence, checkpoint.previous_key_id)
        for checkpoint in checkpoints
        if checkpoint.kind == CheckpointKind.KEY_ROTATION
    ] + [(-1, _last_key_id(checkpoints))]


def _last_key_id(checkpoints: list[AuditCheckpoint]) -> str:
    rotations = [c for c in checkpoints if c.kind == CheckpointKind.KEY_ROTATION]
    if rotations:
        return rotations[-1].key_id
    head = ChainHead.objects.filter(pk=1).first()
    return head.key_id if head is not None else ""


def _key_for(sequence: int, segments: list[tuple[int, str]], fallback: str) -> str:
    for last_sequence, key_id in segments[:-1]:
        if sequence <= last_sequence:
            return key_id
    return segments[-1][1] or fallback


def _require_key(keys: dict[str, AuditKey], key_id: str, what: str) -> AuditKey:
    key = keys.get(key_id)
    if key is None:
        raise MissingKeyError(
            f"Key {key_id}, which signed {what}, is not configured: add it to "
            "CPMP_AUDIT_PREVIOUS_KEYS to verify this part of the chain."
        )
    return key


def _check_tail(
    checkpoints: list[AuditCheckpoint],
    last_sequence: int,
    last_hash: str,
    keys: dict[str, AuditKey],
    report: VerificationReport,
) -> None:
    """Find events deleted from the tail, by the last checkpoint or by the signed head."""
    if checkpoints and checkpoints[-1].sequence > last_sequence:
        report.problems.append(
            Problem(
                last_sequence + 1,
                "truncated",
                f"Events from {last_sequence + 1} are missing: checkpoint "
                f"{checkpoints[-1].number} signed event {checkpoints[-1].sequence}.",
            )
        )
        return
    head = ChainHead.objects.filter(pk=1).first()
    if head is None:
        if last_sequence > 0 or checkpoints:
            report.problems.append(
                Problem(last_sequence + 1, "head-missing", "The chain head row is missing.")
            )
        return
    key = _require_key(keys, head.key_id, "the chain head")
    signature = chain.head_signature(
        key,
        sequence=head.sequence,
        last_hash=head.hash,
        checkpoint_number=head.checkpoint_number,
    )
    if not chain.signatures_match(signature, head.signature):
        report.problems.append(
            Problem(last_sequence + 1, "head-forged", "The chain head has an invalid signature.")
        )
    elif head.sequence > last_sequence:
        report.problems.append(
            Problem(
                last_sequence + 1,
                "truncated",
                f"Events from {last_sequence + 1} are missing: the chain head names event "
                f"{head.sequence}.",
            )
        )
    elif head.sequence < last_sequence or not chain.signatures_match(head.hash, last_hash):
        report.problems.append(
            Problem(
                head.sequence + 1,
                "appended-without-head",
                f"Events after {head.sequence} were added without moving the signed chain head.",
            )
        )
    elif head.checkpoint_number != len(checkpoints):
        report.problems.append(
            Problem(
                last_sequence + 1,
                "checkpoint-missing",
                f"The chain head names checkpoint {head.checkpoint_number} but "
                f"{len(checkpoints)} are stored.",
            )
        )


def _log(report: VerificationReport) -> None:
    problem = report.first_problem
    if problem is None:
        logger.info(
            "Audit chain intact: events %s to %s, %s checkpoints",
            report.first_sequence,
            report.last_sequence,
            report.checkpoints_checked,
        )
    else:
        logger.error(
            "Audit chain tampered: first problem at event %s (%s)", problem.sequence, problem.kind
        )
