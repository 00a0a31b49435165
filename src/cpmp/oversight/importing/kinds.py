"""Type-of-authorisation text to an ``AuthorityKind``, with the qualifiers registers add.

"Directed Surveillance (oral)", "DS", "CHIS - juvenile (17)", "TEI warrant (urgent)" and
"Property Interference (vehicle)" all carry facts beyond the kind: oral, urgent, age,
premises. Communications data is not a covert authorisation under RIPA Part II, the Police
Act 1997 or IPA Part 5, so it gets no kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cpmp.law.kinds import AuthorityKind

K = AuthorityKind


@dataclass(frozen=True)
class KindReading:
    kind: AuthorityKind | None
    oral: bool = False
    urgent: bool = False
    juvenile_age: int | None = None
    long_term: bool = False
    online: bool = False
    # Premises that need a Commissioner's prior approval (Police Act 1997 s.97(2)).
    section_97_premises: bool = False
    not_covert: bool = False
    nil_return: bool = False
    # How many authorisations one row stands for ("DS (x2)"); 1 when not stated.
    multiplier: int = 1


# Tried in order: "CHIS - relevant source" must be a relevant source before it is a CHIS.
_KIND_PATTERNS: tuple[tuple[AuthorityKind, str], ...] = (
    (K.CRIMINAL_CONDUCT, r"criminal conduct|\bcca\b"),
    (K.EQUIPMENT_INTERFERENCE, r"equipment interference|\btei\b|\bei warrant"),
    (K.PROPERTY_INTERFERENCE, r"property|\bpi\b|s\.?\s?93\b"),
    (K.INTRUSIVE_SURVEILLANCE, r"intrusive|\bis\b"),
    (K.RELEVANT_SOURCE, r"relevant source|\buco\b|undercover"),
    (K.JUVENILE_CHIS, r"juvenile|under 18"),
    (K.CHIS, r"\bchis\b|human intelligence|informant"),
    (K.DIRECTED_SURVEILLANCE, r"directed|\bds\b"),
)
_NOT_COVERT = re.compile(
    r"communications data|comms data|\bcd\b|acquisition of communications|"
    r"part 3 ipa|prison rule|opt surveillance",
    re.IGNORECASE,
)
_NIL = re.compile(r"^\s*(nil|none)\b", re.IGNORECASE)
_MULTIPLIER = re.compile(r"\(?\s*[x×]\s*(\d+)\s*\)?\s*$", re.IGNORECASE)
_AGE = re.compile(r"\((?:aged?\s*)?(\d{1,2})\)")
_S97_PREMISES = re.compile(r"dwelling|residential|home|hotel|office|bedroom", re.IGNORECASE)


def read_kind(text: str) -> KindReading | None:
    """Read a type cell, returning None when no kind is recognised."""
    raw = " ".join(text.split())
    if not raw:
        return None
    if _NIL.match(raw):
        return KindReading(None, nil_return=True)
    multiplier = 1
    times = _MULTIPLIER.search(raw)
    if times:
        multiplier = int(times.group(1))
        raw = raw[: times.start()].strip()
    if _NOT_COVERT.search(raw):
        return KindReading(None, not_covert=True, multiplier=multiplier)
    lowered = raw.lower()
    kind = next(
        (candidate for candidate, pattern in _KIND_PATTERNS if re.search(pattern, lowered)), None
    )
    if kind is None:
        return None
    age_match = _AGE.search(lowered)
    age = int(age_match.group(1)) if age_match else None
    if kind is K.CHIS and age is not None and age < 18:
        kind = K.JUVENILE_CHIS
    return KindReading(
        kind=kind,
        oral=bool(re.search(r"\boral", lowered)),
        urgent=bool(re.search(r"\burgen|\boral", lowered)),
        juvenile_age=age if kind is K.JUVENILE_CHIS else None,
        long_term=bool(re.search(r"long.?term", lowered)),
        online=bool(re.search(r"online|internet|social media", lowered)),
        section_97_premises=kind is K.PROPERTY_INTERFERENCE and bool(_S97_PREMISES.search(lowered)),
        multiplier=multiplier,
    )
