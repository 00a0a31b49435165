"""Checks that span several authorisations of one source: the cumulative period that makes a
relevant source's authorisation long-term, and the CHIS authorisation a CCA depends on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .commencement import CCA_IN_FORCE, not_in_force_problem
from .durations import LEGAL_CONSULTATION_IS, Grant
from .kinds import AuthorityKind
from .periods import london_day, require_aware
from .rules import Confidence, define

LONG_TERM_TWELVE_MONTHS = define(
    "relevant-source-long-term-cumulative-12-months",
    "A relevant-source authorisation is long-term once the periods for which the source has "
    "been authorised in the same investigation or operation total more than 12 months. CPMP "
    "adds every period per source per operation, counts days that overlap once, and takes "
    "12 months as 365 days (the earlier reading when a 29 February falls inside).",
    "SI 2013/2788 art 1 and Part 2; IPCO Annual Report 2019 para 12.18-12.19",
    Confidence.UNRESOLVED,
)
CCA_NEEDS_LIVE_CHIS = define(
    "ripa-s29b-3-cca-needs-chis-authorisation",
    "A criminal conduct authorisation may be granted only at the same time as, or after, a "
    "s.29 authorisation for the same source, and only while that authorisation has effect.",
    "RIPA 2000 s.29(6ZA), s.29B(3)",
    Confidence.VERIFIED,
)

TWELVE_MONTHS_IN_DAYS = 365
DEFAULT_WARNING_DAYS = 30


@dataclass(frozen=True)
class CumulativePeriod:
    """The total authorised days of one relevant source in one operation.

    ``long_term`` is true once the total exceeds 12 months. ``warning`` is true from
    ``warning_days`` before that point, so that a long-term authorisation can be sought in time.
    """

    total_days: int
    days_remaining: int
    long_term: bool
    warning: bool
    rules: tuple[str, ...]


def cumulative_days(periods: Iterable[tuple[date, date]]) -> int:
    """Return how many distinct days the inclusive ``(first_day, last_day)`` periods cover."""
    total = 0
    covered_until: date | None = None
    for first_day, last_day in sorted(periods):
        if last_day < first_day:
            raise ValueError(f"a period cannot end ({last_day}) before it begins ({first_day})")
        if covered_until is not None and first_day <= covered_until:
            first_day = covered_until + timedelta(days=1)
        if first_day <= last_day:
            total += (last_day - first_day).days + 1
        covered_until = last_day if covered_until is None else max(covered_until, last_day)
    return total


def relevant_source_cumulative(
    periods: Iterable[tuple[date, date]], *, warning_days: int = DEFAULT_WARNING_DAYS
) -> CumulativePeriod:
    """Return the cumulative authorised period of a relevant source in one operation.

    Give every period the source has been, or is proposed to be, authorised for in the same
    investigation or operation, as inclusive first and last days.
    """
    total = cumulative_days(periods)
    remaining = TWELVE_MONTHS_IN_DAYS - total
    return CumulativePeriod(
        total_days=total,
        days_remaining=max(remaining, 0),
        long_term=total > TWELVE_MONTHS_IN_DAYS,
        warning=remaining <= warning_days,
        rules=(LONG_TERM_TWELVE_MONTHS.identifier,),
    )


@dataclass(frozen=True)
class ConductCheck:
    permitted: bool
    problem: str | None
    rules: tuple[str, ...]


def check_cca_has_live_chis(
    cca_takes_effect: datetime, chis_periods: Iterable[tuple[datetime, datetime]]
) -> ConductCheck:
    """Decide whether a CCA taking effect at ``cca_takes_effect`` has a live CHIS authorisation.

    ``chis_periods`` are the source's s.29 authorisations as (took effect, exclusive end)
    instants. A CCA dated before its power came into force is invalid as well.
    """
    require_aware(cca_takes_effect)
    rules = [CCA_IN_FORCE.identifier, CCA_NEEDS_LIVE_CHIS.identifier]
    day = london_day(cca_takes_effect)
    too_early = not_in_force_problem(AuthorityKind.CRIMINAL_CONDUCT, day)
    if too_early is not None:
        return ConductCheck(False, too_early, tuple(rules))
    for start, end in chis_periods:
        if start <= cca_takes_effect < end:
            return ConductCheck(True, None, tuple(rules))
    return ConductCheck(
        False,
        f"no CHIS authorisation for this source has effect at {cca_takes_effect.isoformat()}: "
        "grant the s.29 authorisation first, or at the same time as the criminal conduct "
        "authorisation",
        tuple(rules),
    )


def treated_as_intrusive(grant: Grant) -> tuple[bool, tuple[str, ...]]:
    """Return whether ``grant`` is handled as intrusive surveillance, and the rule applied.

    Surveillance of legal consultations in specified premises is treated as intrusive
    (SI 2010/461), so it needs the intrusive authoriser and prior approval.
    """
    if grant.kind is AuthorityKind.INTRUSIVE_SURVEILLANCE:
        return True, ()
    if grant.legal_consultation:
        return True, (LEGAL_CONSULTATION_IS.identifier,)
    return False, ()
