"""The worked deadline examples every release must answer exactly, with their expected values."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cpmp.law.calendar import Calendars
from cpmp.law.commissioner import cca_notice_due, urgent_tei_approval_due
from cpmp.law.durations import Grant, period_of, renewal_of, renewal_window
from cpmp.law.kinds import AuthorityKind as K
from cpmp.law.reviews import juvenile_review_due_days

LONDON = ZoneInfo("Europe/London")
CALENDARS = Calendars.default()


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("example", "grant", "expires_at"),
    [
        ("T01", Grant(K.DIRECTED_SURVEILLANCE, at(2026, 1, 1, 9, 30)), at(2026, 4, 1)),
        ("T03", Grant(K.DIRECTED_SURVEILLANCE, date(2026, 1, 31)), at(2026, 4, 30)),
        (
            "T07",
            Grant(K.DIRECTED_SURVEILLANCE, at(2026, 3, 27, 10, 0), oral=True, urgent=True),
            at(2026, 3, 30, 11, 0),
        ),
        (
            "T16",
            Grant(K.INTRUSIVE_SURVEILLANCE, at(2026, 5, 5, 11, 0), approved=at(2026, 5, 7, 15, 0)),
            at(2026, 8, 7),
        ),
        ("T19", Grant(K.CHIS, date(2026, 3, 15)), at(2027, 3, 15)),
        ("T22", Grant(K.JUVENILE_CHIS, date(2026, 1, 30)), at(2026, 5, 30)),
        ("T29", Grant(K.CRIMINAL_CONDUCT, at(2026, 7, 10, 16, 0)), at(2027, 7, 10)),
        ("T32", Grant(K.PROPERTY_INTERFERENCE, date(2026, 6, 10)), at(2026, 9, 10)),
        (
            "T35",
            Grant(K.EQUIPMENT_INTERFERENCE, date(2026, 1, 10), approved=date(2026, 1, 10)),
            at(2026, 7, 10),
        ),
        (
            "T36",
            Grant(K.EQUIPMENT_INTERFERENCE, at(2026, 4, 2, 18, 0), urgent=True),
            at(2026, 4, 14),
        ),
    ],
)
def test_worked_example_expiry(example: str, grant: Grant, expires_at: datetime) -> None:
    period = period_of(grant, CALENDARS)
    assert period.expires_at == expires_at, example


def test_t07_utc_instant_is_ten_o_clock() -> None:
    grant = Grant(K.DIRECTED_SURVEILLANCE, at(2026, 3, 27, 10, 0), oral=True)
    expires = period_of(grant, CALENDARS).expires_at
    assert expires is not None
    assert expires.utcoffset() is not None
    assert expires.isoformat() == "2026-03-30T11:00:00+01:00"


def test_t10_renewal_runs_from_old_expiry_not_signing_day() -> None:
    original = period_of(Grant(K.DIRECTED_SURVEILLANCE, date(2026, 1, 1)), CALENDARS)
    assert original.expires_at == at(2026, 4, 1)

    renewal = renewal_of(
        Grant(K.DIRECTED_SURVEILLANCE, date(2026, 3, 20)), at(2026, 4, 1), CALENDARS
    )

    assert renewal.takes_effect == at(2026, 4, 1)
    # Convention C5 begins the renewal with the old last day, 31 March. Convention C2 then
    # takes 30 June (June has no 31st) as the corresponding date and ends the day before it,
    # 29 June. The worked example's "end of 30 June under both readings" is the later reading,
    # which CPMP shows as information only.
    assert renewal.first_day == date(2026, 3, 31)
    assert renewal.last_day == date(2026, 6, 29)
    assert renewal.later_reading_last_day == date(2026, 6, 30)


def test_t16_intrusive_surveillance_has_no_effect_before_approval() -> None:
    waiting = period_of(Grant(K.INTRUSIVE_SURVEILLANCE, at(2026, 5, 5, 11, 0)), CALENDARS)
    assert waiting.awaiting_approval
    assert waiting.expires_at is None

    approved = period_of(
        Grant(K.INTRUSIVE_SURVEILLANCE, at(2026, 5, 5, 11, 0), approved=at(2026, 5, 7, 15, 0)),
        CALENDARS,
    )
    assert approved.takes_effect == at(2026, 5, 7, 15, 0)


def test_t22_first_juvenile_review_due_27_february() -> None:
    period = period_of(Grant(K.JUVENILE_CHIS, date(2026, 1, 30)), CALENDARS)
    assert period.first_day is not None
    assert period.last_day == date(2026, 5, 29)
    assert juvenile_review_due_days(period.first_day, period.last_day)[0] == date(2026, 2, 27)


def test_t29_cca_notice_due_end_of_17_july() -> None:
    assert cca_notice_due(date(2026, 7, 10)) == at(2026, 7, 18)


def test_t35_renewal_window_and_renewed_period() -> None:
    period = period_of(
        Grant(K.EQUIPMENT_INTERFERENCE, date(2026, 1, 10), approved=date(2026, 1, 10)), CALENDARS
    )
    assert renewal_window(period, urgent=False) == (date(2026, 6, 10), date(2026, 7, 9))

    renewed = renewal_of(
        Grant(K.EQUIPMENT_INTERFERENCE, date(2026, 6, 20), approved=date(2026, 6, 20)),
        at(2026, 7, 10),
        CALENDARS,
    )
    assert renewed.first_day == date(2026, 7, 10)
    assert renewed.last_day == date(2027, 1, 9)


def test_t36_urgent_tei_decision_due_end_of_9_april() -> None:
    assert urgent_tei_approval_due(date(2026, 4, 2), CALENDARS) == at(2026, 4, 10)


def test_t41_error_report_due_17_april_in_both_counts() -> None:
    established = date(2026, 4, 1)
    assert CALENDARS.england_and_wales.nth_working_day_after(established, 10) == date(2026, 4, 17)
    assert CALENDARS.united_kingdom.nth_working_day_after(established, 10) == date(2026, 4, 17)
