"""Checks on the words of a record: the reference's year, the crime threshold, durations."""

from __future__ import annotations

import re

from .dates import PartialDate
from .facts import RecordFacts

_FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_TWO_DIGIT_SEGMENT = re.compile(r"^\d{2}$")
_SENTENCE = re.compile(r"(\d+)\s*(year|month|week)s?", re.IGNORECASE)
_NO_CUSTODY = re.compile(r"\bnone\b|fine only|\bfine\b|no custod|non.?imprisonable", re.I)
_EXEMPTION = re.compile(
    r"exemption|underage|under.?age|under 18s?|test purchase.*(alcohol|tobacco|cigarette|"
    r"nicotine|vape)|sale of (alcohol|tobacco|nicotine)",
    re.IGNORECASE,
)
# Offences a council register names that carry no custodial sentence: a fixed penalty or a
# fine on summary conviction only (dog fouling and other public spaces protection order
# breaches, littering, parking). The list is deliberately short: an offence not on it is
# not flagged from the description alone.
_BELOW_THRESHOLD_DESCRIPTIONS = re.compile(
    r"dog foul|\blitter|\bparking\b|\bpspo\b|public spaces protection", re.IGNORECASE
)


def reference_year(reference: str | None) -> int | None:
    """Return the year a reference encodes ("DS/2023/002", "PI/23/001", "RIPA 07/19")."""
    if not reference:
        return None
    four = _FOUR_DIGIT_YEAR.findall(reference)
    if len(four) == 1:
        return int(four[0])
    if four:
        return None
    segments = [part.strip() for part in re.split(r"[/\-]", reference)]
    two = [part for part in segments[1:] if _TWO_DIGIT_SEGMENT.match(part)]
    if len(two) == 1:
        return 2000 + int(two[0])
    return None


def reference_year_mismatch(reference: str | None, granted: PartialDate | None) -> bool:
    year = reference_year(reference)
    return year is not None and granted is not None and year != granted.year


def crime_threshold_not_met(facts: RecordFacts) -> bool:
    """Return whether a council's directed surveillance falls below the crime threshold.

    SI 2010/521 art 7A (inserted by SI 2012/1500): a local authority may authorise directed
    surveillance only for an offence punishable by at least 6 months' imprisonment, or for
    the underage sale of alcohol or tobacco (Licensing Act 2003 s.146-147A; Children and
    Young Persons Act 1933 s.7).
    """
    words = " ".join((facts.offence, facts.operation, facts.maximum_sentence))
    if _EXEMPTION.search(words):
        return False
    sentence = facts.maximum_sentence
    if sentence:
        months = _sentence_months(sentence)
        if months is not None:
            return months < 6
        return bool(_NO_CUSTODY.search(sentence))
    return bool(_BELOW_THRESHOLD_DESCRIPTIONS.search(facts.operation + " " + facts.offence))


def _sentence_months(text: str) -> float | None:
    match = _SENTENCE.search(text)
    if not match:
        return None
    count = int(match.group(1))
    unit = match.group(2).lower()
    return {"year": count * 12.0, "month": float(count), "week": count / 4.0}[unit]


def duration_exceeds(facts: RecordFacts, longest_days: int) -> bool:
    """Return whether the stated duration outruns the longest period the law allows."""
    return (
        facts.duration_days is not None
        and not facts.renewals
        and facts.duration_days > longest_days
    )
