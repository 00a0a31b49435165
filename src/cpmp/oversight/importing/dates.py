"""Dates as registers write them, kept at the precision the source gives.

A cell may hold one date, several, none, or free text. The parser never invents a day, month
or time that the cell does not give: "Jul-20" is July 2020 at month precision, "2019" a year,
and "14/02/2023" a day with no time. Numeric dates are always read day first (UK registers),
a two-digit year means 20YY, and a whole number from 20000 to 80000 is an Excel serial day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from cpmp.law.periods import LONDON, day_end, day_start


class Precision(StrEnum):
    INSTANT = "instant"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class PartialDate:
    """A date known to an instant, a day, a month (or a run of months) or a year."""

    precision: Precision
    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    # The last month of a run of months in one year ("Apr-Jun"); None for a single month.
    last_month: int | None = None

    @classmethod
    def of_instant(cls, instant: datetime) -> PartialDate:
        local = instant.astimezone(LONDON)
        return cls(Precision.INSTANT, local.year, local.month, local.day, local.hour, local.minute)

    @classmethod
    def of_day(cls, day: date) -> PartialDate:
        return cls(Precision.DAY, day.year, day.month, day.day)

    def iso(self) -> str:
        """Return ISO 8601 text at this precision; a run of months is an ISO interval."""
        if self.precision is Precision.INSTANT:
            return self.instant().isoformat()
        if self.precision is Precision.DAY:
            return self.first_day().isoformat()
        if self.precision is Precision.MONTH:
            text = f"{self.year:04d}-{self.month:02d}"
            if self.last_month is not None:
                text += f"/{self.year:04d}-{self.last_month:02d}"
            return text
        return f"{self.year:04d}"

    def instant(self) -> datetime:
        if self.precision is not Precision.INSTANT:
            raise ValueError(f"{self.iso()} has no time of day")
        assert self.month and self.day and self.hour is not None and self.minute is not None
        return datetime(self.year, self.month, self.day, self.hour, self.minute, tzinfo=LONDON)

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        if self.day is not None:
            return self.first_day()
        month = self.last_month or self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def earliest(self) -> datetime:
        """Return the earliest instant this date allows."""
        if self.precision is Precision.INSTANT:
            return self.instant()
        return day_start(self.first_day())

    def latest(self) -> datetime:
        """Return the exclusive end of the span this date allows."""
        if self.precision is Precision.INSTANT:
            return self.instant()
        return day_end(self.last_day())

    def moment(self) -> datetime | date | None:
        """Return the value the law core takes: an instant, a day, or None when coarser."""
        if self.precision is Precision.INSTANT:
            return self.instant()
        if self.precision is Precision.DAY:
            return self.first_day()
        return None


class Marker(StrEnum):
    """The meaning of a cell that contains no date."""

    EMPTY = "empty"
    NOT_APPLICABLE = "not-applicable"  # "N/A", "none", "nil", "-"
    PENDING = "pending"  # "TBC", "awaited", "pending"
    TEXT = "text"  # free text with no date in it ("see file")


@dataclass(frozen=True)
class DateCell:
    """The dates found in one cell, in the order written, and any words left over."""

    text: str
    dates: tuple[PartialDate, ...]
    marker: Marker | None
    remarks: tuple[str, ...] = ()

    @property
    def first(self) -> PartialDate | None:
        return self.dates[0] if self.dates else None


NOT_APPLICABLE_WORDS = frozenset(
    {
        "n/a",
        "na",
        "n.a.",
        "none",
        "nil",
        "no",
        "n",
        "-",
        "--",
        "—",
        "–",
        "not applicable",
        "nothing",
        "not required",
        "none recorded",
    }
)
PENDING_WORDS = frozenset(
    {"tbc", "tba", "awaited", "pending", "unknown", "not known", "to follow", "tbd"}
)

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
}
MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))

_TIME = r"(?:[01]?\d|2[0-3])[:.][0-5]\d"
_DATE_PATTERN = re.compile(
    rf"""
    (?P<iso>(?P<iso_y>\d{{4}})-(?P<iso_m>\d{{2}})-(?P<iso_d>\d{{2}})
        (?:[T\s](?P<iso_time>\d{{2}}:\d{{2}})(?::\d{{2}}(?:\.\d+)?)?)?)
  | (?P<dmy>(?:(?P<time_before>{_TIME})\s+(?:on\s+)?)?
        (?<![\d/.])(?P<d>\d{{1,2}})(?P<sep>[/.\-])(?P<m>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}})(?![\d/])
        (?:(?:\s*,\s*|\s+(?:at\s+)?)(?P<time_after>{_TIME})(?![./]?\d)(?:\s*(?:hrs|hours))?)?)
  | (?P<long>(?P<long_d>\d{{1,2}})(?:st|nd|rd|th)?\s+
        (?P<long_m>{_MONTH_NAMES})\.?,?\s+(?P<long_y>\d{{4}}))
  | (?P<month_year>(?P<my_m>{_MONTH_NAMES})\.?[\s\-/']+(?P<my_y>\d{{4}}|\d{{2}})(?!\d))
  | (?P<numeric_month>(?<![\d/])(?P<nm_m>\d{{1,2}})/(?P<nm_y>\d{{4}})(?![\d/]))
    """,
    re.IGNORECASE | re.VERBOSE,
)
_MONTH_RANGE = re.compile(
    rf"^(?P<first>{_MONTH_NAMES})\s*[-–to]+\s*(?P<last>{_MONTH_NAMES})$", re.I
)
_MONTH_ONLY = re.compile(rf"^(?P<month>{_MONTH_NAMES})\.?$", re.IGNORECASE)
_YEAR_ONLY = re.compile(r"^(?P<year>(?:19|20)\d{2})$")
_SERIAL = re.compile(r"^(?P<days>\d{5})(?:\.(?P<fraction>\d+))?$")
_BRACKETED = re.compile(r"\(([^()]*)\)")
_SEPARATORS = re.compile(r"^[\s;,&+/]*(?:and\b)?[\s;,&+/]*$", re.IGNORECASE)

# Excel counts days from 30 December 1899 (its 1900 leap-year bug makes day 60 invalid, and
# every serial in a register is far past it). Only this range is read as a serial date, so
# a count or a reference number elsewhere is never taken for a date.
EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_RANGE = range(20000, 80001)


def parse_date_cell(text: str | None, *, year: int | None = None) -> DateCell:
    """Parse every date in ``text``; ``year`` completes a month written without one."""
    raw = (text or "").strip()
    if not raw:
        return DateCell(raw, (), Marker.EMPTY)
    folded = " ".join(raw.lower().split())
    if folded in NOT_APPLICABLE_WORDS:
        return DateCell(raw, (), Marker.NOT_APPLICABLE)
    if folded in PENDING_WORDS:
        return DateCell(raw, (), Marker.PENDING)

    whole = _parse_whole_cell(raw, year)
    if whole is not None:
        return DateCell(raw, (whole,), None)

    # Words in brackets are remarks ("01/07/2019 (JP approved 01/07/2019)"): their dates
    # belong to the remark, not to the cell.
    remarks = [inner.strip() for inner in _BRACKETED.findall(raw) if inner.strip()]
    outside = _BRACKETED.sub(" ", raw)
    dates: list[PartialDate] = []
    leftovers: list[str] = []
    position = 0
    for match in _DATE_PATTERN.finditer(outside):
        leftovers.append(outside[position : match.start()])
        position = match.end()
        parsed = _from_match(match)
        if parsed is None:
            leftovers.append(match.group(0))
        else:
            dates.append(parsed)
    leftovers.append(outside[position:])
    words = [part.strip(" ;,&-\n\t") for part in leftovers if not _SEPARATORS.match(part)]
    remarks = [word for word in words if word] + remarks
    if not dates:
        return DateCell(raw, (), Marker.TEXT, tuple(remarks))
    return DateCell(raw, tuple(dates), None, tuple(remarks))


def _parse_whole_cell(raw: str, year: int | None) -> PartialDate | None:
    """Read the forms that only make sense as the whole cell: serials, years, lone months."""
    serial = _SERIAL.match(raw)
    if serial and int(serial["days"]) in SERIAL_RANGE:
        day = EXCEL_EPOCH + timedelta(days=int(serial["days"]))
        if serial["fraction"] and int(serial["fraction"]) != 0:
            minutes = round(float("0." + serial["fraction"]) * 24 * 60)
            local = datetime(day.year, day.month, day.day, tzinfo=LONDON) + timedelta(
                minutes=minutes
            )
            return PartialDate.of_instant(local)
        return PartialDate.of_day(day)
    year_only = _YEAR_ONLY.match(raw)
    if year_only:
        return PartialDate(Precision.YEAR, int(year_only["year"]))
    if year is None:
        return None
    month_only = _MONTH_ONLY.match(raw)
    if month_only:
        return PartialDate(Precision.MONTH, year, MONTHS[month_only["month"].lower()])
    month_range = _MONTH_RANGE.match(raw)
    if month_range:
        first = MONTHS[month_range["first"].lower()]
        last = MONTHS[month_range["last"].lower()]
        if first < last:
            return PartialDate(Precision.MONTH, year, first, last_month=last)
    return None


def _full_year(text: str) -> int:
    # A two-digit year is 20YY: RIPA dates from 2000, so no register entry is earlier.
    value = int(text)
    return value + 2000 if len(text) == 2 else value


def _from_match(match: re.Match[str]) -> PartialDate | None:
    """Build the date a pattern matched, or None when it names no real day."""
    try:
        if match["iso"]:
            return _with_time(
                date(int(match["iso_y"]), int(match["iso_m"]), int(match["iso_d"])),
                match["iso_time"],
            )
        if match["dmy"]:
            day = date(_full_year(match["y"]), int(match["m"]), int(match["d"]))
            return _with_time(day, match["time_after"] or match["time_before"])
        if match["long"]:
            day = date(int(match["long_y"]), MONTHS[match["long_m"].lower()], int(match["long_d"]))
            return PartialDate.of_day(day)
        if match["month_year"]:
            month = MONTHS[match["my_m"].lower()]
            return PartialDate(Precision.MONTH, _full_year(match["my_y"]), month)
        if match["numeric_month"]:
            month = int(match["nm_m"])
            if not 1 <= month <= 12:
                return None
            return PartialDate(Precision.MONTH, int(match["nm_y"]), month)
    except ValueError:
        return None
    return None


def _with_time(day: date, time_text: str | None) -> PartialDate:
    if not time_text:
        return PartialDate.of_day(day)
    hour, minute = (int(part) for part in re.split(r"[:.]", time_text))
    return PartialDate(Precision.INSTANT, day.year, day.month, day.day, hour, minute)
