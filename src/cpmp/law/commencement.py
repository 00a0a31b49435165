"""The dates from which each kind of authority exists in law for a police force.

An authority dated before its power came into force is invalid, whatever its other facts.
"""

from __future__ import annotations

from datetime import date

from .kinds import AuthorityKind
from .rules import Confidence, Rule, define

K = AuthorityKind

CCA_COMMENCEMENT = date(2021, 9, 15)
TEI_COMMENCEMENT = date(2018, 12, 5)

CCA_IN_FORCE = define(
    "cca-commencement-2021-09-15",
    "A criminal conduct authorisation can be granted by a police force only from 15 September "
    "2021; one dated earlier is invalid.",
    "RIPA 2000 s.29B, inserted by the CHIS (Criminal Conduct) Act 2021 s.1; in force for police "
    "forces from 15 September 2021 (SI 2021/605 reg 2(b))",
    Confidence.VERIFIED,
    applies_from=CCA_COMMENCEMENT,
)
TEI_IN_FORCE = define(
    "ipa-tei-commencement-2018-12-05",
    "A law enforcement chief can issue a targeted equipment interference warrant only from "
    "5 December 2018 (applications from 28 November 2018); a warrant dated earlier is invalid. "
    "Before then equipment was interfered with under Police Act 1997 Part III.",
    "IPA 2016 s.106, brought into force by the IPA 2016 (Commencement No. 9) Regulations 2018 "
    "regs 2-3, as reported by the Society for Computers and Law on 29 November 2018",
    Confidence.RECALLED,
    applies_from=TEI_COMMENCEMENT,
)

_IN_FORCE: dict[AuthorityKind, Rule] = {
    K.CRIMINAL_CONDUCT: CCA_IN_FORCE,
    K.EQUIPMENT_INTERFERENCE: TEI_IN_FORCE,
}


def commencement_rule(kind: AuthorityKind) -> Rule | None:
    """Return the rule that sets when ``kind`` came into force, or None if none is recorded."""
    return _IN_FORCE.get(kind)


def not_in_force_problem(kind: AuthorityKind, day: date) -> str | None:
    """Return why ``kind`` could not be granted on ``day``, or None when the power existed then."""
    rule = _IN_FORCE.get(kind)
    if rule is None or rule.applies_on(day):
        return None
    start = rule.applies_from.isoformat() if rule.applies_from else "a later date"
    return (
        f"the {kind.value} authority dated {day.isoformat()} is invalid: police forces have "
        f"this power only from {start}"
    )
