"""The rule book: every rule the law core applies, with its source and the dates it applies between.

Each function that applies a rule names it by identifier, so a deadline can list the rules
behind it and ``cpmp law rules`` can print the whole book for a legal adviser to check.
Identifiers are stable: never rename or reuse one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Confidence(StrEnum):
    """How sure the source is, as marked in the research the rules came from."""

    VERIFIED = "verified"  # checked against the primary text
    RECALLED = "recalled"  # consistent with what was found, but the exact text was not seen
    CONVENTION = "convention"  # CPMP's chosen reading where the law admits two
    UNRESOLVED = "unresolved"  # the law is unclear; the safer reading is applied


@dataclass(frozen=True)
class Rule:
    identifier: str
    summary: str
    source: str
    confidence: Confidence
    applies_from: date | None = None
    applies_until: date | None = None  # the last day the rule applies, inclusive

    def applies_on(self, day: date) -> bool:
        if self.applies_from is not None and day < self.applies_from:
            return False
        return self.applies_until is None or day <= self.applies_until


_RULES: dict[str, Rule] = {}


def define(
    identifier: str,
    summary: str,
    source: str,
    confidence: Confidence,
    *,
    applies_from: date | None = None,
    applies_until: date | None = None,
) -> Rule:
    """Add a rule to the book and return it.

    Defining one identifier twice is a programming error and raises ``ValueError``.
    """
    if identifier in _RULES:
        raise ValueError(f"rule {identifier!r} is already defined")
    rule = Rule(identifier, summary, source, confidence, applies_from, applies_until)
    _RULES[identifier] = rule
    return rule


def all_rules() -> list[Rule]:
    """Return every rule in the book, sorted by identifier."""
    from . import book  # noqa: F401  (importing the book defines every rule)

    return sorted(_RULES.values(), key=lambda rule: rule.identifier)


def get_rule(identifier: str) -> Rule:
    from . import book  # noqa: F401

    return _RULES[identifier]
