"""Every record of the three sample registers, with values worked out by hand from the law.

Each row: source record, reference, kind, urgent, granted_at, takes_effect_at, expires_at,
status, findings. Conventions used in the working: C1 (N months beginning with the day end
the day before the corresponding date), C2 (a missing corresponding date is the month's last
day, then the day before), C3 (the exclusive end is 00:00 Europe/London after the last day),
C4 (72 elapsed hours), C5 (a renewal begins with the old last day; one signed after expiry
renews nothing), C8 (UK working days for urgent TEI). Status is taken at the close of the
as-at day.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cpmp.oversight.importing.report import build_report

DS = "directed-surveillance"
IS = "intrusive-surveillance"
PI = "property-interference"
TEI = "equipment-interference"
CHIS = "chis"
JUV = "juvenile-chis"
RS = "relevant-source"

# police_cab_register.csv says "Extract run: 31/03/2024", so status is as at 2024-03-31,
# taken at 2024-04-01T00:00+01:00.
POLICE = [
    # 15 Dec 2022 + 3 months ends 14 Mar 2023; renewed 14 Mar (its last day), the renewal
    # begins with 14 Mar and ends 13 Jun 2023.
    (
        5,
        "DS/2022/087",
        DS,
        False,
        "2022-12-15T11:00:00+00:00",
        "2022-12-15T11:00:00+00:00",
        "2023-06-14T00:00:00+01:00",
        "cancelled",
        [],
    ),
    (
        6,
        "DS/2023/001",
        DS,
        False,
        "2023-01-04T10:15:00+00:00",
        "2023-01-04T10:15:00+00:00",
        "2023-04-04T00:00:00+01:00",
        "cancelled",
        [],
    ),
    # Oral grant by an inspector: 72 hours, but RIPA s.43(1) lets only an officer whose power
    # is not confined to urgent cases grant orally. The rank is right for an urgent case; the
    # fault is granting orally.
    (
        7,
        "DS/2023/002",
        DS,
        True,
        "2023-01-03T22:40:00+00:00",
        "2023-01-03T22:40:00+00:00",
        "2023-01-06T22:40:00+00:00",
        "cancelled",
        ["oral_grant_by_urgent_only_officer"],
    ),
    # 16 Jan ends 15 Apr; renewed 14 Apr, from 15 Apr to 14 Jul 2023.
    (
        8,
        "DS/2023/003",
        DS,
        False,
        "2023-01-16T09:00:00+00:00",
        "2023-01-16T09:00:00+00:00",
        "2023-07-15T00:00:00+01:00",
        "cancelled",
        [],
    ),
    # 1 Feb ends 30 Apr; the renewal of 5 May is after expiry and renews nothing (C5), so the
    # cancellation of 20 Jun is after expiry.
    (
        9,
        "DS/2023/004",
        DS,
        False,
        "2023-02-01T14:30:00+00:00",
        "2023-02-01T14:30:00+00:00",
        "2023-05-01T00:00:00+01:00",
        "cancelled-after-expiry",
        ["cancelled_after_expiry", "renewal_after_expiry"],
    ),
    # First review set for 14 Mar, none held, still in effect on 21 Mar.
    (
        10,
        "DS/2023/005",
        DS,
        False,
        "2023-02-14",
        "2023-02-14",
        "2023-05-14T00:00:00+01:00",
        "cancelled",
        ["review_overdue"],
    ),
    (
        11,
        "DS/2023/006",
        DS,
        False,
        "2023-02-20T16:05:00+00:00",
        "2023-02-20T16:05:00+00:00",
        "2023-05-20T00:00:00+01:00",
        "expired-not-cancelled",
        ["never_cancelled"],
    ),
    # Cancelled on 15 Mar, before its first review fell due: no review finding.
    (
        12,
        "DS/2023/007",
        DS,
        False,
        "2023-03-01T08:30:00+00:00",
        "2023-03-01T08:30:00+00:00",
        "2023-06-01T00:00:00+01:00",
        "cancelled",
        ["duplicate_ref"],
    ),
    (
        13,
        "DS/2023/007",
        DS,
        False,
        "2023-03-02T13:00:00+00:00",
        "2023-03-02T13:00:00+00:00",
        "2023-06-02T00:00:00+01:00",
        "cancelled",
        ["duplicate_ref"],
    ),
    # Cancelled 10 Mar 2023, a month before the grant of 10 Apr: the cancellation cannot be
    # right, so the record's state is invalid data rather than a guess at the real date.
    (
        14,
        "DS/2023/008",
        DS,
        False,
        "2023-04-10T10:00:00+01:00",
        "2023-04-10T10:00:00+01:00",
        "2023-07-10T00:00:00+01:00",
        "invalid-data",
        ["cancel_before_grant"],
    ),
    # Excel serials: 45026 is 10 Apr 2023 and 45054 is 8 May 2023.
    (
        15,
        "DS/2023/009",
        DS,
        False,
        "2023-04-10",
        "2023-04-10",
        "2023-07-10T00:00:00+01:00",
        "cancelled",
        [],
    ),
    # A DCI may grant DS only in urgent cases and this one is marked not urgent. The period
    # is worked as the register records it (written, 3 months); the finding carries the flaw.
    (
        16,
        "DS/2023/010",
        DS,
        False,
        "2023-05-02T12:00:00+01:00",
        "2023-05-02T12:00:00+01:00",
        "2023-08-02T00:00:00+01:00",
        "cancelled",
        ["ao_not_independent", "ao_rank_below_minimum"],
    ),
    # Legally privileged material likely: CSPI Code Annex A needs the chief constable.
    (
        17,
        "DS/2023/014",
        DS,
        False,
        "2023-06-06T15:20:00+01:00",
        "2023-06-06T15:20:00+01:00",
        "2023-09-06T00:00:00+01:00",
        "cancelled",
        ["ao_rank_below_minimum"],
    ),
    # Refused by the authorising officer: the date in the grant column is the decision date.
    (18, "DS/2023/015", DS, False, "2023-06-21", None, None, "refused", []),
    (
        19,
        "DS/2023/016",
        DS,
        False,
        "2023-07-03T07:45:00+01:00",
        "2023-07-03T07:45:00+01:00",
        "2023-10-03T00:00:00+01:00",
        "cancelled",
        ["review_dates_not_recorded"],
    ),
    # "3/8/23" is 3 August 2023, day first; the exclusive end falls after the clocks go back.
    (
        20,
        "DS/2023/017",
        DS,
        False,
        "2023-08-03",
        "2023-08-03",
        "2023-11-03T00:00:00+00:00",
        "cancelled",
        [],
    ),
    # 31 Aug + 3 months: no 31 Nov, so the period ends 29 Nov (C2). Renewed on that last
    # day, the renewal begins with 29 Nov and ends 28 Feb 2024; cancelled on its last day.
    (
        21,
        "DS/2023/018",
        DS,
        False,
        "2023-08-31T18:00:00+01:00",
        "2023-08-31T18:00:00+01:00",
        "2024-02-29T00:00:00+00:00",
        "cancelled",
        [],
    ),
    (
        22,
        "DS/2023/020",
        DS,
        False,
        "2023-09-04T09:00:00+01:00",
        "2023-09-04T09:00:00+01:00",
        "2023-12-04T00:00:00+00:00",
        "cancelled-date-unknown",
        ["cancellation_undated"],
    ),
    # 30 Nov 2023 + 3 months: 29 Feb 2024 exists, so the period ends 28 Feb 2024.
    (
        23,
        "DS/2023/019",
        DS,
        False,
        "2023-11-30T10:30:00+00:00",
        "2023-11-30T10:30:00+00:00",
        "2024-02-29T00:00:00+00:00",
        "expired-not-cancelled",
        ["never_cancelled", "review_overdue"],
    ),
    (
        24,
        "DS/2023/012",
        DS,
        False,
        "2023-12-06T11:11:00+00:00",
        "2023-12-06T11:11:00+00:00",
        "2024-06-05T00:00:00+01:00",
        "live",
        [],
    ),
    (
        25,
        "DS/2023/013",
        DS,
        False,
        "2023-11-20",
        "2023-11-20",
        "2024-02-20T00:00:00+00:00",
        "expired-not-cancelled",
        ["never_cancelled", "review_overdue"],
    ),
    # A 2023 reference granted in 2024: flagged so the reference can be checked.
    (
        26,
        "DS/2023/011",
        DS,
        False,
        "2024-01-15T14:00:00+00:00",
        "2024-01-15T14:00:00+00:00",
        "2024-04-15T00:00:00+01:00",
        "live",
        ["reference_year_mismatch"],
    ),
    # Takes effect on JC approval at 17:30 (RIPA s.36). Non-urgent intrusive surveillance by
    # an ACC: the register does not show the ACC acting as designated deputy, so flagged.
    (
        30,
        "IS/2023/001",
        IS,
        False,
        "2023-03-10T14:00:00+00:00",
        "2023-03-10T17:30:00+00:00",
        "2023-06-10T00:00:00+01:00",
        "cancelled",
        ["ao_rank_below_minimum"],
    ),
    # Urgent oral grant by an ACC, whose power is confined to urgent cases (s.34), so it may
    # not be oral (s.43(1)); 72 hours across no clock change; never cancelled.
    (
        31,
        "IS/2023/002",
        IS,
        True,
        "2023-07-22T03:10:00+01:00",
        "2023-07-22T03:10:00+01:00",
        "2023-07-25T03:10:00+01:00",
        "expired-not-cancelled",
        ["never_cancelled", "oral_grant_by_urgent_only_officer"],
    ),
    (
        32,
        "PI/23/001",
        PI,
        False,
        "2023-03-10T13:40:00+00:00",
        "2023-03-10T13:40:00+00:00",
        "2023-06-10T00:00:00+01:00",
        "cancelled",
        ["ao_rank_below_minimum"],
    ),
    (
        33,
        "PI/23/002",
        PI,
        True,
        "2023-07-22T02:55:00+01:00",
        "2023-07-22T02:55:00+01:00",
        "2023-07-25T02:55:00+01:00",
        "cancelled",
        ["oral_grant_by_urgent_only_officer"],
    ),
    # 5 Sep ends 4 Dec; renewed on 4 Dec (Police Act s.95(3)), from 4 Dec to 3 Mar 2024.
    (
        34,
        "PI/23/003",
        PI,
        False,
        "2023-09-05T10:00:00+01:00",
        "2023-09-05T10:00:00+01:00",
        "2024-03-04T00:00:00+00:00",
        "expired-not-cancelled",
        ["ao_rank_below_minimum", "never_cancelled"],
    ),
    # 6 months beginning with 12 Sep 2023 end 11 Mar 2024 (IPA s.116(2)(b)).
    (
        35,
        "TEI/23/001",
        TEI,
        False,
        "2023-09-12",
        "2023-09-12",
        "2024-03-12T00:00:00+00:00",
        "cancelled",
        [],
    ),
    # Urgent warrant issued Fri 3 Nov 2023: UK working days Mon 6 .. Fri 10 Nov, so it ends
    # with Fri 10 Nov; the JC's approval on 6 Nov is inside the 3 working days.
    (
        36,
        "TEI/23/002",
        TEI,
        True,
        "2023-11-03",
        "2023-11-03",
        "2023-11-11T00:00:00+00:00",
        "cancelled",
        [],
    ),
    # 12 months from 1 Feb 2022 end 31 Jan 2023; renewed 30 Jan 2023 with JC approval (a
    # long-term relevant source), from 31 Jan 2023 to 30 Jan 2024.
    (
        39,
        "CHIS/2022/019",
        RS,
        False,
        "2022-02-01",
        "2022-02-01",
        "2024-01-31T00:00:00+00:00",
        "cancelled",
        ["review_dates_not_recorded"],
    ),
    (
        40,
        "CHIS/2023/001",
        CHIS,
        False,
        "2023-01-09",
        "2023-01-09",
        "2025-01-08T00:00:00+00:00",
        "live",
        [],
    ),
    (
        41,
        "CHIS/2023/002",
        CHIS,
        False,
        "2023-02-20",
        "2023-02-20",
        "2024-02-20T00:00:00+00:00",
        "cancelled",
        [],
    ),
    # Juvenile: 4 months from 1 Mar end 30 Jun; renewed 28 Jun, from 30 Jun to 29 Oct 2023.
    # Monthly reviews due 31 Mar .. 31 Aug were each held in time.
    (
        42,
        "CHIS/2023/003",
        JUV,
        False,
        "2023-03-01",
        "2023-03-01",
        "2023-10-30T00:00:00+00:00",
        "cancelled",
        [],
    ),
    # Juvenile: 10 Apr ends 9 Aug. Monthly reviews due 9 Jun and 9 Jul were not held.
    (
        43,
        "CHIS/2023/004",
        JUV,
        False,
        "2023-04-10",
        "2023-04-10",
        "2023-08-10T00:00:00+01:00",
        "cancelled-after-expiry",
        ["cancelled_after_expiry", "juvenile_monthly_reviews_missed", "review_overdue"],
    ),
    (
        44,
        "CHIS/2023/005",
        RS,
        False,
        "2023-04-03",
        "2023-04-03",
        "2024-04-03T00:00:00+01:00",
        "live",
        [],
    ),
    (
        45,
        "CHIS/2023/006",
        CHIS,
        True,
        "2023-06-14T23:00:00+01:00",
        "2023-06-14T23:00:00+01:00",
        "2023-06-17T23:00:00+01:00",
        "cancelled",
        ["oral_grant_by_urgent_only_officer"],
    ),
    (
        46,
        "CHIS/2023/007",
        CHIS,
        False,
        "2023-06-16",
        "2023-06-16",
        "2024-06-16T00:00:00+01:00",
        "live",
        ["review_overdue"],
    ),
    (47, "CHIS/2023/008", CHIS, False, "2023-07-21", None, None, "refused", []),
]
POLICE_SKIPPED = [
    (1, "title"),
    (2, "extract-run line"),
    (3, "header"),
    (4, "section heading"),
    (27, "total"),
    (28, "blank"),
    (29, "section heading"),
    (37, "blank"),
    (38, "section heading"),
    (48, "total row wrong: states 8, counted 9"),
]

# council_register.csv: record 25 waits for a hearing listed on 4 Jan 2021, so the register
# is read as at 2020-12-31. Every period runs from the magistrate's approval (RIPA s.32A).
COUNCIL = [
    (
        2,
        "RIPA 01/19",
        DS,
        False,
        "2019-01-14",
        "2019-01-17T10:30:00+00:00",
        "2019-04-17T00:00:00+01:00",
        "cancelled",
        [],
    ),
    # Approved 31 Jan: no 31 Apr, so the period ends 29 Apr (C2); cancelled that day.
    (
        3,
        "RIPA 02/19",
        DS,
        False,
        "2019-01-28",
        "2019-01-31T11:15:00+00:00",
        "2019-04-30T00:00:00+01:00",
        "cancelled",
        [],
    ),
    (
        4,
        "RIPA 03/19",
        CHIS,
        False,
        "2019-02-11",
        "2019-02-14T14:00:00+00:00",
        "2020-02-14T00:00:00+00:00",
        "cancelled",
        [],
    ),
    # Refused by the court, yet a review is recorded.
    (
        5,
        "RIPA 04/19",
        DS,
        False,
        "2019-03-04",
        None,
        None,
        "refused",
        ["review_when_not_in_effect"],
    ),
    # 20 Mar ends 19 Jun; the renewal of 25 Jun renews nothing.
    (
        6,
        "RIPA 05/19",
        DS,
        False,
        "2019-03-18",
        "2019-03-20T10:00:00+00:00",
        "2019-06-20T00:00:00+01:00",
        "cancelled-after-expiry",
        ["cancelled_after_expiry", "renewal_after_expiry"],
    ),
    # 3 Apr ends 2 Jul; renewal approved 1 Jul begins with 2 Jul and ends 1 Oct.
    (
        7,
        "RIPA 06/19",
        DS,
        False,
        "2019-04-01",
        "2019-04-03T09:50:00+01:00",
        "2019-10-02T00:00:00+01:00",
        "cancelled",
        [],
    ),
    # One URN for a DS and a CHIS: different services issue references, but the central
    # record still holds two entries under one reference, which an inspector flags.
    (
        8,
        "RIPA 07/19",
        DS,
        False,
        "2019-05-13",
        "2019-05-15T12:20:00+01:00",
        "2019-08-15T00:00:00+01:00",
        "cancelled",
        ["duplicate_ref"],
    ),
    (
        9,
        "RIPA 07/19",
        CHIS,
        False,
        "2019-05-20",
        "2019-05-22T10:10:00+01:00",
        "2020-05-22T00:00:00+01:00",
        "cancelled",
        ["duplicate_ref"],
    ),
    # Never taken to a magistrate, so it never took effect; cancelled two days later. Dog
    # fouling carries no custodial sentence, below the crime threshold.
    (
        10,
        "RIPA 08/19",
        DS,
        False,
        "2019-06-10",
        None,
        None,
        "cancelled",
        ["approval_missing", "crime_threshold_not_met"],
    ),
    # Underage alcohol sales are exempt from the crime threshold.
    (
        11,
        "RIPA 09/19",
        DS,
        False,
        "2019-07-01",
        "2019-07-03T09:30:00+01:00",
        "2019-10-03T00:00:00+01:00",
        "cancelled",
        [],
    ),
    (
        12,
        "RIPA 10/19",
        DS,
        False,
        "2019-09-16",
        "2019-09-19T11:00:00+01:00",
        "2019-12-19T00:00:00+00:00",
        "invalid-data",
        ["cancel_before_grant"],
    ),
    (
        13,
        "RIPA 11/19",
        DS,
        False,
        "2019-10-07",
        "2019-10-09T14:30:00+01:00",
        "2020-01-09T00:00:00+00:00",
        "expired-not-cancelled",
        ["never_cancelled"],
    ),
    (
        14,
        "RIPA 12/19",
        DS,
        False,
        "2019-11-04",
        "2019-11-06T10:00:00+00:00",
        "2020-02-06T00:00:00+00:00",
        "cancelled",
        ["ao_not_independent"],
    ),
    # Confidential material likely; the authoriser's grade is not checked for councils yet
    # (see the xfail test below).
    (
        15,
        "RIPA 13/19",
        DS,
        False,
        "2019-11-25",
        "2019-11-27T16:00:00+00:00",
        "2020-02-27T00:00:00+00:00",
        "cancelled",
        [],
    ),
    (
        17,
        "RIPA 01/20",
        DS,
        False,
        "2020-01-13",
        "2020-01-15T14:10:00+00:00",
        "2020-04-15T00:00:00+01:00",
        "cancelled",
        [],
    ),
    # 5 Feb ends 4 May; renewal approved 30 Apr begins with 4 May and ends 3 Aug.
    (
        18,
        "RIPA 02/20",
        DS,
        False,
        "2020-02-03",
        "2020-02-05T10:40:00+00:00",
        "2020-08-04T00:00:00+01:00",
        "cancelled",
        [],
    ),
    # The decision gives a day and no time: heard 26 Mar 2020 after a postponement.
    (
        19,
        "RIPA 03/20",
        DS,
        False,
        "2020-03-16",
        "2020-03-26",
        "2020-06-26T00:00:00+01:00",
        "cancelled",
        [],
    ),
    (
        20,
        "RIPA 04/20",
        CHIS,
        False,
        "2020-06-01",
        "2020-06-04T11:30:00+01:00",
        "2021-06-04T00:00:00+01:00",
        "live",
        [],
    ),
    (
        21,
        "RIPA 05/20",
        DS,
        False,
        "2020-07-13",
        "2020-07-15T10:05:00+01:00",
        "2020-10-15T00:00:00+01:00",
        "expired-not-cancelled",
        ["never_cancelled"],
    ),
    # "TBC" in the cancellation column records no cancellation: expired and not cancelled.
    (
        22,
        "RIPA 06/20",
        DS,
        False,
        "2020-08-03",
        "2020-08-05T09:15:00+01:00",
        "2020-11-05T00:00:00+00:00",
        "expired-not-cancelled",
        ["never_cancelled"],
    ),
    (
        23,
        "RIPA 07/20",
        DS,
        False,
        "2020-09-14",
        "2020-09-16T12:00:00+01:00",
        "2020-12-16T00:00:00+00:00",
        "cancelled",
        [],
    ),
    (
        24,
        "RIPA 08/20",
        DS,
        False,
        "2020-11-09",
        "2020-11-11T10:00:00+00:00",
        "2021-02-11T00:00:00+00:00",
        "live",
        [],
    ),
    (25, "RIPA 09/20", DS, False, "2020-12-07", None, None, "awaiting-approval", []),
]
COUNCIL_SKIPPED = [(1, "header"), (16, "total"), (26, "total")]

# foi_monthly_breakdown.csv: the last entry is "ongoing at 28/02/2021", so as at 2021-03-31.
# The return gives only a month or a year, taken as when the authorisation took effect; the
# expiry is then a range, so expires_at is null. A finite duration says the authorisation
# ended on a day the return omits (cancelled-date-unknown); "ongoing" leaves it to the clock.
FOI = [
    (2, None, DS, False, "2018", "2018", None, "cancelled-date-unknown", []),
    # Underage tobacco sale: the threshold exemption applies.
    (3, None, DS, False, "2018", "2018", None, "cancelled-date-unknown", []),
    (4, None, None, False, "2018", None, None, "invalid-data", ["not_covert_authorisation"]),
    (6, None, DS, False, "2019", "2019", None, "cancelled-date-unknown", []),
    (
        7,
        None,
        DS,
        False,
        "2019",
        "2019",
        None,
        "cancelled-date-unknown",
        ["crime_threshold_not_met"],
    ),
    (8, None, CHIS, False, "2019", "2019", None, "cancelled-date-unknown", []),
    # 120 days is longer than any 3-month period (at most 92 days) and no renewal is shown.
    (
        9,
        None,
        DS,
        False,
        "2019",
        "2019",
        None,
        "cancelled-date-unknown",
        ["duration_exceeds_period"],
    ),
    (11, None, DS, False, "2020-01", "2020-01", None, "cancelled-date-unknown", []),
    # Refused by the magistrate; a fine-only offence should not have been put forward.
    (13, None, DS, False, "2020-03", None, None, "refused", ["crime_threshold_not_met"]),
    # "Jul-20" is July 2020; 95 days outruns 3 months beginning in July (at most 92 days).
    (
        15,
        None,
        DS,
        False,
        "2020-07",
        "2020-07",
        None,
        "cancelled-date-unknown",
        ["duration_exceeds_period"],
    ),
    (16, None, None, False, "2020-08", None, None, "invalid-data", ["not_covert_authorisation"]),
    # Taxi touting (CJPOA 1994 s.167) is fine only.
    (
        17,
        None,
        DS,
        False,
        "2020-09",
        "2020-09",
        None,
        "cancelled-date-unknown",
        ["crime_threshold_not_met"],
    ),
    # Knife sales carry 6 months: the threshold is met.
    (18, None, DS, False, "2020-10", "2020-10", None, "cancelled-date-unknown", []),
    # CHIS from December 2020 lasts to at least the end of 30 Nov 2021: live.
    (20, None, CHIS, False, "2020-12", "2020-12", None, "live", []),
    # DS from February 2021 lasts to at least the end of 30 Apr 2021: live on 31 Mar.
    (23, None, DS, False, "2021-02", "2021-02", None, "live", []),
]
FOI_SKIPPED = [
    (1, "header"),
    (5, "total"),
    (10, "total"),
    (12, "nil return"),
    (14, "nil return"),
    (19, "nil return"),
    (21, "total row wrong: states 8, counted 7"),
    (22, "nil return"),
]

SAMPLES = {
    "police_cab_register.csv": (date(2024, 3, 31), POLICE, POLICE_SKIPPED),
    "council_register.csv": (date(2020, 12, 31), COUNCIL, COUNCIL_SKIPPED),
    "foi_monthly_breakdown.csv": (date(2021, 3, 31), FOI, FOI_SKIPPED),
}
FIELDS = (
    "source_record",
    "reference",
    "kind",
    "urgent",
    "granted_at",
    "takes_effect_at",
    "expires_at",
    "status",
    "findings",
)


def _report(samples_dir: Path, name: str) -> dict:
    as_at = SAMPLES[name][0]
    return build_report(name, (samples_dir / name).read_bytes(), as_at=as_at).as_json()


def _cases() -> list:
    return [
        pytest.param(name, row, id=f"{name.split('_')[0]}-{row[0]}")
        for name, (_, rows, _) in SAMPLES.items()
        for row in rows
    ]


@pytest.mark.parametrize(("name", "expected"), _cases())
def test_sample_record(samples_dir: Path, name: str, expected: tuple) -> None:
    report = _report(samples_dir, name)
    by_number = {record["source_record"]: record for record in report["records"]}
    record = by_number.get(expected[0])
    assert record is not None, f"record {expected[0]} is missing from the report"
    for field, value in zip(FIELDS, expected, strict=True):
        assert record[field] == value, f"record {expected[0]} {field}"


@pytest.mark.parametrize("name", list(SAMPLES))
def test_sample_accounts_for_every_record(samples_dir: Path, name: str) -> None:
    _, rows, skipped = SAMPLES[name]
    report = _report(samples_dir, name)
    assert [r["source_record"] for r in report["records"]] == [row[0] for row in rows]
    assert [(s["source_record"], s["reason"]) for s in report["skipped"]] == skipped
    assert report["as_at"] == SAMPLES[name][0].isoformat()
    assert report["file"] == name


@pytest.mark.xfail(
    reason="cpmp.law.ranks has no rule for council authorising officers: confidential "
    "material needs the head of paid service (CSPI Code 2018 Annex A)",
    strict=True,
)
def test_council_confidential_needs_head_of_paid_service(samples_dir: Path) -> None:
    report = _report(samples_dir, "council_register.csv")
    record = next(r for r in report["records"] if r["source_record"] == 15)
    assert "ao_rank_below_minimum" in record["findings"]
