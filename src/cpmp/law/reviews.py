"""Reviews the law itself requires, as opposed to those an authorising officer sets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .kinds import AuthorityKind
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

CHIS_KINDS = frozenset(
    {
        AuthorityKind.CHIS,
        AuthorityKind.JUVENILE_CHIS,
        AuthorityKind.RELEVANT_SOURCE,
    }
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


CHIS_REVIEW_BEFORE_RENEWAL = define(
    "ripa-s43-6-chis-review-before-renewal",
    "A CHIS authorisation (including a juvenile or relevant source) may not be renewed until "
    "a review has been recorded of the use made of the source, the tasks given to the source "
    "and the information obtained.",
    "RIPA 2000 s.43(6)-(7)",
    Confidence.RECALLED,
)


@dataclass(frozen=True)
class RenewalCheck:
    permitted: bool
    problem: str | None
    rules: tuple[str, ...]


def check_chis_renewal(kind: AuthorityKind, *, review_recorded: bool) -> RenewalCheck:
    """Decide whether a renewal may be granted given whether the s.43(6) review is recorded.

    Only CHIS kinds need the review; for other kinds the check always permits.
    """
    if kind not in CHIS_KINDS:
        return RenewalCheck(True, None, ())
    rules = (CHIS_REVIEW_BEFORE_RENEWAL.identifier,)
    if review_recorded:
        return RenewalCheck(True, None, rules)
    return RenewalCheck(
        False,
        "a CHIS authorisation may not be renewed without a recorded review of the use made of "
        "the source, the tasks given and the information obtained (RIPA s.43(6)-(7)): record "
        "the review first",
        rules,
    )


def first_statutory_review_due(
    first_day: date, last_day: date, *, juvenile: bool
) -> tuple[date | None, tuple[str, ...]]:
    """Return the last day of the first review the law itself requires, and the rule applied.

    Only a juvenile source has a statutory review interval; an adult authorisation is
    reviewed at intervals its authorising officer sets, so None is returned.
    """
    if not juvenile or not JUVENILE_MONTHLY_REVIEW.applies_on(first_day):
        return None, ()
    due = juvenile_review_due_days(first_day, last_day)
    return (due[0] if due else None), (JUVENILE_MONTHLY_REVIEW.identifier,)


# A review answers a due date when it is recorded no later than this after it. CPMP's own
# reading: the Codes require reviews at the intervals set but give no tolerance, and a week
# lets a review held just after a weekend or holiday count.
REVIEW_GRACE = timedelta(days=7)


def match_reviews(due_days: Sequence[date], held: Sequence[date]) -> list[tuple[date, date | None]]:
    """Pair each due day, in order, with the review that answered it, or None.

    Each held review answers at most one due day: the earliest unanswered one it is no later
    than ``REVIEW_GRACE`` after. A review held early answers the next due day.
    """
    unused = sorted(held)
    pairs: list[tuple[date, date | None]] = []
    for due in sorted(due_days):
        answer = next((day for day in unused if day <= due + REVIEW_GRACE), None)
        if answer is not None:
            unused.remove(answer)
        pairs.append((due, answer))
    return pairs
