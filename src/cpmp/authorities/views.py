"""The register of authorisations and the page for each one."""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cpmp.access.compartments import (
    audit_list_view,
    can_open_register,
    oversees_all_operations,
    visible_authorisations,
)
from cpmp.access.predicates import can_import_central_record
from cpmp.audit.actions import record_view
from cpmp.web.display import finding_description, format_day, format_end_instant
from cpmp.web.pagination import pagination_links
from cpmp.web.views import forbidden

from .access import access_authorisation
from .forms import RegisterFilterForm, clean_sort
from .record_deadlines import RETENTION_RULE, DeadlineState, RecordDeadline, record_deadlines
from .selectors import (
    filter_register,
    findings_now,
    register_rows,
    sort_register,
    with_status,
)

PAGE_SIZE = 50

# The register shows these columns only; leaving out ``details`` keeps each page small.
REGISTER_COLUMNS = (
    "id",
    "reference",
    "kind",
    "operation",
    "granted",
    "expires_at",
    "expires_earliest",
    "expires_latest",
    "state",
    "findings",
)

# Sortable column headings: (sort key, heading text).
COLUMNS = (
    ("reference", "Reference"),
    ("kind", "Kind"),
    ("operation", "Operation"),
    ("granted", "Granted"),
    ("expires", "Expires"),
    ("status", "Status"),
)


def register(request: HttpRequest) -> HttpResponse:
    """Show the register, filtered, sorted and paged by the GET parameters.

    Every filter, count, sort and page works within the records the person may see, so a
    filter naming another team's operation gives the same empty page as a made-up name.
    """
    now = timezone.now()
    if not can_open_register(request.user, now):
        return forbidden(request)

    form = RegisterFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    sort = clean_sort(request.GET.get("sort"))

    visible = register_rows(visible_authorisations(request.user, now)).only(*REGISTER_COLUMNS)
    records = filter_register(with_status(visible, now), form.filters(), now)
    records = sort_register(records, sort)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for record in page.object_list:
        # The register template reads this count, which is not a model field.
        record.findings_count = len(findings_now(record))  # type: ignore[attr-defined]
    audit_list_view(
        request, object_type="authorisation_register", row_count=page.paginator.count, now=now
    )

    return render(
        request,
        "authorities/register.html",
        {
            "form": form,
            "errors": form.summary_errors() if form.is_bound else [],
            "page": page,
            "pagination": pagination_links(page, request.GET),
            "headings": _sort_headings(request, sort),
            "filtered": any(request.GET.get(name) for name in RegisterFilterForm.FIELD_ORDER),
        },
    )


def _sort_headings(request: HttpRequest, sort: str) -> list[dict[str, Any]]:
    """Build each column heading's aria-sort value and the link that sorts by that column.

    Choosing the current column again reverses the order. Sorting starts again at page 1.
    """
    headings = []
    for key, text in COLUMNS:
        if sort == key:
            aria_sort, next_sort = "ascending", f"-{key}"
        elif sort == f"-{key}":
            aria_sort, next_sort = "descending", key
        else:
            aria_sort, next_sort = "none", key
        params = request.GET.copy()
        params["sort"] = next_sort
        params.pop("page", None)
        headings.append(
            {"key": key, "text": text, "aria_sort": aria_sort, "href": "?" + params.urlencode()}
        )
    return headings


def detail(request: HttpRequest, authorisation_id: int) -> HttpResponse:
    """Show every fact of one authorisation, its deadlines, findings and source."""
    now = timezone.now()
    record = access_authorisation(request.user, authorisation_id, now)  # type: ignore[arg-type]
    record_view(request, "authorisation", record.pk)
    findings = [
        {"code": code, "description": finding_description(code)} for code in findings_now(record)
    ]
    details = [
        {"key": key, "value": _detail_text(value)} for key, value in (record.details or {}).items()
    ]
    time_left = ""
    if record.status == "live" and record.expires_latest is not None:  # type: ignore[attr-defined]
        time_left = _days_text((record.expires_latest - now).days)
    deadlines = [
        {"key": deadline.label, "value": _deadline_text(deadline)}
        for deadline in record_deadlines(record, now)
    ]
    return render(
        request,
        "authorities/detail.html",
        {
            "record": record,
            "findings": findings,
            "findings_as_at": record.import_batch.as_at if record.import_batch else None,
            "details": details,
            "time_left": time_left,
            "deadlines": deadlines,
            "can_open_import": (
                can_import_central_record(request.user, now)  # type: ignore[arg-type]
                and oversees_all_operations(request.user, now)
            ),
        },
    )


DEADLINE_STATES = {
    DeadlineState.MISSED: "missed",
    DeadlineState.PASSED: "not needed, the authorisation had ended",
    DeadlineState.UPCOMING: "not yet due",
    DeadlineState.NO_FIXED_DATE: "no notice recorded",
}


RETENTION_STATES = {
    DeadlineState.UPCOMING: "keep it until then",
    DeadlineState.PASSED: "the minimum period is over, so the record may be reviewed for deletion",
}


def _deadline_text(deadline: RecordDeadline) -> str:
    """Describe a deadline as "by 23:59 on 9 May 2023: met on 10 May 2023"."""
    if deadline.rule == RETENTION_RULE and deadline.due_at is not None:
        return f"{format_end_instant(deadline.due_at)}: {RETENTION_STATES[deadline.state]}"
    due = f"by {format_end_instant(deadline.due_at)}" if deadline.due_at else "no fixed date"
    if deadline.state is DeadlineState.MET and deadline.met_on is not None:
        return f"{due}: met on {format_day(deadline.met_on)}"
    return f"{due}: {DEADLINE_STATES.get(deadline.state, deadline.state.value)}"


def _detail_text(value: object) -> str:
    """Return a ``details`` value as text: lists of strings one per line, others as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "\n".join(value)
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


def _days_text(days: int) -> str:
    if days < 1:
        return "Less than a day"
    return f"{days} day{'s' if days != 1 else ''}"
