"""Calendar arithmetic for statutory periods.

RIPA s.43(3), Police Act 1997 s.95(2) and IPA 2016 s.116(2) count written periods in calendar
months "beginning with the day" the authority takes effect, and urgent ones in hours. These
helpers implement the conventions CPMP adopts for the readings the statutes leave open:

- C1: the start day counts, so N months beginning with day D end at the end of the day before
  the date N months after D (Interpretation Act 1978 Sch 1 "month"; Zoan v Rouamba [2000]).
- C2: where that date does not exist, take the last day of the target month as the
  corresponding date and end the day before it (the earlier of two readings, and what a
  spreadsheet's EDATE(D, N) - 1 gives).
- C3: a day-based period ends at the exclusive instant 00:00 Europe/London after its last day.
- C4: 72 hours are elapsed hours, counted in UTC.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def add_months(day: date, months: int) -> date:
    """Return the date ``months`` calendar months after ``day``, clamped to the month's end.

    31 January plus one month is 28 (or 29) February. This is the corresponding date of
    convention C2.
    """
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def last_day_of_months(first_day: date, months: int) -> date:
    """Return the last day of a period of ``months`` months beginning with ``first_day``.

    C1 counts the first day, so the period ends the day before the corresponding date:
    1 Jan 2026 + 3 months ends 31 Mar 2026. C2 takes a missing corresponding date as the
    month's last day: 31 Jan 2026 + 3 months ends 29 Apr 2026, 30 Nov 2025 + 3 months ends
    27 Feb 2026, 29 Feb 2028 + 12 months ends 27 Feb 2029.
    """
    if months < 1:
        raise ValueError(f"a period needs at least one month, not {months}")
    return add_months(first_day, months) - timedelta(days=1)


def day_start(day: date) -> datetime:
    """Return 00:00 Europe/London on ``day`` as an aware instant."""
    return datetime.combine(day, time(0, 0), tzinfo=LONDON)


def day_end(day: date) -> datetime:
    """Return the exclusive end of ``day``: 00:00 Europe/London on the next day (C3)."""
    return day_start(day + timedelta(days=1))


def after_hours(instant: datetime, hours: int = 72) -> datetime:
    """Return ``instant`` plus ``hours`` elapsed hours, shown in Europe/London (C4).

    Across the spring clock change the wall-clock result is an hour later than the start,
    across the autumn change an hour earlier (RIPA s.43(3)(a) counts hours, not days).
    """
    require_aware(instant)
    utc = instant.astimezone(ZoneInfo("UTC")) + timedelta(hours=hours)
    return utc.astimezone(LONDON)


def london_day(instant: datetime) -> date:
    """Return the Europe/London calendar day on which ``instant`` falls."""
    require_aware(instant)
    return instant.astimezone(LONDON).date()


def to_london(instant: datetime) -> datetime:
    require_aware(instant)
    return instant.astimezone(LONDON)


def require_aware(instant: datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"instant {instant.isoformat()} has no time zone: give an aware datetime")
