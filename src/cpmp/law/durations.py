"""How long each kind of authority lasts, when it takes effect, and when a renewal runs.

``period_of`` answers for a grant and ``renewal_of`` for a renewal. Both return a ``Period``
that names the rules applied. A ``Moment`` is an aware ``datetime`` when the time of day is
known and a ``date`` when only the day is: nothing here invents a time of day.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from .calendar import Calendars
from .commencement import TEI_COMMENCEMENT
from .errors import InvalidInput, RenewalAfterExpiry
from .kinds import AuthorityKind
from .periods import (
    add_months,
    after_hours,
    day_end,
    day_start,
    last_day_of_months,
    london_day,
    to_london,
)
from .rules import Confidence, define

Moment = datetime | date

K = AuthorityKind
JUVENILE_FOUR_MONTHS_FROM = date(2018, 8, 15)

# --- The rules this module applies -------------------------------------------------------------

URGENT_72_HOURS = define(
    "ripa-s43-3-a-urgent-72-hours",
    "A grant or renewal made orally, or by a person entitled to act only in urgent cases, "
    "lasts 72 hours beginning with the time it takes effect.",
    "RIPA 2000 s.43(3)(a)",
    Confidence.VERIFIED,
)
CHIS_12_MONTHS = define(
    "ripa-s43-3-b-chis-12-months",
    "A written CHIS authorisation (including a relevant source and a criminal conduct "
    "authorisation) lasts 12 months beginning with the day it takes effect.",
    "RIPA 2000 s.43(3)(b)",
    Confidence.VERIFIED,
)
SURVEILLANCE_3_MONTHS = define(
    "ripa-s43-3-c-surveillance-3-months",
    "A written directed or intrusive surveillance authorisation lasts 3 months beginning with "
    "the day it takes effect.",
    "RIPA 2000 s.43(3)(c)",
    Confidence.VERIFIED,
)
JUVENILE_1_MONTH = define(
    "juveniles-order-art-6-one-month",
    "An authorisation of a source under 18 lasts 1 month.",
    "Regulation of Investigatory Powers (Juveniles) Order 2000 (SI 2000/2793) art 6, as made",
    Confidence.VERIFIED,
    applies_until=date(2018, 8, 14),
)
JUVENILE_4_MONTHS = define(
    "juveniles-order-art-6-four-months",
    "An authorisation of a source under 18 (and a criminal conduct authorisation for one) "
    "lasts 4 months.",
    "SI 2000/2793 art 6 as amended by SI 2018/715 (and in 2021 for criminal conduct)",
    Confidence.VERIFIED,
    applies_from=JUVENILE_FOUR_MONTHS_FROM,
)
CHIS_LPP_3_MONTHS = define(
    "lpp-order-chis-3-months",
    "A CHIS authorisation intended or likely to obtain legally privileged material lasts "
    "3 months and needs a Commissioner's prior approval unless urgent.",
    "RIPA (CHIS: Matters Subject to Legal Privilege) Order 2010 (SI 2010/123)",
    Confidence.RECALLED,
)
TAKES_EFFECT_ON_GRANT = define(
    "ripa-s43-9-a-takes-effect-on-grant",
    "A grant takes effect when it is granted.",
    "RIPA 2000 s.43(9)(a); Police Act 1997 s.95(2)",
    Confidence.VERIFIED,
)
RENEWAL_FROM_OLD_END = define(
    "ripa-s43-9-b-renewal-from-old-end",
    "A renewal takes effect when the authorisation would otherwise have ceased; the new period "
    "begins with the old period's last day (convention C5), never with the signing day.",
    "RIPA 2000 s.43(9)(b); Police Act 1997 s.95(3); convention C5",
    Confidence.CONVENTION,
)
RENEWAL_BEFORE_END = define(
    "ripa-s43-4-renewal-before-end",
    "An authorisation can be renewed only before it ceases to have effect; a renewal signed "
    "after that renews nothing.",
    "RIPA 2000 s.43(4); Police Act 1997 s.95(3); convention C5",
    Confidence.RECALLED,
)
IS_PRIOR_APPROVAL = define(
    "ripa-s36-intrusive-prior-approval",
    "A non-urgent intrusive surveillance authorisation or renewal has no effect until a "
    "Judicial Commissioner has approved it and the authorising officer has been told; the "
    "period then begins with the day of approval.",
    "RIPA 2000 s.36(1)-(2), s.43(9)(c); convention C11",
    Confidence.VERIFIED,
)
LEGAL_CONSULTATION_IS = define(
    "legal-consultations-order-treated-as-intrusive",
    "Surveillance of legal consultations in specified premises is treated as intrusive "
    "surveillance.",
    "RIPA (Extension of Authorisation Provisions: Legal Consultations) Order 2010 (SI 2010/461)",
    Confidence.VERIFIED,
)
PA97_3_MONTHS = define(
    "pa97-s95-2-b-3-months",
    "A written property interference authorisation lasts 3 months beginning with the day it "
    "takes effect.",
    "Police Act 1997 s.95(2)(b)",
    Confidence.RECALLED,
)
PA97_72_HOURS = define(
    "pa97-s95-2-a-72-hours",
    "A property interference authorisation given orally, or by a designated deputy or an "
    "urgent-only officer, lasts 72 hours from the time it takes effect.",
    "Police Act 1997 s.94, s.95(2)(a)",
    Confidence.RECALLED,
)
PA97_S97_PRIOR_APPROVAL = define(
    "pa97-s97-prior-approval",
    "Property interference in a dwelling, hotel bedroom or office, or likely to reveal legally "
    "privileged, confidential personal or confidential journalistic material, has no effect "
    "until a Judicial Commissioner approves it, unless the case is urgent.",
    "Police Act 1997 s.97(1)-(3); convention C11",
    Confidence.VERIFIED,
)
LONG_TERM_RS_PRIOR_APPROVAL = define(
    "relevant-source-long-term-prior-approval",
    "A long-term relevant-source authorisation (more than 12 months in total for the same "
    "source and operation) needs a Judicial Commissioner's prior approval.",
    "RIPA (Covert Human Intelligence Sources: Relevant Sources) Order 2013 (SI 2013/2788) "
    "art 3; convention C11",
    Confidence.VERIFIED,
)
TEI_6_MONTHS = define(
    "ipa-s116-2-b-6-months",
    "A targeted equipment interference warrant lasts 6 months beginning with the day it is issued.",
    "IPA 2016 s.116(2)(b)",
    Confidence.VERIFIED,
    applies_from=TEI_COMMENCEMENT,
)
TEI_URGENT_5_WORKING_DAYS = define(
    "ipa-s116-2-a-urgent-5-working-days",
    "An urgent warrant not renewed ends at the end of the fifth working day after the day of "
    "issue (working days across the whole UK, convention C8).",
    "IPA 2016 s.116(2)(a), s.263(1); convention C8",
    Confidence.VERIFIED,
    applies_from=TEI_COMMENCEMENT,
)
TEI_DOUBLE_LOCK = define(
    "ipa-s106-1-d-double-lock",
    "A non-urgent warrant may be issued only once a Judicial Commissioner has approved the "
    "decision; it has no effect before that approval.",
    "IPA 2016 s.106(1)(d), s.108; convention C11",
    Confidence.VERIFIED,
    applies_from=TEI_COMMENCEMENT,
)
TEI_RENEWAL = define(
    "ipa-s116-2-b-renewal-from-next-day",
    "A renewed warrant runs for 6 months beginning with the day after the day at the end of "
    "which it would otherwise have ceased (convention C6).",
    "IPA 2016 s.116(2)(b); convention C6",
    Confidence.VERIFIED,
    applies_from=TEI_COMMENCEMENT,
)
TEI_RENEWAL_WINDOW = define(
    "ipa-s117-renewal-window",
    "A warrant may be renewed only in the 30 days ending with its last day (an urgent warrant "
    "at any time in its period), and the renewal needs a Judicial Commissioner's approval.",
    "IPA 2016 s.117",
    Confidence.RECALLED,
    applies_from=TEI_COMMENCEMENT,
)
LOCAL_AUTHORITY_MAGISTRATE = define(
    "ripa-s32a-magistrate-approval",
    "A local authority's directed surveillance or CHIS authorisation has no effect until a "
    "magistrate approves it; the period begins with the day of approval.",
    "RIPA 2000 s.32A",
    Confidence.VERIFIED,
)


class Regime(StrEnum):
    POLICE = "police"
    LOCAL_AUTHORITY = "local-authority"


@dataclass(frozen=True)
class Grant:
    """The facts of a grant or renewal that decide its period.

    ``oral`` and ``urgent_only_authoriser`` make a RIPA or Police Act grant a 72-hour one
    (RIPA s.43(3)(a)). ``urgent`` means the authoriser relied on the urgency provisions, which
    lets an intrusive surveillance, s.97 or equipment interference grant take effect without
    prior approval. ``approved`` is when the Commissioner's (for a council, the magistrate's)
    approval took effect.
    """

    kind: AuthorityKind
    granted: Moment
    oral: bool = False
    urgent: bool = False
    urgent_only_authoriser: bool = False
    approved: Moment | None = None
    regime: Regime = Regime.POLICE
    juvenile: bool = False
    section_97: bool = False
    long_term: bool = False
    legally_privileged: bool = False
    legal_consultation: bool = False

    @property
    def is_juvenile(self) -> bool:
        return self.juvenile or self.kind is K.JUVENILE_CHIS


@dataclass(frozen=True)
class Period:
    """When an authority has effect. ``expires_at`` is the exclusive end (convention C3).

    Where only the day of a 72-hour grant is known, ``expires_at`` is None and the bounds
    say when it ended at the earliest and latest. ``later_reading_last_day`` is the later of
    two readings of the law, shown as information only.
    """

    takes_effect: Moment | None
    first_day: date | None
    last_day: date | None
    expires_at: datetime | None
    expires_earliest: datetime | None
    expires_latest: datetime | None
    awaiting_approval: bool
    rules: tuple[str, ...]
    later_reading_last_day: date | None = field(default=None)


def requires_prior_approval(grant: Grant) -> bool:
    """Return whether the grant has no effect until a Commissioner or magistrate approves it."""
    return bool(_prior_approval_rule(grant))


def _prior_approval_rule(grant: Grant) -> str | None:
    if grant.regime is Regime.LOCAL_AUTHORITY:
        # RIPA s.32A has no urgency exception for local authorities.
        return LOCAL_AUTHORITY_MAGISTRATE.identifier
    if grant.urgent:
        # RIPA s.36(3), Police Act 1997 s.97(3) and IPA 2016 s.109: urgency lets it run at once.
        return None
    if grant.kind is K.INTRUSIVE_SURVEILLANCE or grant.legal_consultation:
        return IS_PRIOR_APPROVAL.identifier
    if grant.kind is K.PROPERTY_INTERFERENCE and grant.section_97:
        return PA97_S97_PRIOR_APPROVAL.identifier
    if grant.kind is K.RELEVANT_SOURCE and grant.long_term:
        return LONG_TERM_RS_PRIOR_APPROVAL.identifier
    if grant.kind in (K.CHIS, K.JUVENILE_CHIS) and grant.legally_privileged:
        return CHIS_LPP_3_MONTHS.identifier
    if grant.kind is K.EQUIPMENT_INTERFERENCE:
        return TEI_DOUBLE_LOCK.identifier
    return None


def _written_months(grant: Grant, first_day: date) -> tuple[int, str]:
    """Return the written period in months for the grant and the rule that sets it."""
    kind = grant.kind
    if kind is K.EQUIPMENT_INTERFERENCE:
        return 6, TEI_6_MONTHS.identifier
    if kind is K.PROPERTY_INTERFERENCE:
        return 3, PA97_3_MONTHS.identifier
    if kind in (K.DIRECTED_SURVEILLANCE, K.INTRUSIVE_SURVEILLANCE):
        if grant.legal_consultation:
            return 3, LEGAL_CONSULTATION_IS.identifier
        return 3, SURVEILLANCE_3_MONTHS.identifier
    if grant.is_juvenile:
        # SI 2000/2793 art 6: 1 month before 15 August 2018, 4 months from then (SI 2018/715).
        if JUVENILE_4_MONTHS.applies_on(first_day):
            return 4, JUVENILE_4_MONTHS.identifier
        return 1, JUVENILE_1_MONTH.identifier
    if kind in (K.CHIS, K.JUVENILE_CHIS) and grant.legally_privileged:
        return 3, CHIS_LPP_3_MONTHS.identifier
    return 12, CHIS_12_MONTHS.identifier


def _is_72_hours(grant: Grant) -> bool:
    if grant.kind is K.EQUIPMENT_INTERFERENCE:
        return False
    return grant.oral or grant.urgent_only_authoriser


def _day_of(moment: Moment) -> date:
    return london_day(moment) if isinstance(moment, datetime) else moment


def _later_of(first: Moment, second: Moment) -> Moment:
    """Return whichever moment is later; a date counts as the start of its day."""
    first_start = first if isinstance(first, datetime) else day_start(first)
    second_start = second if isinstance(second, datetime) else day_start(second)
    return second if second_start > first_start else first


def _checked(moment: Moment, name: str) -> Moment:
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise InvalidInput(name, moment.isoformat(), "a date and time with a time zone")
        return to_london(moment)
    if isinstance(moment, date):
        return moment
    raise InvalidInput(name, moment, "a date or an aware date and time")


def period_of(grant: Grant, calendars: Calendars) -> Period:
    """Return when ``grant`` takes effect and when it ends."""
    granted = _checked(grant.granted, "granted")
    rules: list[str] = []
    approval_rule = _prior_approval_rule(grant)
    start: Moment = granted
    if approval_rule is not None:
        rules.append(approval_rule)
        if grant.approved is None:
            return Period(None, None, None, None, None, None, True, tuple(rules))
        # Convention C11: no effect until the approval takes effect. An equipment interference
        # warrant approved before issue takes effect on issue.
        start = _later_of(granted, _checked(grant.approved, "approved"))
    else:
        rules.append(TAKES_EFFECT_ON_GRANT.identifier)
    return _period_from(grant, start, rules, calendars, renewal=False)


def _period_from(
    grant: Grant, start: Moment, rules: list[str], calendars: Calendars, *, renewal: bool
) -> Period:
    first_day = _day_of(start)
    if grant.kind is K.EQUIPMENT_INTERFERENCE and grant.urgent and not renewal:
        # IPA 2016 s.116(2)(a): an urgent warrant ends with the 5th working day after issue.
        last_day = calendars.united_kingdom.nth_working_day_after(first_day, 5)
        rules.append(TEI_URGENT_5_WORKING_DAYS.identifier)
        end = day_end(last_day)
        return Period(start, first_day, last_day, end, end, end, False, tuple(rules))
    if _is_72_hours(grant):
        rules.append(
            PA97_72_HOURS.identifier
            if grant.kind is K.PROPERTY_INTERFERENCE
            else URGENT_72_HOURS.identifier
        )
        if isinstance(start, datetime):
            end = after_hours(start, 72)
            return Period(start, first_day, london_day(end), end, end, end, False, tuple(rules))
        # Only the day is known: the 72 hours ended between these instants.
        earliest = after_hours(day_start(start), 72)
        latest = after_hours(day_end(start), 72)
        return Period(start, first_day, None, None, earliest, latest, False, tuple(rules))
    months, months_rule = _written_months(grant, first_day)
    rules.append(months_rule)
    last_day = last_day_of_months(first_day, months)
    end = day_end(last_day)
    later = _later_reading_last_day(first_day, months)
    return Period(
        start,
        first_day,
        last_day,
        end,
        end,
        end,
        False,
        tuple(rules),
        later_reading_last_day=later if later != last_day else None,
    )


def _later_reading_last_day(first_day: date, months: int) -> date:
    """Return the last day under the later reading of a missing corresponding date (A2).

    Where the corresponding date does not exist, the later reading ends the period on the
    last day of the target month itself; convention C2 ends it the day before.
    """
    corresponding = add_months(first_day, months)
    if corresponding.day != first_day.day:
        return corresponding
    return corresponding - timedelta(days=1)


def renewal_of(renewal: Grant, previous_expires_at: datetime, calendars: Calendars) -> Period:
    """Return the period of ``renewal`` of an authority that ends at ``previous_expires_at``.

    ``renewal.granted`` is when the renewal was signed and ``previous_expires_at`` the
    exclusive end of the period it renews. A renewal signed at or after that end renews
    nothing and raises ``RenewalAfterExpiry`` (RIPA s.43(4)).
    """
    signed = _checked(renewal.granted, "renewed")
    previous_end = to_london(_aware(previous_expires_at, "renews"))
    signed_start = signed if isinstance(signed, datetime) else day_start(signed)
    if signed_start >= previous_end:
        raise RenewalAfterExpiry(renewal.granted, previous_end.isoformat())
    rules = [RENEWAL_BEFORE_END.identifier]

    start: Moment = previous_end
    approval_rule = _prior_approval_rule(renewal)
    if approval_rule is not None:
        rules.append(approval_rule)
        if renewal.approved is None:
            return Period(None, None, None, None, None, None, True, tuple(rules))
        start = _later_of(previous_end, _checked(renewal.approved, "approved"))

    if renewal.kind is K.EQUIPMENT_INTERFERENCE:
        # IPA 2016 s.116(2)(b): 6 months from the day after the old last day (convention C6).
        rules.append(TEI_RENEWAL.identifier)
        first_day = _day_of(start)
        last_day = last_day_of_months(first_day, 6)
        end = day_end(last_day)
        return Period(start, first_day, last_day, end, end, end, False, tuple(rules))

    rules.append(RENEWAL_FROM_OLD_END.identifier)
    if start == previous_end:
        # Convention C5: the new period begins with the day on which the old one would have
        # ceased, which for a day-based period is its last day.
        renewed = _period_from(renewal, start, rules, calendars, renewal=True)
        if _is_72_hours(renewal):
            return renewed
        first_day = london_day(previous_end - timedelta(microseconds=1))
        months, _ = _written_months(renewal, first_day)
        last_day = last_day_of_months(first_day, months)
        end = day_end(last_day)
        # The later reading of C5 begins with the following day (A5 reading ii).
        later = last_day_of_months(first_day + timedelta(days=1), months)
        later = max(later, _later_reading_last_day(first_day, months))
        return replace(
            renewed,
            first_day=first_day,
            last_day=last_day,
            expires_at=end,
            expires_earliest=end,
            expires_latest=end,
            later_reading_last_day=later if later != last_day else None,
        )
    return _period_from(renewal, start, rules, calendars, renewal=True)


def _aware(instant: datetime, name: str) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise InvalidInput(name, instant.isoformat(), "a date and time with a time zone")
    return instant


def renewal_window(previous: Period, *, urgent: bool) -> tuple[date, date] | None:
    """Return the first and last days on which a warrant may be renewed (IPA 2016 s.117).

    The renewal period is the 30 days ending with the warrant's last day; an urgent warrant
    may be renewed at any time in its period.
    """
    if previous.last_day is None or previous.first_day is None:
        return None
    if urgent:
        return previous.first_day, previous.last_day
    return previous.last_day - timedelta(days=29), previous.last_day
