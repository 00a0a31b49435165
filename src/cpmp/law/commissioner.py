"""Deadlines for telling, or getting the approval of, a Judicial Commissioner."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .calendar import Calendars
from .periods import day_end
from .rules import Confidence, define

CCA_COMMENCEMENT = date(2021, 9, 15)

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
