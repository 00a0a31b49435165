"""Reads of the register: the status of each authorisation at a given instant, and filters.

Status is computed in the database so that the register can filter, sort and page on it
over any number of rows. ``cpmp.law.status.status_at`` states the same rule in pure
Python, and ``tests/integration/test_register_status.py`` checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from .models import Authorisation, RecordState

# The finding code the status alone decides; the importer writes the same code.
NEVER_CANCELLED = "never_cancelled"


class Status:
    """The status values: the non-granted record states plus the four the clock decides."""

    LIVE = "live"
    EXPIRED_NOT_CANCELLED = "expired-not-cancelled"
    CANCELLED = "cancelled"
    CANCELLED_AFTER_EXPIRY = "cancelled-after-expiry"
    REFUSED = RecordState.REFUSED.value
    AWAITING_APPROVAL = RecordState.AWAITING_APPROVAL.value
    CANCELLED_DATE_UNKNOWN = RecordState.CANCELLED_DATE_UNKNOWN.value
    INVALID_DATA = RecordState.INVALID_DATA.value


STATUS_LABELS: dict[str, str] = {
    Status.LIVE: "Live",
    Status.EXPIRED_NOT_CANCELLED: "Expired, not cancelled",
    Status.CANCELLED: "Cancelled",
    Status.CANCELLED_AFTER_EXPIRY: "Cancelled after expiry",
    Status.REFUSED: "Refused",
    Status.AWAITING_APPROVAL: "Awaiting approval",
    Status.CANCELLED_DATE_UNKNOWN: "Cancelled, date unknown",
    Status.INVALID_DATA: "Invalid data",
}


def status_expression(now: datetime) -> Case:
    """Build the SQL ``CASE`` that gives an authorisation's status at ``now``.

    The branches are tried in order, so each ``When`` may assume the ones above it failed.
    """
    cancelled_by_now = Q(cancelled_from__isnull=False, cancelled_from__lte=now)
    return Case(
        When(~Q(state=RecordState.GRANTED), then=F("state")),
        When(
            cancelled_by_now
            & Q(expires_latest__isnull=False, cancelled_from__gte=F("expires_latest")),
            then=Value(Status.CANCELLED_AFTER_EXPIRY),
        ),
        When(cancelled_by_now, then=Value(Status.CANCELLED)),
        When(expires_latest__isnull=True, then=Value(Status.INVALID_DATA)),
        When(expires_latest__gt=now, then=Value(Status.LIVE)),
        default=Value(Status.EXPIRED_NOT_CANCELLED),
        output_field=CharField(),
    )


def register_rows(queryset: QuerySet[Authorisation]) -> QuerySet[Authorisation]:
    """Leave out imported rows that a workflow row for the same authorisation supersedes,
    so the register lists and counts each authorisation once."""
    return queryset.filter(superseded_by__isnull=True)


def with_status(queryset: QuerySet[Authorisation], now: datetime) -> QuerySet[Authorisation]:
    """Annotate each authorisation in ``queryset`` with ``status`` at ``now``."""
    return queryset.annotate(status=status_expression(now))


@dataclass(frozen=True)
class RegisterFilters:
    """Filters requested on the register page. An empty value does not filter."""

    kind: str = ""
    status: str = ""
    operation: str = ""
    reference: str = ""
    due_within_days: int | None = None


def filter_register(
    queryset: QuerySet[Authorisation], filters: RegisterFilters, now: datetime
) -> QuerySet[Authorisation]:
    """Narrow a status-annotated ``queryset`` to the records that match ``filters``.

    "Due within N days" keeps live records whose latest possible expiry falls between
    ``now`` and ``now`` plus N days.
    """
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        queryset = queryset.filter(Q(status=filters.status))
    if filters.operation:
        queryset = queryset.filter(operation__icontains=filters.operation)
    if filters.reference:
        queryset = queryset.filter(reference__icontains=filters.reference)
    if filters.due_within_days is not None:
        queryset = queryset.filter(
            Q(status=Status.LIVE),
            expires_latest__gte=now,
            expires_latest__lte=now + timedelta(days=filters.due_within_days),
        )
    return queryset


# Sort keys offered to the page, mapped to model fields. Every sort ends with the primary key
# so that paging is stable when many rows share a value.
SORT_FIELDS: dict[str, str] = {
    "reference": "reference",
    "kind": "kind",
    "operation": "operation",
    "granted": "granted_from",
    "expires": "expires_latest",
    "status": "status",
}
DEFAULT_SORT = "-granted"


def sort_register(queryset: QuerySet[Authorisation], sort: str) -> QuerySet[Authorisation]:
    """Order ``queryset`` by a key from ``SORT_FIELDS``, prefixed with "-" for descending.

    Records without a value sort last in both directions.
    """
    descending = sort.startswith("-")
    field = F(SORT_FIELDS[sort.removeprefix("-")])
    primary = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
    tie_break = F("pk").desc() if descending else F("pk").asc()
    return queryset.order_by(primary, tie_break)


def findings_now(record: Authorisation) -> list[str]:
    """Return ``record``'s findings, with what its status at the question's instant adds.

    An imported record's findings were worked out at the import's as-at date. One of them
    depends only on the status: an authorisation that has since expired without a recorded
    cancellation was never cancelled, so that finding is added whenever the annotated
    ``status`` says so. Other findings (reviews missed since) need the import run again.
    """
    findings = list(record.findings or [])
    status = getattr(record, "status", None)
    if status == Status.EXPIRED_NOT_CANCELLED and NEVER_CANCELLED not in findings:
        findings.append(NEVER_CANCELLED)
    return findings
