"""The reporting clock of a relevant error: IPA 2016 s.231 and convention C9."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cpmp.oversight.errors_register.clock import clock_for
from cpmp.oversight.errors_register.models import ErrorStatus, RelevantError


def an_error(established_on: date, **fields: object) -> RelevantError:
    values: dict[str, object] = {
        "pk": 1,
        "status": ErrorStatus.CONFIRMED,
        "established_on": established_on,
    }
    values.update(fields)
    return RelevantError(**values)


def test_clock_over_easter_due_friday_17_april() -> None:
    clock = clock_for(an_error(date(2026, 4, 1)), datetime.fromisoformat("2026-04-02T09:00+01:00"))

    assert clock.deadline is not None
    assert clock.deadline.due_last_day == date(2026, 4, 17)
    assert clock.deadline.due_at == datetime.fromisoformat("2026-04-18T00:00+01:00")
    assert clock.deadline.outside_limit_last_day == date(2026, 4, 17)
    assert not clock.overdue


def test_scottish_holiday_moves_only_outside_limit() -> None:
    # Monday 4 August 2025 is a bank holiday in Scotland only.
    clock = clock_for(an_error(date(2025, 8, 1)), datetime.fromisoformat("2025-08-04T09:00+01:00"))

    assert clock.deadline is not None
    assert clock.deadline.due_last_day == date(2025, 8, 15)
    assert clock.deadline.outside_limit_last_day == date(2025, 8, 18)


@pytest.mark.parametrize(
    ("now", "overdue"),
    [
        ("2026-04-17T23:59:59+01:00", False),
        ("2026-04-18T00:00:00+01:00", True),
    ],
)
def test_unreported_error_overdue_at_end_of_last_day(now: str, overdue: bool) -> None:
    clock = clock_for(an_error(date(2026, 4, 1)), datetime.fromisoformat(now))

    assert clock.overdue is overdue


@pytest.mark.parametrize(
    ("reported_on", "late"),
    [
        (date(2026, 4, 17), False),
        (date(2026, 4, 20), True),
    ],
)
def test_report_after_last_day_flagged_late(reported_on: date, late: bool) -> None:
    error = an_error(date(2026, 4, 1), status=ErrorStatus.REPORTED, reported_on=reported_on)

    clock = clock_for(error, datetime.fromisoformat("2026-05-01T09:00+01:00"))

    assert clock.late is late
    assert clock.overdue is False


def test_candidate_has_no_clock() -> None:
    error = an_error(None, status=ErrorStatus.CANDIDATE)  # type: ignore[arg-type]

    clock = clock_for(error, datetime.fromisoformat("2026-05-01T09:00+01:00"))

    assert clock.deadline is None
    assert clock.overdue is False
