"""Deadlines for telling, or getting the approval of, a Judicial Commissioner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from .calendar import Calendars
from .commencement import CCA_COMMENCEMENT
from .durations import (
    CHIS_LPP_3_MONTHS,
    IS_PRIOR_APPROVAL,
    LONG_TERM_RS_PRIOR_APPROVAL,
    PA97_S97_PRIOR_APPROVAL,
    TEI_DOUBLE_LOCK,
    Grant,
)
from .kinds import AuthorityKind
from .periods import day_end
from .rules import Confidence, define

K = AuthorityKind

CCA_NOTICE_7_DAYS = define(
    "ripa-s32c-cca-notice-7-days",
    "The grant or cancellation of a criminal conduct authorisation must be notified to a "
    "Judicial Commissioner before the end of the 7 days beginning with the day after it "
    "(calendar days, no working-day extension: convention C10).",
    "RIPA 2000 s.32C(1)-(5), inserted by the CHIS (Criminal Conduct) Act 2021 s.6, in force "
    "for police forces from 15 September 2021 (SI 2021/605 reg 2(b)); convention C10",
    Confidence.VERIFIED,
    applies_from=CCA_COMMENCEMENT,
)
URGENT_TEI_APPROVAL = define(
    "ipa-s109-3-urgent-approval-3-working-days",
    "A Judicial Commissioner must decide whether to approve an urgent warrant before the end "
    "of the third working day after the day it was issued (UK working days, convention C8).",
    "IPA 2016 s.109(3), s.263(1); convention C8",
    Confidence.VERIFIED,
)


def cca_notice_due(day: date) -> datetime:
    """Return the exclusive deadline for notice of a CCA granted or cancelled on ``day``.

    The 7 days begin with the day after, so notice of a grant on Fri 10 Jul 2026 is due by the
    end of Fri 17 Jul 2026.
    """
    return day_end(day + timedelta(days=7))


def urgent_tei_approval_due(issue_day: date, calendars: Calendars) -> datetime:
    """Return the exclusive deadline for a Commissioner's decision on an urgent warrant."""
    return day_end(calendars.united_kingdom.nth_working_day_after(issue_day, 3))


# --- What a Judicial Commissioner must see for each event -------------------------------------

IS_NOTICE = define(
    "ripa-s35-intrusive-notice",
    "The grant, renewal and cancellation of an intrusive surveillance authorisation are "
    "notified in writing to a Judicial Commissioner as soon as reasonably practicable; the "
    "law sets no fixed deadline. A non-urgent grant or renewal also needs prior approval.",
    "RIPA 2000 s.35(1)-(3), s.36",
    Confidence.VERIFIED,
)
PI_NOTICE = define(
    "pa97-s96-property-interference-notice",
    "The grant, renewal and cancellation of a property interference authorisation are "
    "notified to a Judicial Commissioner as soon as reasonably practicable; the law sets no "
    "fixed deadline.",
    "Police Act 1997 s.96; Police Act 1997 (Notification of Authorisations etc.) Order 1998 "
    "(SI 1998/3241) art 2",
    Confidence.VERIFIED,
)
CCA_RENEWAL_NOT_NOTIFIED = define(
    "ripa-s32c-cca-renewal-not-listed",
    "Section 32C requires notice of the grant and the cancellation of a criminal conduct "
    "authorisation, not of its renewal.",
    "RIPA 2000 s.32C(1)",
    Confidence.VERIFIED,
    applies_from=CCA_COMMENCEMENT,
)
RELEVANT_SOURCE_NOTICE = define(
    "relevant-source-notice",
    "A relevant-source grant or renewal is notified to a Judicial Commissioner. The article "
    "that sets when was not seen, so CPMP sets no fixed deadline; a long-term grant or "
    "renewal needs prior approval.",
    "SI 2013/2788 Part 2; Scottish equivalent SSI 2014/339 art 9",
    Confidence.UNRESOLVED,
)
TEI_RENEWAL_APPROVAL = define(
    "ipa-s117-renewal-approval",
    "The renewal of a targeted equipment interference warrant needs a Judicial "
    "Commissioner's approval before it takes effect.",
    "IPA 2016 s.117",
    Confidence.RECALLED,
)
TEI_CANCELLATION = define(
    "ipa-s125-cancellation-no-notice",
    "A warrant may be cancelled at any time and must be once no longer necessary or "
    "proportionate; CPMP knows no duty to notify a Judicial Commissioner of it.",
    "IPA 2016 s.125",
    Confidence.RECALLED,
)
URGENT_MODIFICATION_APPROVAL = define(
    "ipa-s124-3-urgent-modification-3-working-days",
    "A Judicial Commissioner must decide whether to approve an urgent major modification of "
    "a warrant before the end of the third working day after the day it was made (UK working "
    "days, convention C8); if refused, the warrant has effect as if not modified.",
    "IPA 2016 s.124(3), s.263(1); convention C8",
    Confidence.VERIFIED,
)
NO_COMMISSIONER_ROLE = define(
    "no-commissioner-notice",
    "Directed surveillance and CHIS authorisations by police need neither notice to nor "
    "approval by a Judicial Commissioner; they are examined at inspection.",
    "RIPA 2000 s.28-s.29, s.35-s.36 (which apply only to intrusive surveillance)",
    Confidence.RECALLED,
)
CHIS_LPP_PRIOR_APPROVAL = CHIS_LPP_3_MONTHS.identifier


class Requirement(StrEnum):
    """The Commissioner's role after an event. The values are a public interface."""

    NONE = "none"
    NOTIFY = "notify"
    PRIOR_APPROVAL = "prior-approval"
    APPROVAL_OF_URGENT_ISSUE = "approval-of-urgent-issue"


class Event(StrEnum):
    GRANT = "grant"
    RENEWAL = "renewal"
    CANCELLATION = "cancellation"


@dataclass(frozen=True)
class CommissionerDeadline:
    """The Judicial Commissioner's role after an event, with its exclusive deadline.

    ``due_at`` is None where the law requires notice "as soon as reasonably practicable", or
    where the authority has no effect until approved.
    """

    requirement: Requirement
    due_at: datetime | None
    rules: tuple[str, ...]


def commissioner_deadline(
    grant: Grant, event: Event, event_day: date, calendars: Calendars
) -> CommissionerDeadline:
    """Return what the Commissioner must see after ``event`` on ``event_day`` for ``grant``.

    ``grant`` carries the facts of the authority (its kind, urgency, whether s.97 or long-term
    or legally privileged). For a cancellation, ``event_day`` is the day of cancellation.
    """
    kind = grant.kind
    if kind is K.EQUIPMENT_INTERFERENCE:
        return _equipment_interference(grant, event, event_day, calendars)
    if kind is K.CRIMINAL_CONDUCT:
        if event is Event.RENEWAL:
            return CommissionerDeadline(
                Requirement.NONE, None, (CCA_RENEWAL_NOT_NOTIFIED.identifier,)
            )
        # RIPA s.32C(3): before the end of the 7 days beginning with the day after (C10).
        return CommissionerDeadline(
            Requirement.NOTIFY, cca_notice_due(event_day), (CCA_NOTICE_7_DAYS.identifier,)
        )
    if kind is K.INTRUSIVE_SURVEILLANCE or grant.legal_consultation:
        return _approval_or_notice(grant, event, IS_NOTICE.identifier)
    if kind is K.PROPERTY_INTERFERENCE:
        if grant.section_97:
            return _approval_or_notice(grant, event, PI_NOTICE.identifier)
        return CommissionerDeadline(Requirement.NOTIFY, None, (PI_NOTICE.identifier,))
    if kind is K.RELEVANT_SOURCE:
        if event is Event.CANCELLATION:
            return CommissionerDeadline(
                Requirement.NONE, None, (RELEVANT_SOURCE_NOTICE.identifier,)
            )
        if grant.long_term and not grant.urgent:
            return CommissionerDeadline(
                Requirement.PRIOR_APPROVAL,
                None,
                (LONG_TERM_RS_PRIOR_APPROVAL.identifier, RELEVANT_SOURCE_NOTICE.identifier),
            )
        return CommissionerDeadline(Requirement.NOTIFY, None, (RELEVANT_SOURCE_NOTICE.identifier,))
    if kind in (K.CHIS, K.JUVENILE_CHIS) and grant.legally_privileged and not grant.urgent:
        if event is Event.CANCELLATION:
            return CommissionerDeadline(Requirement.NONE, None, (CHIS_LPP_PRIOR_APPROVAL,))
        return CommissionerDeadline(Requirement.PRIOR_APPROVAL, None, (CHIS_LPP_PRIOR_APPROVAL,))
    return CommissionerDeadline(Requirement.NONE, None, (NO_COMMISSIONER_ROLE.identifier,))


def _approval_or_notice(grant: Grant, event: Event, notice_rule: str) -> CommissionerDeadline:
    if event is Event.CANCELLATION or grant.urgent:
        # RIPA s.36(3) and Police Act 1997 s.97(3): an urgent grant runs at once, and the
        # notice states why the case is urgent.
        return CommissionerDeadline(Requirement.NOTIFY, None, (notice_rule,))
    approval_rule = (
        PA97_S97_PRIOR_APPROVAL.identifier
        if grant.kind is K.PROPERTY_INTERFERENCE
        else IS_PRIOR_APPROVAL.identifier
    )
    return CommissionerDeadline(Requirement.PRIOR_APPROVAL, None, (approval_rule, notice_rule))


def _equipment_interference(
    grant: Grant, event: Event, event_day: date, calendars: Calendars
) -> CommissionerDeadline:
    if event is Event.CANCELLATION:
        return CommissionerDeadline(Requirement.NONE, None, (TEI_CANCELLATION.identifier,))
    if event is Event.RENEWAL:
        return CommissionerDeadline(
            Requirement.PRIOR_APPROVAL, None, (TEI_RENEWAL_APPROVAL.identifier,)
        )
    if grant.urgent or grant.urgent_only_authoriser:
        # IPA 2016 s.109(3): the decision is due by the end of the 3rd working day after issue.
        return CommissionerDeadline(
            Requirement.APPROVAL_OF_URGENT_ISSUE,
            urgent_tei_approval_due(event_day, calendars),
            (URGENT_TEI_APPROVAL.identifier,),
        )
    return CommissionerDeadline(Requirement.PRIOR_APPROVAL, None, (TEI_DOUBLE_LOCK.identifier,))


def urgent_modification_approval_due(made_day: date, calendars: Calendars) -> datetime:
    """Return the exclusive deadline for a decision on an urgent major modification.

    IPA 2016 s.124(3): the end of the third UK working day after the day it was made.
    """
    return day_end(calendars.united_kingdom.nth_working_day_after(made_day, 3))
