"""Facts to takes-effect, expiry, status and findings, through the law core.

Status is taken at the close of the as-at day: the instant ``day_end(as_at)``, 00:00
Europe/London on the next day. Everything dated on the as-at day has happened by then, and an
authorisation whose last day is the as-at day has run its full course.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cpmp.law.calendar import Calendars
from cpmp.law.commissioner import cca_notice_due, urgent_tei_approval_due
from cpmp.law.durations import Grant, Period, Regime, period_of, renewal_of
from cpmp.law.errors import RenewalAfterExpiry
from cpmp.law.kinds import AuthorityKind
from cpmp.law.periods import day_end, london_day
from cpmp.law.ranks import ORAL_NEEDS_FULL_POWER, Force, check_authoriser, parse_rank
from cpmp.law.status import status_at

from ..findings import Finding
from .checks import crime_threshold_not_met, duration_exceeds, reference_year_mismatch
from .dates import Marker, PartialDate, Precision
from .facts import CourtDecision, RecordFacts
from .reviews import review_findings

K = AuthorityKind
F = Finding


@dataclass(frozen=True)
class Assessment:
    takes_effect: PartialDate | None
    expires_at: datetime | None
    expires_earliest: datetime | None
    expires_latest: datetime | None
    state: str
    status: str
    cancelled: PartialDate | None
    findings: tuple[str, ...]
    rules: tuple[str, ...]


@dataclass
class _Work:
    """What the assessment has found so far for one record."""

    state: str = "granted"
    findings: set[Finding] | None = None
    rules: list[str] | None = None

    def __post_init__(self) -> None:
        self.findings = set()
        self.rules = []

    def flag(self, finding: Finding) -> None:
        assert self.findings is not None
        self.findings.add(finding)


def status_instant(as_at: date) -> datetime:
    return day_end(as_at)


def assess(
    facts: RecordFacts, *, as_at: date, calendars: Calendars, force: Force = Force.COUNTY
) -> Assessment:
    """Apply the law to one record's facts as they stood at the close of ``as_at``."""
    at = status_instant(as_at)
    work = _Work()
    kind = facts.kind.kind if facts.kind else None
    if facts.kind is not None and facts.kind.multiplier > 1:
        work.flag(F.SEVERAL_AUTHORISATIONS_IN_ROW)
    if reference_year_mismatch(facts.reference, facts.granted):
        work.flag(F.REFERENCE_YEAR_MISMATCH)

    if kind is None:
        work.flag(F.NOT_COVERT_AUTHORISATION if facts.kind else F.KIND_NOT_RECOGNISED)
        return _finish(work, facts, at, state="invalid-data")
    council_surveillance = (
        kind is K.DIRECTED_SURVEILLANCE and facts.regime is Regime.LOCAL_AUTHORITY
    )
    if council_surveillance and crime_threshold_not_met(facts):
        work.flag(F.CRIME_THRESHOLD_NOT_MET)
    if facts.refused_by_authoriser or facts.court_decision == CourtDecision.REFUSED:
        if facts.reviews.dates:
            work.flag(F.REVIEW_WHEN_NOT_IN_EFFECT)
        return _finish(work, facts, at, state="refused")
    if facts.granted is None:
        work.flag(F.GRANT_DATE_MISSING)
        return _finish(work, facts, at, state="invalid-data")

    _check_authoriser(facts, kind, force, work)
    if facts.ao_not_independent:
        work.flag(F.AO_NOT_INDEPENDENT)

    if facts.granted.precision in (Precision.MONTH, Precision.YEAR):
        return _assess_coarse(facts, kind, at, calendars, work)

    grant = _grant(facts, kind, force)
    period = period_of(grant, calendars)
    assert work.rules is not None
    work.rules.extend(period.rules)
    if period.awaiting_approval:
        return _awaiting(facts, at, work)
    period = _apply_renewals(facts, kind, period, calendars, work)
    _check_commissioner(facts, kind, period, calendars, work)
    return _with_cancellation(facts, kind, period, at, work)


def _grant(facts: RecordFacts, kind: AuthorityKind, force: Force) -> Grant:
    assert facts.granted is not None
    granted = facts.granted.moment()
    assert granted is not None
    approved = _approval(facts, kind)
    return Grant(
        kind=kind,
        granted=granted,
        oral=facts.oral,
        urgent=facts.urgent,
        urgent_only_authoriser=facts.urgent and _urgent_only(facts, kind, force),
        approved=approved.moment() if approved else None,
        regime=facts.regime,
        juvenile=facts.juvenile,
        section_97=bool(facts.kind and facts.kind.section_97_premises)
        or (kind is K.PROPERTY_INTERFERENCE and facts.confidential),
        long_term=bool(facts.kind and facts.kind.long_term),
        legally_privileged=facts.legally_privileged,
    )


def _approval(facts: RecordFacts, kind: AuthorityKind) -> PartialDate | None:
    """Return when the magistrate's or the Commissioner's approval of the grant took effect."""
    if facts.regime is Regime.LOCAL_AUTHORITY:
        return facts.court_approved
    for event in facts.commissioner:
        if event.action == "approved" and not event.renewal:
            return event.when
    return None


def _urgent_only(facts: RecordFacts, kind: AuthorityKind, force: Force) -> bool:
    """Return whether the authoriser could act only because the case was urgent."""
    if facts.authoriser_urgent_only:
        return True
    rank = parse_rank(facts.authoriser)
    if rank is None or facts.regime is Regime.LOCAL_AUTHORITY:
        return False
    decision = check_authoriser(
        kind,
        rank,
        force,
        urgent=True,
        confidential=facts.confidential,
        legally_privileged=facts.legally_privileged,
        juvenile=facts.juvenile,
    )
    return decision.permitted and decision.urgent_only


def _check_authoriser(facts: RecordFacts, kind: AuthorityKind, force: Force, work: _Work) -> None:
    if facts.regime is Regime.LOCAL_AUTHORITY:
        # NOTE: the law core has no rule yet for council authorising officers' grades, so a
        # council register's authoriser is kept in ``details`` but not checked.
        return
    rank = parse_rank(facts.authoriser)
    if rank is None:
        return
    decision = check_authoriser(
        kind,
        rank,
        force,
        urgent=facts.urgent,
        oral=facts.oral,
        confidential=facts.confidential,
        legally_privileged=facts.legally_privileged,
        juvenile=facts.juvenile,
        long_term=bool(facts.kind and facts.kind.long_term),
        on=facts.granted.first_day() if facts.granted else None,
    )
    assert work.rules is not None
    work.rules.extend(decision.rules)
    if decision.permitted:
        return
    if facts.oral and decision.urgent_only and ORAL_NEEDS_FULL_POWER.identifier in decision.rules:
        # RIPA s.43(1): the rank may act in urgent cases, but only in writing.
        work.flag(F.ORAL_GRANT_BY_URGENT_ONLY_OFFICER)
    else:
        work.flag(F.AO_RANK_BELOW_MINIMUM)


def _apply_renewals(
    facts: RecordFacts, kind: AuthorityKind, period: Period, calendars: Calendars, work: _Work
) -> Period:
    """Extend ``period`` by each renewal in turn; stop at one that renews nothing."""
    for renewal in facts.renewals:
        signed = renewal.signed.moment()
        if signed is None or period.expires_at is None:
            break
        approved = renewal.approved or _renewal_approval(facts)
        renewal_grant = Grant(
            kind=kind,
            granted=signed,
            approved=approved.moment() if approved else None,
            regime=facts.regime,
            juvenile=facts.juvenile,
            # A relevant source renewed past 12 months is long-term (SI 2013/2788 art 3).
            long_term=kind is K.RELEVANT_SOURCE or bool(facts.kind and facts.kind.long_term),
            legally_privileged=facts.legally_privileged,
        )
        try:
            renewed = renewal_of(renewal_grant, period.expires_at, calendars)
        except RenewalAfterExpiry:
            # Convention C5: a renewal signed after expiry renews nothing.
            work.flag(F.RENEWAL_AFTER_EXPIRY)
            break
        if renewed.awaiting_approval:
            work.flag(F.APPROVAL_MISSING)
            break
        assert work.rules is not None
        work.rules.extend(renewed.rules)
        period = Period(
            takes_effect=period.takes_effect,
            first_day=period.first_day,
            last_day=renewed.last_day,
            expires_at=renewed.expires_at,
            expires_earliest=renewed.expires_earliest,
            expires_latest=renewed.expires_latest,
            awaiting_approval=False,
            rules=period.rules + renewed.rules,
        )
    return period


def _renewal_approval(facts: RecordFacts) -> PartialDate | None:
    for event in facts.commissioner:
        if event.action == "approved" and event.renewal:
            return event.when
    return None


def _check_commissioner(
    facts: RecordFacts, kind: AuthorityKind, period: Period, calendars: Calendars, work: _Work
) -> None:
    assert facts.granted is not None
    grant_day = facts.granted.first_day()
    if kind is K.CRIMINAL_CONDUCT:
        # RIPA s.32C: notice before the end of the 7 days beginning with the day after grant.
        due = cca_notice_due(grant_day)
        notices = [e.when for e in facts.commissioner if e.action == "notified" and not e.renewal]
        if notices and notices[0].earliest() >= due:
            work.flag(F.COMMISSIONER_NOTICE_LATE)
    if kind is K.EQUIPMENT_INTERFERENCE and facts.urgent:
        # IPA 2016 s.109(3): the decision is due by the end of the 3rd working day after issue.
        due = urgent_tei_approval_due(grant_day, calendars)
        approvals = [e.when for e in facts.commissioner if e.action == "approved"]
        if approvals and approvals[0].earliest() >= due:
            work.flag(F.COMMISSIONER_APPROVAL_LATE)


def _awaiting(facts: RecordFacts, at: datetime, work: _Work) -> Assessment:
    """Finish a record whose grant needed an approval that is not recorded."""
    if facts.court_decision != CourtDecision.AWAITED:
        work.flag(F.APPROVAL_MISSING)
    if facts.reviews.dates:
        work.flag(F.REVIEW_WHEN_NOT_IN_EFFECT)
    cancelled = facts.cancelled.first
    if cancelled is not None:
        # Cancelled before any approval: it never took effect, and the cancellation stands.
        return _finish(work, facts, at, state="granted", cancelled=cancelled)
    if facts.court_decision == CourtDecision.NOT_SOUGHT and facts.has_cancellation_column:
        return _finish(work, facts, at, state="invalid-data")
    return _finish(work, facts, at, state="awaiting-approval")


def _with_cancellation(
    facts: RecordFacts, kind: AuthorityKind, period: Period, at: datetime, work: _Work
) -> Assessment:
    assert facts.granted is not None
    cancelled = facts.cancelled.first
    state = "granted"
    if cancelled is not None and cancelled.first_day() < facts.granted.first_day():
        work.flag(F.CANCEL_BEFORE_GRANT)
        state = "invalid-data"
    elif cancelled is None and _cancellation_claimed(facts):
        work.flag(F.CANCELLATION_UNDATED)
        state = "cancelled-date-unknown"
    elif cancelled is not None and period.expires_latest is not None:
        if cancelled.earliest() >= period.expires_latest:
            work.flag(F.CANCELLED_AFTER_EXPIRY)
    elif (
        cancelled is None
        and facts.has_cancellation_column
        and period.expires_latest is not None
        and period.expires_latest <= at
    ):
        work.flag(F.NEVER_CANCELLED)

    if state == "granted":
        ended = period.expires_latest
        if cancelled is not None:
            ended = min(ended, cancelled.latest()) if ended else cancelled.latest()
        assert work.findings is not None
        work.findings |= review_findings(facts, kind, period, ended=ended, at=at, in_effect=True)
    elif facts.reviews.marker is Marker.TEXT:
        work.flag(F.REVIEW_DATES_NOT_RECORDED)
    takes_effect = _takes_effect(period)
    return _finish(
        work,
        facts,
        at,
        state=state,
        takes_effect=takes_effect,
        period=period,
        cancelled=cancelled,
    )


def _cancellation_claimed(facts: RecordFacts) -> bool:
    """Return whether the cancellation cell records a cancellation without a date."""
    cell = facts.cancelled
    if cell.marker is not Marker.TEXT:
        return False
    return "not" not in cell.text.lower().replace("date not", "")


def _takes_effect(period: Period) -> PartialDate | None:
    moment = period.takes_effect
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return PartialDate.of_instant(moment)
    return PartialDate.of_day(moment)


def _assess_coarse(
    facts: RecordFacts, kind: AuthorityKind, at: datetime, calendars: Calendars, work: _Work
) -> Assessment:
    """Assess a record known only to a month or a year: the expiry is a range.

    The month or year of a return is taken as when the authorisation took effect, so the
    expiry lies between the ends of periods beginning on its first and on its last day.
    """
    assert facts.granted is not None
    bounds: list[Period] = []
    for day in (facts.granted.first_day(), facts.granted.last_day()):
        grant = Grant(
            kind=kind,
            granted=day,
            approved=day,
            oral=facts.oral,
            urgent=facts.urgent,
            regime=facts.regime,
            juvenile=facts.juvenile,
        )
        bounds.append(period_of(grant, calendars))
    earliest, latest = bounds[0].expires_earliest, bounds[1].expires_latest
    assert work.rules is not None
    work.rules.extend(bounds[0].rules)
    longest = max(
        ((p.expires_latest - timedelta(microseconds=1)).date() - day).days + 1
        for p, day in zip(
            bounds, (facts.granted.first_day(), facts.granted.last_day()), strict=True
        )
        if p.expires_latest is not None
    )
    if facts.duration_days is not None and duration_exceeds(facts, longest):
        work.flag(F.DURATION_EXCEEDS_PERIOD)
    state = "granted"
    if facts.cancelled.first is None and facts.duration_days is not None:
        # A finite stated duration means the authorisation ended on a day the return omits.
        state = "cancelled-date-unknown"
    period = Period(facts.granted.first_day(), None, None, None, earliest, latest, False, ())
    return _finish(
        work,
        facts,
        at,
        state=state,
        takes_effect=facts.granted,
        period=period,
        cancelled=facts.cancelled.first,
        exact=False,
    )


def _finish(
    work: _Work,
    facts: RecordFacts,
    at: datetime,
    *,
    state: str,
    takes_effect: PartialDate | None = None,
    period: Period | None = None,
    cancelled: PartialDate | None = None,
    exact: bool = True,
) -> Assessment:
    expires_latest = period.expires_latest if period else None
    status = status_at(
        state=state,
        expires_latest=expires_latest,
        cancelled_from=cancelled.earliest() if cancelled else None,
        at=at,
    )
    assert work.findings is not None and work.rules is not None
    return Assessment(
        takes_effect=takes_effect,
        expires_at=period.expires_at if (period and exact) else None,
        expires_earliest=period.expires_earliest if period else None,
        expires_latest=expires_latest,
        state=state,
        status=status,
        cancelled=cancelled,
        findings=tuple(sorted(finding.value for finding in work.findings)),
        rules=tuple(dict.fromkeys(work.rules)),
    )


def last_day_in_effect(ended: datetime) -> date:
    return london_day(ended - timedelta(microseconds=1))
