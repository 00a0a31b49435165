"""Pages that import a legacy central record: upload, dry-run report, confirm."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cpmp.access.compartments import oversees_all_operations
from cpmp.access.predicates import can_import_central_record
from cpmp.audit.actions import record_view
from cpmp.audit.requests import source_from_request
from cpmp.web.views import forbidden

from .access import access_import
from .forms import ImportForm, megabytes_text

logger = logging.getLogger(__name__)


def import_start(request: HttpRequest) -> HttpResponse:
    """Show the upload form, or read the uploaded file as a dry run and show its report."""
    now = timezone.now()
    if not can_import_central_record(request.user, now):  # type: ignore[arg-type]
        return forbidden(request)
    if not oversees_all_operations(request.user, now):
        return forbidden(request)

    today = timezone.localdate(now)
    if request.method != "POST":
        return _render_start(request, ImportForm(today=today))

    form = ImportForm(data=request.POST, files=request.FILES, today=today)
    if not form.is_valid():
        return _render_start(request, form)

    # Imported here so that the page loads, and its form is testable, before the importer does.
    from cpmp.oversight.actions import preview_central_record_import
    from cpmp.oversight.importing.errors import ImportFailed

    assert form.as_at is not None
    try:
        batch = preview_central_record_import(
            file_name=form.file_name,
            content=form.content,
            as_at=form.as_at,
            mapping=form.mapping,
            acting_user=request.user,
        )
    except ImportFailed as error:
        logger.info(
            "import preview rejected: user=%s reason=%s", request.user.pk, type(error).__name__
        )
        form.add_error("file", error.message)
        return _render_start(request, form)
    return redirect("oversight:import-detail", import_id=batch.pk)


def _render_start(request: HttpRequest, form: ImportForm) -> HttpResponse:
    return render(
        request,
        "oversight/import_start.html",
        {
            "form": form,
            "errors": form.summary_errors(),
            "max_size_text": megabytes_text(settings.CPMP_IMPORT_MAX_BYTES),
        },
        status=400 if form.errors else 200,
    )


def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    """Show the dry-run report of an import and, until it is stored, the button to store it."""
    batch = access_import(request.user, import_id, timezone.now())  # type: ignore[arg-type]
    # The report names every record's operation, so each view of it is audited.
    record_view(request, "central_record_import", batch.pk)
    return _render_detail(request, batch, errors=[])


def _render_detail(
    request: HttpRequest, batch: Any, *, errors: list[tuple[str, str]], status: int = 200
) -> HttpResponse:
    report = batch.report or {}
    records = report.get("records", [])
    skipped = report.get("skipped", [])
    with_findings = sum(1 for record in records if record.get("findings"))
    return render(
        request,
        "oversight/import_detail.html",
        {
            "batch": batch,
            "report": report,
            "records": records,
            "skipped": skipped,
            "with_findings": with_findings,
            "errors": errors,
        },
        status=status,
    )


@require_POST
def import_confirm(request: HttpRequest, import_id: int) -> HttpResponse:
    """Store the records of a previewed import, then show how many were new."""
    batch = access_import(request.user, import_id, timezone.now())  # type: ignore[arg-type]

    from cpmp.oversight.actions import confirm_central_record_import
    from cpmp.oversight.importing.errors import ImportFailed

    try:
        source, request_id = source_from_request(request)
        outcome = confirm_central_record_import(
            batch.pk, acting_user=request.user, source=source, request_id=request_id
        )
    except ImportFailed as error:
        logger.info("import confirm rejected: import=%s user=%s", batch.pk, request.user.pk)
        return _render_detail(request, batch, errors=[("store", error.message)], status=400)

    created = f"{outcome.created} record{'' if outcome.created == 1 else 's'} stored"
    unchanged = f"{outcome.unchanged} already in the register"
    messages.success(request, f"{created}, {unchanged}")
    return redirect("oversight:import-detail", import_id=batch.pk)
