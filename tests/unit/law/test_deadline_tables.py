# ruff: noqa: E501  (one table row per line reads better than wrapped rows)
"""Tables of deadlines: Commissioner requirements, periods at month ends, leap days and clock
changes, working days in every UK division, reviews, retention and relevant sources."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cpmp.law.calendar import Calendars
from cpmp.law.commissioner import (
    Event,
    Requirement,
    commissioner_deadline,
    urgent_modification_approval_due,
)
from cpmp.law.durations import Grant, period_of, renewal_of
from cpmp.law.errors import RenewalAfterExpiry
from cpmp.law.kinds import AuthorityKind as K
from cpmp.law.records import error_report_due, retention_until
from cpmp.law.reviews import check_chis_renewal, first_statutory_review_due
from cpmp.law.sources import (
    check_cca_has_live_chis,
    cumulative_days,
    relevant_source_cumulative,
    treated_as_intrusive,
)

LONDON = ZoneInfo("Europe/London")
CALENDARS = Calendars.default()
PROCLAIMED = Calendars.default(extra_holidays=[date(2026, 6, 15)])


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)  # type: ignore[misc]


# (grant, event, day, requirement, due_at)
COMMISSIONER_CASES = [
    (Grant(K.DIRECTED_SURVEILLANCE, date(2026, 1, 1)), Event.GRANT, None, Requirement.NONE, None),
    (Grant(K.CHIS, date(2026, 1, 1)), Event.RENEWAL, None, Requirement.NONE, None),
    (Grant(K.INTRUSIVE_SURVEILLANCE, date(2026, 1, 1)), Event.GRANT, None, Requirement.PRIOR_APPROVAL, None),
    (Grant(K.INTRUSIVE_SURVEILLANCE, date(2026, 1, 1)), Event.RENEWAL, None, Requirement.PRIOR_APPROVAL, None),
    (Grant(K.INTRUSIVE_SURVEILLANCE, date(2026, 1, 1), urgent=True), Event.GRANT, None, Requirement.NOTIFY, None),
    (Grant(K.INTRUSIVE_SURVEILLANCE, date(2026, 1, 1)), Event.CANCELLATION, None, Requirement.NOTIFY, None),
    (Grant(K.DIRECTED_SURVEILLANCE, date(2026, 1, 1), legal_consultation=True), Event.GRANT, None, Requirement.PRIOR_APPROVAL, None),
    (Grant(K.PROPERTY_INTERFERENCE, date(2026, 1, 1)), Event.GRANT, None, Requirement.NOTIFY, None),
    (Grant(K.PROPERTY_INTERFERENCE, date(2026, 1, 1)), Event.CANCELLATION, None, Requirement.NOTIFY, None),
    (Grant(K.PROPERTY_INTERFERENCE, date(2026, 1, 1), section_97=True), Event.GRANT, None, Requirement.PRIOR_APPROVAL, None),
    (Grant(K.PROPERTY_INTERFERENCE, date(2026, 1, 1), section_97=True, urgent=True), Event.GRANT, None, Requirement.NOTIFY, None),
    (Grant(K.CRIMINAL_CONDUCT, date(2026, 7, 10)), Event.GRANT, date(2026, 7, 10), Requirement.NOTIFY, at(2026, 7, 18)),
    (Grant(K.CRIMINAL_CONDUCT, date(2026, 7, 10)), Event.CANCELLATION, date(2026, 12, 25), Requirement.NOTIFY, at(2027, 1, 2)),
    (Grant(K.CRIMINAL_CONDUCT, date(2026, 7, 10)), Event.RENEWAL, None, Requirement.NONE, None),
    (Grant(K.RELEVANT_SOURCE, date(2026, 1, 1)), Event.GRANT, None, Requirement.NOTIFY, None),
    (Grant(K.RELEVANT_SOURCE, date(2026, 1, 1), long_term=True), Event.GRANT, None, Requirement.PRIOR_APPROVAL, None),
    (Grant(K.RELEVANT_SOURCE, date(2026, 1, 1), long_term=True), Event.RENEWAL, None, Requirement.PRIOR_APPROVAL, None),
    (Grant(K.CHIS, date(2026, 1, 1), legally_privileged=True), Event.GRANT, None, Requirement.PRIOR_APPROVAL, None),
    (Grant(K.EQUIPMENT_INTERFERENCE, date(2026, 1, 10)), Event.GRANT, None, Requirement.PRIOR_APPROVAL, None),
    (Grant(K.EQUIPMENT_INTERFERENCE, date(2026, 1, 10)), Event.RENEWAL, None, Requirement.PRIOR_APPROVAL, None),
    (Grant(K.EQUIPMENT_INTERFERENCE, date(2026, 1, 10)), Event.CANCELLATION, None, Requirement.NONE, None),
    (Grant(K.EQUIPMENT_INTERFERENCE, date(2026, 4, 2), urgent=True), Event.GRANT, date(2026, 4, 2), Requirement.APPROVAL_OF_URGENT_ISSUE, at(2026, 4, 10)),
    # Christmas 2026: Fri 25, Sat, Sun, Mon 28 (substitute Boxing Day) are not working days.
    (Grant(K.EQUIPMENT_INTERFERENCE, date(2026, 12, 24), urgent=True), Event.GRANT, date(2026, 12, 24), Requirement.APPROVAL_OF_URGENT_ISSUE, at(2027, 1, 1)),
]  # fmt: skip


@pytest.mark.parametrize(("grant", "event", "day", "requirement", "due_at"), COMMISSIONER_CASES)
def test_commissioner_requirement_table(
    grant: Grant,
    event: Event,
    day: date | None,
    requirement: Requirement,
    due_at: datetime | None,
) -> None:
    event_day = day if day is not None else date(2026, 1, 1)
    deadline = commissioner_deadline(grant, event, event_day, CALENDARS)
    assert deadline.requirement is requirement
    assert deadline.due_at == due_at
    assert deadline.rules


def test_urgent_modification_due_third_working_day() -> None:
    # Made Thu 24 Dec 2026: Fri 25, Mon 28 (substitute) are holidays, so WD3 is Thu 31 Dec.
    assert urgent_modification_approval_due(date(2026, 12, 24), CALENDARS) == at(2027, 1, 1)


# (kind, first day, last day): month ends, leap days and convention C2.
PERIOD_CASES = [
    (K.DIRECTED_SURVEILLANCE, date(2025, 11, 30), date(2026, 2, 27)),
    (K.DIRECTED_SURVEILLANCE, date(2027, 11, 30), date(2028, 2, 28)),
    (K.DIRECTED_SURVEILLANCE, date(2026, 1, 31), date(2026, 4, 29)),
    (K.DIRECTED_SURVEILLANCE, date(2026, 12, 31), date(2027, 3, 30)),
    (K.DIRECTED_SURVEILLANCE, date(2028, 2, 29), date(2028, 5, 28)),
    (K.CHIS, date(2028, 2, 29), date(2029, 2, 27)),
    (K.CHIS, date(2027, 3, 1), date(2028, 2, 29)),
    (K.CHIS, date(2026, 12, 31), date(2027, 12, 30)),
    (K.JUVENILE_CHIS, date(2026, 10, 31), date(2027, 2, 27)),
    (K.JUVENILE_CHIS, date(2018, 8, 15), date(2018, 12, 14)),
    (K.JUVENILE_CHIS, date(2018, 8, 14), date(2018, 9, 13)),
    (K.PROPERTY_INTERFERENCE, date(2026, 3, 29), date(2026, 6, 28)),
    (K.EQUIPMENT_INTERFERENCE, date(2026, 8, 31), date(2027, 2, 27)),
]


@pytest.mark.parametrize(("kind", "first_day", "last_day"), PERIOD_CASES)
def test_written_period_table(kind: K, first_day: date, last_day: date) -> None:
    approved = first_day if kind is K.EQUIPMENT_INTERFERENCE else None
    period = period_of(Grant(kind, first_day, approved=approved), CALENDARS)
    assert period.first_day == first_day
    assert period.last_day == last_day
    assert period.expires_at == datetime.combine(
        date.fromordinal(last_day.toordinal() + 1), datetime.min.time(), tzinfo=LONDON
    )


# (granted, expires): 72 elapsed hours across both clock changes (convention C4).
HOURS_CASES = [
    (at(2026, 3, 27, 10, 0), "2026-03-30T11:00:00+01:00"),
    (at(2026, 10, 23, 10, 0), "2026-10-26T09:00:00+00:00"),
    (at(2026, 3, 29, 0, 30), "2026-04-01T01:30:00+01:00"),
    (at(2026, 10, 25, 0, 30), "2026-10-27T23:30:00+00:00"),
    (at(2026, 7, 1, 12, 0), "2026-07-04T12:00:00+01:00"),
]


@pytest.mark.parametrize(("granted", "expires"), HOURS_CASES)
def test_urgent_72_hours_across_clock_changes(granted: datetime, expires: str) -> None:
    period = period_of(Grant(K.CHIS, granted, oral=True, urgent=True), CALENDARS)
    assert period.expires_at is not None
    assert period.expires_at.isoformat() == expires


def test_date_only_urgent_grant_has_bounds() -> None:
    period = period_of(Grant(K.CHIS, date(2026, 7, 1), oral=True), CALENDARS)
    assert period.expires_at is None
    assert period.expires_earliest == at(2026, 7, 4)
    assert period.expires_latest == at(2026, 7, 5)


def test_renewal_after_expiry_is_rejected() -> None:
    with pytest.raises(RenewalAfterExpiry):
        renewal_of(Grant(K.DIRECTED_SURVEILLANCE, date(2026, 4, 1)), at(2026, 4, 1), CALENDARS)


# (calendar, day, is a working day): holidays in each UK division.
WORKING_DAY_CASES = [
    ("ew", date(2026, 1, 2), True),
    ("uk", date(2026, 1, 2), False),  # Scotland's 2 January
    ("ew", date(2026, 3, 17), True),
    ("uk", date(2026, 3, 17), False),  # St Patrick's Day, Northern Ireland
    ("uk", date(2026, 7, 13), False),  # Battle of the Boyne, 12 July falls on a Sunday
    ("ew", date(2026, 7, 13), True),
    ("uk", date(2026, 8, 3), False),  # Scottish summer bank holiday
    ("ew", date(2026, 8, 31), False),  # English summer bank holiday
    ("uk", date(2026, 11, 30), False),  # St Andrew's Day
    ("ew", date(2026, 11, 30), True),
    ("ew", date(2026, 12, 28), False),  # substitute for Boxing Day on a Saturday
    ("uk", date(2026, 12, 28), False),
    ("ew", date(2026, 4, 3), False),  # Good Friday
    ("ew", date(2026, 4, 6), False),  # Easter Monday in England and Wales
    ("ew", date(2026, 4, 4), False),  # Saturday
    ("ew", date(2026, 4, 7), True),
    ("proclaimed", date(2026, 6, 15), False),  # proclaimed Scottish bank holiday
    ("ew", date(2026, 6, 15), True),
]


@pytest.mark.parametrize(("which", "day", "working"), WORKING_DAY_CASES)
def test_working_day_table(which: str, day: date, working: bool) -> None:
    calendar = {
        "ew": CALENDARS.england_and_wales,
        "uk": CALENDARS.united_kingdom,
        "proclaimed": PROCLAIMED.united_kingdom,
    }[which]
    assert calendar.is_working_day(day) is working


def test_error_report_counts_english_and_uk_days() -> None:
    # Established Fri 13 Mar 2026: NI's 17 March delays only the UK-wide count.
    deadline = error_report_due(date(2026, 3, 13), CALENDARS)
    assert deadline.due_last_day == date(2026, 3, 27)
    assert deadline.outside_limit_last_day == date(2026, 3, 30)
    assert deadline.due_at == at(2026, 3, 28)


def test_error_report_established_on_holiday() -> None:
    # Scotland's 2 Jan 2027 falls on a Saturday, so Mon 4 Jan is its substitute.
    deadline = error_report_due(date(2026, 12, 25), CALENDARS)
    assert deadline.due_last_day == date(2027, 1, 12)
    assert deadline.outside_limit_last_day == date(2027, 1, 13)


@pytest.mark.parametrize(
    ("end", "kept_until"),
    [
        (date(2026, 3, 31), date(2029, 3, 31)),
        (date(2028, 2, 29), date(2031, 3, 1)),
        (date(2027, 2, 28), date(2030, 2, 28)),
    ],
)
def test_retention_until_table(end: date, kept_until: date) -> None:
    assert retention_until(end) == kept_until


def test_juvenile_first_review_by_law_in_force() -> None:
    due, rules = first_statutory_review_due(date(2026, 1, 30), date(2026, 5, 29), juvenile=True)
    assert due == date(2026, 2, 27)
    assert rules == ("juvenile-monthly-review",)
    before_2018, _ = first_statutory_review_due(date(2018, 1, 1), date(2018, 1, 31), juvenile=True)
    assert before_2018 is None
    adult, _ = first_statutory_review_due(date(2026, 1, 30), date(2027, 1, 29), juvenile=False)
    assert adult is None


def test_chis_renewal_needs_recorded_review() -> None:
    assert not check_chis_renewal(K.CHIS, review_recorded=False).permitted
    assert check_chis_renewal(K.CHIS, review_recorded=True).permitted
    assert not check_chis_renewal(K.RELEVANT_SOURCE, review_recorded=False).permitted
    assert check_chis_renewal(K.DIRECTED_SURVEILLANCE, review_recorded=False).permitted


def test_cumulative_days_counts_overlap_once() -> None:
    periods = [
        (date(2026, 1, 1), date(2026, 1, 10)),
        (date(2026, 1, 5), date(2026, 1, 20)),
        (date(2026, 2, 1), date(2026, 2, 1)),
    ]
    assert cumulative_days(periods) == 21
    assert cumulative_days([]) == 0


def test_relevant_source_long_term_threshold() -> None:
    under = relevant_source_cumulative([(date(2026, 1, 1), date(2026, 12, 31))])
    assert under.total_days == 365
    assert not under.long_term
    assert under.warning
    over = relevant_source_cumulative(
        [(date(2026, 1, 1), date(2026, 12, 31)), (date(2027, 6, 1), date(2027, 6, 1))]
    )
    assert over.long_term
    early = relevant_source_cumulative([(date(2026, 1, 1), date(2026, 3, 31))])
    assert not early.warning
    assert early.days_remaining == 275


def test_cca_needs_live_chis() -> None:
    chis = [(at(2026, 7, 10, 16, 0), at(2027, 7, 10))]
    assert check_cca_has_live_chis(at(2026, 7, 10, 16, 0), chis).permitted
    assert not check_cca_has_live_chis(at(2026, 7, 10, 15, 59), chis).permitted
    assert not check_cca_has_live_chis(at(2027, 7, 10), chis).permitted
    assert not check_cca_has_live_chis(at(2026, 7, 10, 16, 0), []).permitted
    too_early = check_cca_has_live_chis(at(2021, 9, 14, 12, 0), [(at(2021, 1, 1), at(2022, 1, 1))])
    assert not too_early.permitted
    assert "2021-09-15" in str(too_early.problem)


def test_legal_consultation_treated_as_intrusive() -> None:
    treated, rules = treated_as_intrusive(
        Grant(K.DIRECTED_SURVEILLANCE, date(2026, 1, 1), legal_consultation=True)
    )
    assert treated
    assert rules == ("legal-consultations-order-treated-as-intrusive",)
    plain, _ = treated_as_intrusive(Grant(K.DIRECTED_SURVEILLANCE, date(2026, 1, 1)))
    assert not plain
