"""``cpmp rotate_field_encryption``: re-encrypt every encrypted field with the current key.

Run it after putting a new key first in ``CPMP_FIELD_ENCRYPTION_KEYS`` and deploying, and
before removing the old key. Rows are read and rewritten in batches, each batch in its own
transaction with its audit event, so an interrupted run can simply be run again. A value
already encrypted with the current key is left as it is, so a second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models.functions import Cast

from cpmp.access.crypto import (
    FieldDecryptionFailed,
    current_key_id,
    is_encrypted_with_current_key,
    rotate_token,
)
from cpmp.access.fields import EncryptedFieldMixin
from cpmp.audit.actions import COMMAND_LINE_SOURCE, SystemActor, append_event
from cpmp.audit.events import EventType

DEFAULT_BATCH_SIZE = 500


@dataclass
class FieldCounts:
    label: str
    values: int = 0
    reencrypted: int = 0


def encrypted_fields() -> list[tuple[type[models.Model], list[models.Field[Any, Any]]]]:
    """Return every installed concrete model with its encrypted fields, in a stable order."""
    found: list[tuple[type[models.Model], list[models.Field[Any, Any]]]] = []
    for model in sorted(apps.get_models(), key=lambda model: model._meta.label):
        fields: list[models.Field[Any, Any]] = [
            field for field in model._meta.concrete_fields if isinstance(field, EncryptedFieldMixin)
        ]
        if fields and not model._meta.proxy:
            found.append((model, fields))
    return found


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field of every model with the first key in "
        "CPMP_FIELD_ENCRYPTION_KEYS, then print how many values each field held and how many "
        "were re-encrypted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count the values that would be re-encrypted; change nothing and audit nothing.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Rows read and rewritten per transaction (default {DEFAULT_BATCH_SIZE}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError(f"--batch-size must be 1 or more, not {batch_size}.")
        dry_run = options["dry_run"]
        key_id = current_key_id()

        all_counts: list[FieldCounts] = []
        try:
            for model, fields in encrypted_fields():
                all_counts.extend(
                    self._rotate_model(model, fields, batch_size, dry_run=dry_run, key_id=key_id)
                )
        except FieldDecryptionFailed as error:
            raise CommandError(str(error)) from error

        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        for counts in all_counts:
            self.stdout.write(
                f"{counts.label}: {counts.values} values, {counts.reencrypted} {verb}"
            )
        total = sum(counts.reencrypted for counts in all_counts)
        values = sum(counts.values for counts in all_counts)
        prefix = "Dry run: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{total} of {values} values in {len(all_counts)} fields {verb} "
            f"with key {key_id}."
        )

    def _rotate_model(
        self,
        model: type[models.Model],
        fields: list[models.Field[Any, Any]],
        batch_size: int,
        *,
        dry_run: bool,
        key_id: str,
    ) -> list[FieldCounts]:
        counts = {field.name: FieldCounts(f"{model._meta.label}.{field.name}") for field in fields}
        # Cast to plain text so the ORM hands back the stored token, not the decrypted value.
        raw = {f"raw_{field.name}": Cast(field.name, models.TextField()) for field in fields}
        last_pk: Any = None
        while True:
            with transaction.atomic():
                rows = model._default_manager.order_by("pk")
                if last_pk is not None:
                    rows = rows.filter(pk__gt=last_pk)
                if not dry_run:
                    rows = rows.select_for_update()
                batch = list(rows.annotate(**raw).values("pk", *raw)[:batch_size])
                if not batch:
                    break
                changed = self._rotate_batch(model, fields, batch, counts, dry_run=dry_run)
                if changed and not dry_run:
                    append_event(
                        EventType.FIELD_ENCRYPTION_ROTATED,
                        actor=SystemActor.COMMAND_LINE,
                        object_type=model._meta.label_lower,
                        object_id=f"{batch[0]['pk']}-{batch[-1]['pk']}",
                        payload={
                            "model": model._meta.label_lower,
                            "key_id": key_id,
                            "reencrypted_count": changed,
                            "first_id": str(batch[0]["pk"]),
                            "last_id": str(batch[-1]["pk"]),
                        },
                        source=COMMAND_LINE_SOURCE,
                    )
                last_pk = batch[-1]["pk"]
        return list(counts.values())

    def _rotate_batch(
        self,
        model: type[models.Model],
        fields: list[models.Field[Any, Any]],
        batch: list[dict[str, Any]],
        counts: dict[str, FieldCounts],
        *,
        dry_run: bool,
    ) -> int:
        """Re-encrypt the batch's stale values and return how many were stale."""
        changed = 0
        for row in batch:
            updates: dict[str, Any] = {}
            for field in fields:
                token = row[f"raw_{field.name}"]
                if token is None:
                    continue
                counts[field.name].values += 1
                if is_encrypted_with_current_key(token):
                    continue
                label = f"{model._meta.label}.{field.name} (row {row['pk']})"
                # A Value with a plain text output field is written as it is, not encrypted again.
                updates[field.name] = models.Value(
                    rotate_token(token, label=label), output_field=models.TextField()
                )
                counts[field.name].reencrypted += 1
            if updates:
                changed += len(updates)
                if not dry_run:
                    model._default_manager.filter(pk=row["pk"]).update(**updates)
        return changed
