"""One data row's cells read into typed facts: dates, flags, renewals, court and JC events.

Nothing here applies the law; ``assess`` does that. A cell that cannot be read is kept as
text in ``details`` so that an inspector can see the register's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cpmp.law.durations import Regime

from .dates import DateCell, Marker, PartialDate, Precision, parse_date_cell
from .header import Header
from .kinds import KindReading, read_kind
from .rows import DataRow

COURT_FIELDS = frozenset(
    {"court_hearing", "magistrate", "court_decision", "court_decided", "court_refused"}
)
_YES = re.compile(r"^\s*(y|yes|true)\b", re.IGNORECASE)
_NO = re.compile(r"^\s*(n|no|false|nil|none)\b", re.IGNORECASE)
_REFUSED = re.compile(r"^\s*(refused|rejected|declined|not approved)\b", re.IGNORECASE)
_AWAITED = re.compile(r"awaited|pending|adjourned|listed|tbc|not yet", re.IGNORECASE)
_APPROVED = re.compile(r"approved|granted|authorised|yes", re.IGNORECASE)
_NOT_INDEPENDENT = re.compile(
    r"\bsio\b|directly involved|\bao is (the|a)\b.*\b(sio|oic|officer in (the )?case|"
    r"line manager|investigat)",
    re.IGNORECASE,
)
_LPP = re.compile(r"\blpp\b|legal(ly)? privilege|solicitor|lawyer|legal consultation", re.I)
_JP_APPROVED = re.compile(r"(jp|magistrate|court)\s+approved", re.IGNORECASE)
_DAYS = re.compile(r"(\d+)\s*(day|week|month)s?", re.IGNORECASE)


class CourtDecision:
    APPROVED = "approved"
    REFUSED = "refused"
    AWAITED = "awaited"
    NOT_SOUGHT = "not-sought"


@dataclass(frozen=True)
class Renewal:
    signed: PartialDate
    approved: PartialDate | None


@dataclass(frozen=True)
class CommissionerEvent:
    action: str  # "notified" or "approved"
    renewal: bool
    when: PartialDate


@dataclass(frozen=True)
class RecordFacts:
    source_record: int
    reference: str | None
    operation: str
    kind: KindReading | None
    regime: Regime
    urgent: bool
    oral: bool
    juvenile: bool
    granted: PartialDate | None
    authoriser: str
    # The register marks the authoriser as acting only because the case was urgent.
    authoriser_urgent_only: bool
    confidential: bool
    legally_privileged: bool
    ao_not_independent: bool
    review_due: tuple[PartialDate, ...]
    reviews: DateCell
    renewals: tuple[Renewal, ...]
    cancelled: DateCell
    commissioner: tuple[CommissionerEvent, ...]
    court_decision: str | None
    court_approved: PartialDate | None
    refused_by_authoriser: bool
    has_cancellation_column: bool
    duration_days: int | None
    duration_ongoing: bool
    maximum_sentence: str
    offence: str
    notes: str
    details: dict[str, Any] = field(default_factory=dict)


def yes_no(text: str) -> bool | None:
    if _YES.match(text):
        return True
    if _NO.match(text):
        return False
    return None


def regime_of(header: Header) -> Regime:
    """Return the local-authority regime when the register records magistrates' approval."""
    if COURT_FIELDS & header.fields.keys():
        return Regime.LOCAL_AUTHORITY
    return Regime.POLICE


def read_facts(row: DataRow, regime: Regime) -> RecordFacts:
    kind_text = row.cell("kind")
    kind = read_kind(kind_text)
    granted_cell, granted = _granted(row)
    authoriser = row.cell("authoriser")
    notes = row.cell("notes")
    confidential_text = row.cell("confidential")
    reviews = parse_date_cell(row.cell("reviews"))
    review_due = parse_date_cell(row.cell("first_review_due")).dates
    renewals = _renewals(row.cell("renewals"))
    cancelled = parse_date_cell(row.cell("cancelled"))
    commissioner = _commissioner_events(row.cell("commissioner"))
    court_decision, court_approved = _court(row)
    duration_text = row.cell("duration")
    duration_days = _duration_days(duration_text)
    juvenile_flag = yes_no(row.cell("juvenile"))
    ao_involved = yes_no(row.cell("ao_involved"))

    details: dict[str, Any] = {
        "cells": row.cells_by_column(),
        "granted": [date.iso() for date in granted_cell.dates],
        "reviews": [date.iso() for date in reviews.dates],
        "review_due": [date.iso() for date in review_due],
        "renewals": [
            {"signed": r.signed.iso(), "approved": r.approved.iso() if r.approved else None}
            for r in renewals
        ],
        "cancelled": [date.iso() for date in cancelled.dates],
        "authoriser": authoriser,
        "commissioner": [
            {"action": e.action, "renewal": e.renewal, "when": e.when.iso()} for e in commissioner
        ],
        "court": {
            "decision": court_decision,
            "approved": court_approved.iso() if court_approved else None,
        },
        "notes": notes,
        "kind_text": kind_text,
    }
    if kind is not None and kind.multiplier > 1:
        details["multiplier"] = kind.multiplier

    return RecordFacts(
        source_record=row.number,
        reference=row.cell("reference") or None,
        operation=row.cell("operation"),
        kind=kind,
        regime=regime,
        urgent=bool(yes_no(row.cell("urgent"))) or bool(kind and kind.urgent),
        oral=bool(kind and kind.oral),
        juvenile=bool(juvenile_flag) or bool(kind and kind.juvenile_age is not None),
        granted=granted,
        authoriser=authoriser,
        authoriser_urgent_only=bool(re.search(r"\burgen", authoriser, re.IGNORECASE)),
        confidential=bool(yes_no(confidential_text)),
        legally_privileged=bool(yes_no(confidential_text)) and bool(_LPP.search(confidential_text)),
        ao_not_independent=bool(ao_involved)
        or bool(_NOT_INDEPENDENT.search(authoriser))
        or bool(_NOT_INDEPENDENT.search(notes)),
        review_due=review_due,
        reviews=reviews,
        renewals=renewals,
        cancelled=cancelled,
        commissioner=commissioner,
        court_decision=court_decision,
        court_approved=court_approved,
        refused_by_authoriser=bool(_REFUSED.match(notes)) or bool(_REFUSED.match(kind_text)),
        has_cancellation_column=row.header.has("cancelled"),
        duration_days=duration_days,
        duration_ongoing=bool(re.search(r"ongoing|continuing|live", duration_text, re.I)),
        maximum_sentence=row.cell("maximum_sentence"),
        offence=row.cell("offence"),
        notes=notes,
        details=details,
    )


def _granted(row: DataRow) -> tuple[DateCell, PartialDate | None]:
    """Return the grant date from its column, or from separate year and month columns."""
    if row.header.has("granted"):
        cell = parse_date_cell(row.cell("granted"))
        return cell, cell.first
    year_cell = parse_date_cell(row.cell("year"))
    year = year_cell.first
    if year is None:
        return year_cell, None
    month_cell = parse_date_cell(row.cell("month"), year=year.year)
    month = month_cell.first
    if month is not None and month.year == year.year and month.precision is Precision.MONTH:
        return month_cell, month
    if month_cell.marker in (Marker.EMPTY, Marker.NOT_APPLICABLE):
        return year_cell, year
    # A month the parser cannot read gives no month: the year alone is all that is known.
    return year_cell, year


def _renewals(text: str) -> tuple[Renewal, ...]:
    cell = parse_date_cell(text)
    approved: PartialDate | None = None
    for remark in cell.remarks:
        if _JP_APPROVED.search(remark):
            approved = parse_date_cell(remark).first
    renewals = [Renewal(date, None) for date in cell.dates]
    if approved is not None and len(renewals) == 1:
        renewals = [Renewal(renewals[0].signed, approved)]
    return tuple(sorted(renewals, key=lambda renewal: renewal.signed.earliest()))


def _commissioner_events(text: str) -> tuple[CommissionerEvent, ...]:
    """Read "JC notified 05/09/2023; renewal approved by JC 27/01/2023" into events."""
    events: list[CommissionerEvent] = []
    for part in re.split(r"[;\n]", text):
        when = parse_date_cell(part).first
        if when is None:
            continue
        lowered = part.lower()
        action = "approved" if "approv" in lowered else "notified"
        events.append(CommissionerEvent(action, "renew" in lowered, when))
    return tuple(events)


def _court(row: DataRow) -> tuple[str | None, PartialDate | None]:
    """Return the magistrate's decision and when an approval took effect."""
    refused_flag = row.cell("court_refused")
    if refused_flag:
        answer = yes_no(refused_flag)
        if answer is True:
            return CourtDecision.REFUSED, None
        if answer is False:
            return CourtDecision.APPROVED, None
    decision_text = row.cell("court_decision")
    hearing = parse_date_cell(row.cell("court_hearing"))
    decided = parse_date_cell(row.cell("court_decided"))
    if _REFUSED.match(decision_text):
        return CourtDecision.REFUSED, None
    if decision_text and _AWAITED.search(decision_text):
        return CourtDecision.AWAITED, None
    if decision_text and _APPROVED.search(decision_text):
        return CourtDecision.APPROVED, decided.first or hearing.first
    if not decision_text or parse_date_cell(decision_text).marker is Marker.NOT_APPLICABLE:
        if hearing.marker in (Marker.NOT_APPLICABLE, Marker.EMPTY) and not decided.dates:
            return (CourtDecision.NOT_SOUGHT if row.header.has("court_decision") else None), None
        if hearing.dates and not decided.dates:
            return CourtDecision.AWAITED, None
    return None, None


def _duration_days(text: str) -> int | None:
    """Return the stated duration in days ("approx 6 weeks" is 42), or None."""
    stripped = text.strip()
    if stripped.isdigit():
        return int(stripped)
    match = _DAYS.search(stripped)
    if not match:
        return None
    count = int(match.group(1))
    unit = match.group(2).lower()
    return count * {"day": 1, "week": 7, "month": 31}[unit]
