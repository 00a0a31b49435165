"""The reporting clock of a relevant error (IPA 2016 s.231), derived at the instant asked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from cpmp.law.calendar import Calendars
from cpmp.law.records import ErrorReportDeadline, error_report_due

from .models import ErrorStatus, RelevantError

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class ErrorClock:
    """The position of an error against its reporting deadline at one instant.

    ``deadline`` is None until the error is confirmed with the day it was established.
    ``late`` means reported after the England and Wales deadline. ``overdue`` means the
    deadline has passed and no report is recorded.
    """

    deadline: ErrorReportDeadline | None
    late: bool
    overdue: bool


def reported_at_end(reported_on: date, deadline: ErrorReportDeadline) -> bool:
    """Decide whether a report made on ``reported_on`` missed ``deadline``.

    A report is dated by day, so one made on the last day is in time: the deadline ends at
    00:00 Europe/London after that day.
    """
    return reported_on > deadline.due_last_day


def clock_for(
    error: RelevantError, now: datetime, calendars: Calendars | None = None
) -> ErrorClock:
    """Return ``error``'s reporting clock at ``now``."""
    if error.established_on is None:
        return ErrorClock(None, late=False, overdue=False)
    deadline = error_report_due(error.established_on, calendars or Calendars.default())
    if error.reported_on is not None:
        late = reported_at_end(error.reported_on, deadline)
        return ErrorClock(deadline, late=late, overdue=False)
    needs_report = error.status == ErrorStatus.CONFIRMED
    return ErrorClock(deadline, late=False, overdue=needs_report and now >= deadline.due_at)


def sort_by_clock(
    errors: list[RelevantError], now: datetime, calendars: Calendars | None = None
) -> list[tuple[RelevantError, ErrorClock]]:
    """Pair each error with its clock, overdue unreported errors first, then by due day."""
    calendars = calendars or Calendars.default()
    rows = [(error, clock_for(error, now, calendars)) for error in errors]

    def key(row: tuple[RelevantError, ErrorClock]) -> tuple[int, date, int]:
        error, clock = row
        due = clock.deadline.due_last_day if clock.deadline else date.max
        return (0 if clock.overdue else 1, due, -error.pk)

    return sorted(rows, key=key)
