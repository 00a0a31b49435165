"""Reviews the law itself requires, as opposed to those an authorising officer sets."""

from __future__ import annotations

from datetime import date

from .periods import last_day_of_months
from .rules import Confidence, define

JUVENILE_MONTHLY_REVIEW = define(
    "juvenile-monthly-review",
    "An authorisation of a source under 18 must be reviewed at least monthly; each review is "
    "due by the end of the last day of each month of the period (convention C2 for month ends). "
    "The juvenile regime continues if the source turns 18 (convention C12).",
    "SI 2000/2793 as amended by SI 2018/715; Hansard HL 16 Oct 2018; conventions C2, C12",
    Confidence.RECALLED,
    applies_from=date(2018, 8, 15),
)


def juvenile_review_due_days(first_day: date, last_day: date) -> list[date]:
    """Return the last day by which each monthly review falls due, within the period.

    The k-th review is due by the last day of the k-th month beginning with ``first_day``:
    a juvenile authorisation beginning 30 Jan 2026 has its first review due by 27 Feb 2026.
    A review due on the period's own last day is still listed.
    """
    due: list[date] = []
    months = 1
    while True:
        day = last_day_of_months(first_day, months)
        if day > last_day:
            return due
        due.append(day)
        months += 1
