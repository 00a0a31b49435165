"""The deadlines of one register entry, worked out by the law core from the facts it records.

The detail page lists them so a Central Authorities Bureau can see, for an entry imported from
a legacy register, which reviews fell due and whether each was held, when a Commissioner had
to be told, and how long the record must be kept. Dates come from the law core; nothing here
counts days itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from cpmp.law.calendar import Calendars
from cpmp.law.commissioner import cca_notice_due, urgent_tei_approval_due
from cpmp.law.kinds import AuthorityKind
from cpmp.law.periods import day_end, london_day
from cpmp.law.records import RETENTION_3_YEARS, retention_until
from cpmp.law.reviews import REVIEW_GRACE, juvenile_review_due_days, match_reviews

from .models import Authorisation

RETENTION_RULE = RETENTION_3_YEARS.identifier


class DeadlineState(StrEnum):
    MET = "met"
    MISSED = "missed"
    PASSED = "passed"
    UPCOMING = "upcoming"
    NO_FIXED_DATE = "no-fixed-date"


@dataclass(frozen=True)
class RecordDeadline:
    """One deadline: what falls due, the exclusive end instant by which, and how it stands.

    ``due_at`` is None where the law sets no fixed date ("as soon as reasonably practicable").
    ``met_on`` is the recorded day that met it, when there is one.
    """

    label: str
    due_at: datetime | None
    state: DeadlineState
    met_on: date | None = None
    rule: str = ""


def record_deadlines(
    record: Authorisation, now: datetime, calendars: Calendars | None = None
) -> list[RecordDeadline]:
    """Return ``record``'s reviews, Commissioner deadlines and retention, soonest first.

    The expiry itself is shown beside these on the page. Entries whose grant day or period is
    unknown have no deadlines the law can fix, so the list is empty for them.
    """
    calendars = calendars or Calendars.default()
    details: dict[str, Any] = record.details or {}
    if record.takes_effect_from is None:
        return []
    first_day = london_day(record.takes_effect_from)
    reviews = sorted(_days(details.get("reviews")))
    ends = [end for end in (record.cancelled_from, record.expires_latest) if end is not None]
    ends_at = min(ends) if ends else None

    deadlines: list[RecordDeadline] = []
    reviews_in_period = [day for day in reviews if day >= first_day]
    # The dates the register set and a juvenile's monthly dates are two separate duties, so
    # each is matched against every review held, as the importer's findings do.
    schedules = (
        ("Review set by the authorising officer", _days(details.get("review_due"))),
        ("Monthly review of a juvenile source", _juvenile_due_days(record, first_day)),
    )
    for label, due_days in schedules:
        for due, answer in match_reviews(due_days, reviews_in_period):
            deadlines.append(_review_deadline(label, due, answer, ends_at, now))
    deadlines.extend(_commissioner_deadlines(record, details, first_day, now, calendars))
    if record.expires_latest is not None:
        last_day = london_day(record.expires_latest - timedelta(microseconds=1))
        if record.cancelled_from is not None:
            last_day = min(last_day, london_day(record.cancelled_from))
        keep = day_end(retention_until(last_day))
        deadlines.append(
            RecordDeadline(
                "Keep the record until at least",
                keep,
                DeadlineState.PASSED if now >= keep else DeadlineState.UPCOMING,
                rule=RETENTION_RULE,
            )
        )
    return sorted(deadlines, key=lambda item: (item.due_at is None, item.due_at))


def _days(values: Any) -> list[date]:
    """Return the full dates among the ISO texts stored in ``values``, skipping coarser ones."""
    days = []
    for text in values or []:
        try:
            days.append(date.fromisoformat(str(text)[:10]))
        except ValueError:
            continue
    return days


def _juvenile_due_days(record: Authorisation, first_day: date) -> list[date]:
    """Return a juvenile source's monthly review days, or none for anyone else."""
    juvenile = record.juvenile or record.kind == AuthorityKind.JUVENILE_CHIS
    if not juvenile or record.expires_latest is None:
        return []
    # NOTE: months are counted from the first grant across any renewals. The importer counts
    # each renewed period afresh, so a renewed juvenile's due days can differ by a few days.
    last_day = london_day(record.expires_latest - timedelta(microseconds=1))
    return juvenile_review_due_days(first_day, last_day)


def _review_deadline(
    label: str, due: date, answer: date | None, ends_at: datetime | None, now: datetime
) -> RecordDeadline:
    """Judge one due review: met by ``answer``, or else passed (the authority ended first),
    upcoming (the grace has not run out) or missed."""
    due_at = day_end(due)
    grace_ends = day_end(due + REVIEW_GRACE)
    if answer is not None:
        return RecordDeadline(label, due_at, DeadlineState.MET, answer)
    if ends_at is not None and ends_at < grace_ends:
        return RecordDeadline(label, due_at, DeadlineState.PASSED)
    if now < grace_ends:
        return RecordDeadline(label, due_at, DeadlineState.UPCOMING)
    return RecordDeadline(label, due_at, DeadlineState.MISSED)


def _commissioner_deadlines(
    record: Authorisation,
    details: dict[str, Any],
    first_day: date,
    now: datetime,
    calendars: Calendars,
) -> list[RecordDeadline]:
    events = details.get("commissioner") or []
    notified = sorted(_days(e.get("when") for e in events if e.get("action") == "notified"))
    approved = sorted(_days(e.get("when") for e in events if e.get("action") == "approved"))
    granted_day = _granted_day(record, first_day)

    if record.kind == AuthorityKind.CRIMINAL_CONDUCT:
        return [
            _fixed(
                "Notify a Judicial Commissioner of the grant",
                cca_notice_due(granted_day),
                notified,
                now,
                "ripa-s32c-cca-notice-7-days",
            )
        ]
    if record.kind == AuthorityKind.EQUIPMENT_INTERFERENCE and record.urgent:
        due = urgent_tei_approval_due(granted_day, calendars)
        return [
            _fixed(
                "Judicial Commissioner's decision on the urgent warrant",
                due,
                approved,
                now,
                "ipa-s109-3-urgent-approval-3-working-days",
            )
        ]
    if record.kind in (AuthorityKind.INTRUSIVE_SURVEILLANCE, AuthorityKind.PROPERTY_INTERFERENCE):
        # RIPA s.35 and Police Act 1997 s.96 set no fixed period: as soon as reasonably practicable.
        recorded = notified or approved
        met_on = recorded[0] if recorded else None
        return [
            RecordDeadline(
                "Notify a Judicial Commissioner as soon as reasonably practicable",
                None,
                DeadlineState.MET if met_on else DeadlineState.NO_FIXED_DATE,
                met_on,
                "ripa-s35-notice"
                if record.kind == AuthorityKind.INTRUSIVE_SURVEILLANCE
                else "pa97-s96-notice",
            )
        ]
    return []


def _granted_day(record: Authorisation, first_day: date) -> date:
    if record.granted_from is not None:
        return london_day(record.granted_from)
    return first_day


def _fixed(
    label: str, due_at: datetime, recorded: list[date], now: datetime, rule: str
) -> RecordDeadline:
    met_on = next((day for day in recorded if day_end(day) <= due_at), None)
    if met_on is not None:
        return RecordDeadline(label, due_at, DeadlineState.MET, met_on, rule)
    if recorded:
        return RecordDeadline(label, due_at, DeadlineState.MISSED, recorded[0], rule)
    state = DeadlineState.UPCOMING if now < due_at else DeadlineState.MISSED
    return RecordDeadline(label, due_at, state, None, rule)
