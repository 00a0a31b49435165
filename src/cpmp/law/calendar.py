"""Working days, for the periods the law counts in working days.

IPA 2016 s.263(1): a working day is any day other than a Saturday, a Sunday, Christmas Day,
Good Friday or a bank holiday under the Banking and Financial Dealings Act 1971 in any part of
the United Kingdom (convention C8). For relevant-error reports CPMP enforces the earlier
England-and-Wales count (convention C9) and shows the UK-wide count as the outside limit.

Holiday data comes from the ``holidays`` package, which works offline and includes one-off
proclaimed days (convention C13); an administrator can add further proclaimed days, which
reach this module as ``extra_holidays``. Nothing is fetched over the network.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import holidays

ENGLAND_AND_WALES = ("ENG", "WLS")
UNITED_KINGDOM = ("ENG", "WLS", "SCT", "NIR")


@cache
def _bank_holidays(subdivision: str, year: int) -> frozenset[date]:
    return frozenset(holidays.UK(subdiv=subdivision, years=year).keys())


@dataclass(frozen=True)
class WorkingDayCalendar:
    """Working days for a set of UK divisions (``holidays`` subdivision codes)."""

    name: str
    subdivisions: tuple[str, ...]
    extra_holidays: frozenset[date] = field(default_factory=frozenset)

    def is_holiday(self, day: date) -> bool:
        if day in self.extra_holidays:
            return True
        return any(day in _bank_holidays(code, day.year) for code in self.subdivisions)

    def is_working_day(self, day: date) -> bool:
        # The holidays package also lists the weekend day a substitute day replaces, so the
        # weekday test and the holiday test are applied together, never by counting entries.
        return day.weekday() < 5 and not self.is_holiday(day)

    def nth_working_day_after(self, day: date, n: int) -> date:
        """Return the ``n``-th working day after ``day``; ``day`` itself never counts.

        IPA 2016 s.109(3) and s.116(2)(a) count "after the day on which the warrant was
        issued", so a warrant issued on a holiday starts counting with the next working day.
        """
        if n < 1:
            raise ValueError(f"count working days from 1, not {n}")
        current = day
        counted = 0
        while counted < n:
            current += timedelta(days=1)
            if self.is_working_day(current):
                counted += 1
        return current

    def holidays_between(self, first: date, last: date) -> list[date]:
        """Return the holidays from ``first`` to ``last`` inclusive, in order."""
        days = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
        return [day for day in days if self.is_holiday(day)]


def england_and_wales_calendar(extra_holidays: Iterable[date] = ()) -> WorkingDayCalendar:
    return WorkingDayCalendar("England and Wales", ENGLAND_AND_WALES, frozenset(extra_holidays))


def united_kingdom_calendar(extra_holidays: Iterable[date] = ()) -> WorkingDayCalendar:
    return WorkingDayCalendar("United Kingdom", UNITED_KINGDOM, frozenset(extra_holidays))


@dataclass(frozen=True)
class Calendars:
    """The two working-day calendars the law uses, passed to every deadline function."""

    england_and_wales: WorkingDayCalendar
    united_kingdom: WorkingDayCalendar

    @classmethod
    def default(cls, extra_holidays: Iterable[date] = ()) -> Calendars:
        """Build both calendars from the ``holidays`` package and any proclaimed extra days.

        An extra day is proclaimed for one division, but the caller gives no division, so it
        is treated as a holiday in both calendars: the earlier deadline results.
        """
        extra = frozenset(extra_holidays)
        return cls(england_and_wales_calendar(extra), united_kingdom_calendar(extra))
