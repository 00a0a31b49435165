"""The 5×5 likelihood-by-impact matrix and its bands. Pure Python, no Django import.

Score = likelihood × impact, each from 1 (rare, negligible) to 5 (almost certain, severe),
so a score is one of 1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20 or 25. The bands:

| band      | scores  | who may accept it                                     |
|-----------|---------|-------------------------------------------------------|
| low       | 1–4     | nobody needs to: it never blocks tasking              |
| medium    | 5–9     | nobody needs to: it never blocks tasking              |
| high      | 10–16   | a senior authorising officer or the senior responsible officer |
| very high | 20–25   | the senior responsible officer                        |
"""

from __future__ import annotations

import enum

LIKELIHOOD_LABELS = {
    1: "Rare",
    2: "Unlikely",
    3: "Possible",
    4: "Likely",
    5: "Almost certain",
}
IMPACT_LABELS = {
    1: "Negligible",
    2: "Minor",
    3: "Moderate",
    4: "Major",
    5: "Severe (death or serious injury)",
}


class Band(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very-high"


BAND_LABELS = {
    Band.LOW: "Low",
    Band.MEDIUM: "Medium",
    Band.HIGH: "High",
    Band.VERY_HIGH: "Very high",
}

# The lowest score of each band above low.
MEDIUM_FROM = 5
HIGH_FROM = 10
VERY_HIGH_FROM = 20


def score(likelihood: int, impact: int) -> int:
    """Return likelihood × impact, raising ``ValueError`` for a value outside 1 to 5."""
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if value not in LIKELIHOOD_LABELS:
            raise ValueError(f"{name} must be a whole number from 1 to 5, not {value!r}")
    return likelihood * impact


def band_of(value: int) -> Band:
    """Return the band of a score from 1 to 25."""
    if value >= VERY_HIGH_FROM:
        return Band.VERY_HIGH
    if value >= HIGH_FROM:
        return Band.HIGH
    if value >= MEDIUM_FROM:
        return Band.MEDIUM
    return Band.LOW


def needs_acceptance(band: Band) -> bool:
    """Decide whether a risk in ``band`` blocks tasking until someone senior accepts it."""
    return band in (Band.HIGH, Band.VERY_HIGH)
