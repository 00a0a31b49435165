"""``/api/central-record-imports``: upload a legacy central record, preview it and store it.

Both endpoints call the actions the import page calls (``cpmp.oversight.actions``). Only
people who may import central records and who oversee every operation may use them, because
a report lists the records of every operation: today that is the gatekeeper.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import IntegrityError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, UploadedFile

from cpmp.access.compartments import oversees_all_operations
from cpmp.access.predicates import can_import_central_record
from cpmp.audit.actions import record_view
from cpmp.audit.requests import source_from_request
from cpmp.errors import Conflict, InvalidRequest, NotFound
from cpmp.law.periods import LONDON
from cpmp.oversight.access import access_import
from cpmp.oversight.actions import (
    confirm_central_record_import,
    preview_central_record_import,
)
from cpmp.oversight.forms import ACCEPTED_SUFFIXES, MAX_MAPPING_LINES, megabytes_text
from cpmp.oversight.models import CentralRecordImport

from .auth import authenticated_user
from .errors import error_responses
from .permissions import requires

router = Router(tags=["central record imports"])


class ImportedRecordReport(Schema):
    source_record: int
    reference: str | None
    kind: str | None
    urgent: bool
    granted_at: str | None
    takes_effect_at: str | None
    expires_at: str | None
    status: str
    findings: list[str]


class SkippedRecord(Schema):
    source_record: int
    reason: str


class ImportCounts(Schema):
    import_id: int
    # Records stored by this confirmation.
    created: int
    # Records already in the register, which were left as they were.
    unchanged: int


class ImportPreview(Schema):
    import_id: int
    state: str
    file: str
    as_at: date
    records: list[ImportedRecordReport]
    skipped: list[SkippedRecord]
    # The counts when dry_run was false and the records were stored at once; otherwise null.
    stored: ImportCounts | None = Field(None)


def may_import_central_record(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may upload and store central records, as the import page does."""
    if not can_import_central_record(user, now):
        return False
    return oversees_all_operations(user, now)


def import_not_found() -> NotFound:
    """Build the one 404 for an import that is missing or that the caller may not use."""
    return NotFound("No import was found with that id. Check the id in the address.")


@router.post(
    "/central-record-imports",
    response={201: ImportPreview, **error_responses(403, 409)},
    url_name="central-record-import-create",
    operation_id="create_central_record_import",
    summary="Upload a central record and preview it",
    auth=requires(may_import_central_record),
)
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    as_at: Form[date],
    mapping: Form[str] = "",
    dry_run: Form[bool] = True,
) -> tuple[int, dict[str, Any]]:
    """Read the uploaded file as at the close of ``as_at`` and keep it with its report.

    With ``dry_run`` true (the default) no authorisation is stored: confirm the import later.
    With ``dry_run`` false the records are stored at once and ``stored`` gives the counts.
    ``mapping`` is a JSON object from column headings, as written, to field names.
    """
    user = authenticated_user(request)
    file_name, content = _read_upload(file)
    _check_as_at(as_at)
    columns = _parse_mapping(mapping)

    batch = preview_central_record_import(
        file_name=file_name, content=content, as_at=as_at, mapping=columns, acting_user=user
    )
    stored = None
    if not dry_run:
        stored = _counts(_confirm(request, batch.pk, user))
        batch.refresh_from_db(fields=["state"])
    # The report names every record's operation, so each response with it is audited, as the
    # import page audits each view of a report.
    record_view(request, "central_record_import", batch.pk)
    return 201, _preview(batch, stored)


@router.post(
    "/central-record-imports/{import_id}/confirm",
    response={200: ImportCounts, **error_responses(404, 409)},
    url_name="central-record-import-confirm",
    operation_id="confirm_central_record_import",
    summary="Store the records of a previewed import",
    auth=requires(may_import_central_record, when_denied=import_not_found),
)
def confirm_import(request: HttpRequest, import_id: int) -> dict[str, Any]:
    """Store the records of a previewed import. A record already stored is left unchanged.

    Confirming again is safe: it stores nothing new and reports every record as unchanged.
    """
    user = authenticated_user(request)
    try:
        batch = access_import(user, import_id, timezone.now())
    except Http404:
        raise import_not_found() from None
    return _counts(_confirm(request, batch.pk, user))


def _confirm(request: HttpRequest, import_id: int, user: Any) -> Any:
    source, request_id = source_from_request(request)
    try:
        return confirm_central_record_import(
            import_id, acting_user=user, source=source, request_id=request_id
        )
    except IntegrityError as error:
        # Two imports stored the same record at once; the unique fingerprint kept one copy.
        raise Conflict(
            "Another import stored some of the same records at the same time, so nothing was "
            "stored. Confirm the import again.",
            fields={"import_id": import_id},
        ) from error


def _counts(outcome: Any) -> dict[str, Any]:
    return {
        "import_id": outcome.import_id,
        "created": outcome.created,
        "unchanged": outcome.unchanged,
    }


def _preview(batch: CentralRecordImport, stored: dict[str, Any] | None) -> dict[str, Any]:
    report = batch.report or {}
    return {
        "import_id": batch.pk,
        "state": batch.state,
        "file": batch.file_name,
        "as_at": batch.as_at,
        "records": report.get("records", []),
        "skipped": report.get("skipped", []),
        "stored": stored,
    }


def _read_upload(upload: UploadedFile) -> tuple[str, bytes]:
    """Return the file's name and content, with the limits and messages of the import page."""
    name = PurePath(upload.name or "").name
    if not name.lower().endswith(ACCEPTED_SUFFIXES):
        raise InvalidRequest("The selected file must be a CSV or XLSX.", fields={"file": name})
    limit = settings.CPMP_IMPORT_MAX_BYTES
    too_large = InvalidRequest(
        f"The selected file must be smaller than {megabytes_text(limit)}.",
        fields={"file": name, "max_bytes": limit},
    )
    if upload.size is not None and upload.size > limit:
        raise too_large
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise too_large
    if not content:
        raise InvalidRequest("The selected file is empty.", fields={"file": name})
    return name, content


def _check_as_at(as_at: date) -> None:
    today = timezone.localdate(timezone.now(), LONDON)
    if as_at > today:
        raise InvalidRequest(
            "The date the register was correct on must be today or in the past.",
            fields={"as_at": as_at.isoformat()},
        )


def _parse_mapping(text: str) -> dict[str, str] | None:
    """Parse ``mapping`` as a JSON object of column heading to field name; empty means none."""
    if not text.strip():
        return None
    invalid = InvalidRequest(
        "Enter the column mapping as a JSON object of column heading to field name, like "
        '{"URN": "reference"}.',
        fields={"mapping": text[:200]},
    )
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        raise invalid from None
    if not isinstance(parsed, dict):
        raise invalid
    if len(parsed) > MAX_MAPPING_LINES:
        raise InvalidRequest(
            f"Enter {MAX_MAPPING_LINES} column mappings or fewer.",
            fields={"mapping_count": len(parsed)},
        )
    for column, target in parsed.items():
        if not isinstance(target, str) or not column.strip() or not target.strip():
            raise invalid
    return {column.strip(): target.strip() for column, target in parsed.items()} or None
