"""Invariants of the deadline arithmetic, checked on generated dates and instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from cpmp.law.calendar import Calendars
from cpmp.law.durations import Grant, period_of, renewal_of
from cpmp.law.kinds import AuthorityKind as K
from cpmp.law.periods import day_start

CALENDARS = Calendars.default()
WRITTEN_KINDS = st.sampled_from(
    [
        K.DIRECTED_SURVEILLANCE,
        K.CHIS,
        K.JUVENILE_CHIS,
        K.RELEVANT_SOURCE,
        K.CRIMINAL_CONDUCT,
        K.PROPERTY_INTERFERENCE,
    ]
)
DAYS = st.dates(min_value=date(2019, 1, 1), max_value=date(2035, 12, 31))
INSTANTS = st.datetimes(
    min_value=datetime(2019, 1, 1),
    max_value=datetime(2035, 12, 31),
    timezones=st.just(UTC),
)


@settings(max_examples=300)
@given(kind=WRITTEN_KINDS, day=DAYS)
def test_expiry_never_precedes_start(kind: K, day: date) -> None:
    period = period_of(Grant(kind, day), CALENDARS)
    assert period.expires_at is not None
    assert period.last_day is not None
    assert period.last_day >= day
    assert period.expires_at > day_start(day)


@settings(max_examples=300)
@given(kind=WRITTEN_KINDS, day=DAYS, signed_before=st.integers(min_value=1, max_value=60))
def test_renewal_never_shortens_or_starts_early(kind: K, day: date, signed_before: int) -> None:
    original = period_of(Grant(kind, day), CALENDARS)
    assert original.expires_at is not None
    signed = original.expires_at - timedelta(days=signed_before)
    if signed < day_start(day):
        return
    renewed = renewal_of(Grant(kind, signed), original.expires_at, CALENDARS)
    assert renewed.expires_at is not None
    assert renewed.takes_effect == original.expires_at
    assert renewed.expires_at > original.expires_at


@settings(max_examples=300)
@given(instant=INSTANTS, kind=WRITTEN_KINDS)
def test_urgent_period_is_exactly_72_hours(instant: datetime, kind: K) -> None:
    period = period_of(Grant(kind, instant, oral=True, urgent=True), CALENDARS)
    assert period.expires_at is not None
    assert period.expires_at - instant == timedelta(hours=72)


@settings(max_examples=300)
@given(day=DAYS, count=st.integers(min_value=1, max_value=15))
def test_working_day_deadline_is_a_working_day(day: date, count: int) -> None:
    for calendar in (CALENDARS.england_and_wales, CALENDARS.united_kingdom):
        due = calendar.nth_working_day_after(day, count)
        assert due > day
        assert due.weekday() < 5
        assert not calendar.is_holiday(due)


@settings(max_examples=200)
@given(day=DAYS)
def test_urgent_warrant_ends_on_a_uk_working_day(day: date) -> None:
    period = period_of(Grant(K.EQUIPMENT_INTERFERENCE, day, urgent=True), CALENDARS)
    assert period.last_day is not None
    assert CALENDARS.united_kingdom.is_working_day(period.last_day)
    assert period.last_day > day
