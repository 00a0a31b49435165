"""Review findings: reviews set or required by law and not held, and reviews out of time.

A review is overdue when it fell due (on a date the register sets, or monthly for a juvenile
source) and none is recorded by 7 days after that date, provided the authorisation was still
in effect when those 7 days ended. An authorisation cancelled or expired inside the 7 days
is not flagged, because ending it answers the question a review would ask.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from cpmp.law.durations import Period
from cpmp.law.kinds import AuthorityKind
from cpmp.law.periods import day_end, london_day
from cpmp.law.reviews import (
    JUVENILE_MONTHLY_REVIEW,
    REVIEW_GRACE,
    juvenile_review_due_days,
    match_reviews,
)

from ..findings import Finding
from .dates import Marker
from .facts import RecordFacts


def review_findings(
    facts: RecordFacts,
    kind: AuthorityKind,
    period: Period,
    *,
    ended: datetime | None,
    at: datetime,
    in_effect: bool,
) -> set[Finding]:
    found: set[Finding] = set()
    if facts.reviews.marker is Marker.TEXT:
        # "see file": the reviews may exist, but the central record does not show them.
        found.add(Finding.REVIEW_DATES_NOT_RECORDED)
        return found
    first_day = period.first_day
    if first_day is None:
        return found
    held = sorted(review.first_day() for review in facts.reviews.dates)
    last_in_effect = london_day(ended - timedelta(microseconds=1)) if ended else None
    if any(day < first_day or (last_in_effect and day > last_in_effect) for day in held):
        found.add(Finding.REVIEW_WHEN_NOT_IN_EFFECT)

    set_days = sorted(due.first_day() for due in facts.review_due)
    if _missed(set_days, held, first_day, ended, at):
        found.add(Finding.REVIEW_OVERDUE)

    juvenile = facts.juvenile or kind is AuthorityKind.JUVENILE_CHIS
    if juvenile and period.last_day is not None and JUVENILE_MONTHLY_REVIEW.applies_on(first_day):
        monthly = juvenile_review_due_days(first_day, period.last_day)
        if _missed(monthly, held, first_day, ended, at):
            found.add(Finding.REVIEW_OVERDUE)
            found.add(Finding.JUVENILE_MONTHLY_REVIEWS_MISSED)
    return found


def _missed(
    due_days: list[date],
    held: list[date],
    first_day: date,
    ended: datetime | None,
    at: datetime,
) -> bool:
    """Return whether any due day went 7 days without a review while still in effect."""
    answered = match_reviews(due_days, [day for day in held if day >= first_day])
    for due, answer in answered:
        if answer is not None:
            continue
        deadline = day_end(due + REVIEW_GRACE)
        if deadline > at:
            continue
        if ended is not None and ended < deadline:
            continue
        return True
    return False
