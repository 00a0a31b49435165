"""Actions that change the oversight records: previewing and storing a legacy central record.

The web page and the ``cpmp import central-record`` command call these same functions. A
preview stores the file and its report but no authorisation; confirming stores each record
as an ``Authorisation`` once, keyed by the fingerprint of its normalised cells.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from cpmp.audit.actions import COMMAND_LINE_SOURCE, SYSTEM_SOURCE, SystemActor
from cpmp.authorities.models import Authorisation, AuthorityType, Origin
from cpmp.operations.actions import link_or_create_operation

from .importing.errors import ImportFailed
from .importing.report import ImportedRecord, build_report
from .models import CentralRecordImport, ImportChannel, ImportState

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    unchanged: int
    import_id: int


def _channel(acting_user: Any, from_command_line: bool) -> str:
    if from_command_line:
        return ImportChannel.COMMAND_LINE
    if acting_user is None:
        raise ValueError("an import needs an acting user unless it runs from the command line")
    return ImportChannel.WEB


def preview_central_record_import(
    *,
    file_name: str,
    content: bytes,
    as_at: date,
    mapping: dict[str, str] | None,
    acting_user: Any,
    from_command_line: bool = False,
) -> CentralRecordImport:
    """Read ``content`` and save it with its report, storing no authorisation.

    Raises ``ImportFailed`` when the file cannot be read; nothing is saved then.
    """
    channel = _channel(acting_user, from_command_line)
    report = build_report(file_name, content, as_at=as_at, mapping=mapping)
    with transaction.atomic():
        batch = CentralRecordImport.objects.create(
            file_name=file_name,
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            as_at=as_at,
            mapping=mapping or {},
            report=report.as_json(),
            state=ImportState.PREVIEWED,
            imported_by=acting_user,
            channel=channel,
        )
    logger.info(
        "central record previewed: import=%s records=%s skipped=%s channel=%s",
        batch.pk,
        len(report.records),
        len(report.skipped),
        channel,
    )
    return batch


def confirm_central_record_import(
    import_id: int,
    *,
    acting_user: Any,
    from_command_line: bool = False,
    source: str | None = None,
    request_id: str | None = None,
) -> ImportOutcome:
    """Store the records of a previewed import; a record already stored is left unchanged.

    Each stored record is linked to the operation its "operation" cell names, which is created
    when none exists, so the record is in that compartment from the start. ``source`` and
    ``request_id`` are what the audit records for each operation created (the client address
    for a web request).
    """
    _channel(acting_user, from_command_line)
    audit_actor = SystemActor.COMMAND_LINE if from_command_line else acting_user
    audit_source = source or (COMMAND_LINE_SOURCE if from_command_line else SYSTEM_SOURCE)
    with transaction.atomic():
        batch = CentralRecordImport.objects.select_for_update().get(pk=import_id)
        report = build_report(
            batch.file_name, bytes(batch.content), as_at=batch.as_at, mapping=batch.mapping
        )
        created = 0
        unchanged = 0
        for record in report.records:
            fingerprint = record.row.fingerprint()
            if Authorisation.objects.filter(fingerprint=fingerprint).exists():
                unchanged += 1
                continue
            fields = _authorisation_fields(record, batch, fingerprint)
            fields["operation_ref"] = link_or_create_operation(
                fields["operation"],
                acting_user=audit_actor,
                source=audit_source,
                request_id=request_id,
            )
            Authorisation.objects.create(**fields)
            created += 1
        batch.state = ImportState.STORED
        batch.stored_at = timezone.now()
        batch.save(update_fields=["state", "stored_at"])
    logger.info(
        "central record stored: import=%s created=%s unchanged=%s", batch.pk, created, unchanged
    )
    return ImportOutcome(created=created, unchanged=unchanged, import_id=batch.pk)


def _authorisation_fields(
    record: ImportedRecord, batch: CentralRecordImport, fingerprint: str
) -> dict[str, Any]:
    facts = record.facts
    assessment = record.assessment
    kind = facts.kind.kind if facts.kind else None
    details = dict(facts.details)
    details["rules"] = list(assessment.rules)
    return {
        "origin": Origin.IMPORTED,
        "authority_type": AuthorityType(facts.regime.value),
        "reference": facts.reference,
        "kind": kind.value if kind else None,
        "operation": facts.operation[:200],
        "urgent": facts.urgent,
        "oral": facts.oral,
        "juvenile": facts.juvenile or (kind is not None and kind.value == "juvenile-chis"),
        "granted": facts.granted.iso() if facts.granted else "",
        "granted_from": facts.granted.earliest() if facts.granted else None,
        "takes_effect": assessment.takes_effect.iso() if assessment.takes_effect else "",
        "takes_effect_from": (
            assessment.takes_effect.earliest() if assessment.takes_effect else None
        ),
        "cancelled": assessment.cancelled.iso() if assessment.cancelled else "",
        "cancelled_from": assessment.cancelled.earliest() if assessment.cancelled else None,
        "expires_at": assessment.expires_at,
        "expires_earliest": assessment.expires_earliest,
        "expires_latest": assessment.expires_latest,
        "state": assessment.state,
        "findings": list(assessment.findings),
        "details": details,
        "import_batch": batch,
        "source_record": record.row.number,
        "fingerprint": fingerprint,
    }


__all__ = [
    "ImportFailed",
    "ImportOutcome",
    "confirm_central_record_import",
    "preview_central_record_import",
]
