"""How long records are kept, and when a relevant error must be reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .calendar import Calendars
from .periods import add_months, day_end
from .rules import Confidence, define

RETENTION_3_YEARS = define(
    "records-retained-3-years",
    "The central record of each authorisation is kept for at least 3 years from the end of "
    "the authorisation. Where the date 3 years on does not exist (29 February), CPMP keeps "
    "the record until 1 March, the later of the two readings, because the duty is a minimum.",
    "Covert Surveillance and Property Interference Code of Practice 2018 ch.8 (keeping of "
    "records); CHIS Code of Practice 2022 ch.7",
    Confidence.RECALLED,
)
ERROR_REPORT_10_WORKING_DAYS = define(
    "ipa-s231-error-report-10-working-days",
    "A relevant error is reported to the Investigatory Powers Commissioner as soon as "
    "reasonably practicable and no later than 10 working days after it is established. CPMP "
    "enforces England and Wales working days after the day it was established (the earlier "
    "date) and shows the UK-wide count as the outside limit (convention C9).",
    "IPA 2016 s.231; IPCO Annual Report 2018 para 17.4; convention C9",
    Confidence.CONVENTION,
)


def retention_until(end: date) -> date:
    """Return the last day on which the record of an authorisation that ended on ``end`` must
    still be kept: the day 3 years after ``end``, or 1 March when that is 29 February."""
    kept_until = add_months(end, 36)
    if kept_until.day != end.day:
        # 29 February in a year without one: keep the later date.
        return kept_until + timedelta(days=1)
    return kept_until


@dataclass(frozen=True)
class ErrorReportDeadline:
    """The deadline for reporting a relevant error, as exclusive end instants (convention C3).

    ``due_at`` is what CPMP enforces (England and Wales working days). ``outside_limit_at``
    is the later UK-wide count, shown as information.
    """

    due_last_day: date
    due_at: datetime
    outside_limit_last_day: date
    outside_limit_at: datetime
    rules: tuple[str, ...]


def error_report_due(established: date, calendars: Calendars) -> ErrorReportDeadline:
    """Return when a relevant error established on ``established`` must be reported."""
    due = calendars.england_and_wales.nth_working_day_after(established, 10)
    outside = calendars.united_kingdom.nth_working_day_after(established, 10)
    return ErrorReportDeadline(
        due, day_end(due), outside, day_end(outside), (ERROR_REPORT_10_WORKING_DAYS.identifier,)
    )
