"""What falls due, and for whom: reviews, expiries, written records, Commissioner steps and
equipment to recover, for every live workflow authorisation.

``deadlines_at`` is the read that reminders are built on. It derives every date from the
stored events and the law core at the instant given, so it needs no scheduled bookkeeping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cpmp.law.calendar import Calendars
from cpmp.law.commissioner import Event, Requirement, commissioner_deadline
from cpmp.law.kinds import AuthorityKind
from cpmp.law.periods import day_end, london_day

from .actions.lifecycle import equipment_outstanding
from .content import parse_date
from .models import Authorisation, CaseEvent, EventType, Origin, RecordState
from .projection import grant_from_facts


class DeadlineKind:
    REVIEW = "review"
    EXPIRY = "expiry"
    WRITTEN_RECORD = "written-record"
    COMMISSIONER_NOTICE = "commissioner-notice"
    COMMISSIONER_APPROVAL = "commissioner-approval"
    EQUIPMENT_RECOVERY = "equipment-recovery"


@dataclass(frozen=True)
class Deadline:
    """One thing due. ``due_at`` is the exclusive end instant; ``people`` are user ids:
    applicant, authorising officer and gatekeeper."""

    kind: str
    authorisation_id: int
    application_id: int
    due_at: datetime
    people: tuple[int, ...]
    detail: str = ""


def _people(row: Authorisation) -> tuple[int, ...]:
    application = row.application
    assert application is not None
    ids = [application.applicant_id, application.authorising_officer_id, application.gatekeeper_id]
    return tuple(dict.fromkeys(pk for pk in ids if pk is not None))


def deadlines_at(
    now: datetime,
    *,
    within: timedelta = timedelta(days=14),
    calendars: Calendars | None = None,
) -> list[Deadline]:
    """Return every deadline due before ``now + within`` (overdue ones included), soonest
    first."""
    calendars = calendars or Calendars.default()
    horizon = now + within
    found: list[Deadline] = []
    rows = (
        Authorisation.objects.filter(origin=Origin.WORKFLOW, application__isnull=False)
        .exclude(state=RecordState.REFUSED)
        .select_related("application")
    )
    for row in rows:
        assert row.application_id is not None, "the query excludes rows without an application"
        events = list(
            CaseEvent.objects.filter(application_id=row.application_id)
            .filter(kind__in=[row.kind, ""])
            .order_by("occurred_at", "pk")
        )
        found.extend(_row_deadlines(row, events, now, calendars))
    return sorted((d for d in found if d.due_at < horizon), key=lambda d: d.due_at)


def _row_deadlines(
    row: Authorisation, events: list[CaseEvent], now: datetime, calendars: Calendars
) -> list[Deadline]:
    assert row.application_id is not None and row.kind is not None
    application_id = row.application_id
    people = _people(row)
    found: list[Deadline] = []

    def add(kind: str, due_at: datetime, detail: str = "") -> None:
        found.append(Deadline(kind, row.pk, application_id, due_at, people, detail))

    ended = row.cancelled_from is not None and row.cancelled_from <= now
    live = (
        row.state == RecordState.GRANTED
        and not ended
        and (row.expires_latest is not None and now < row.expires_latest)
    )

    if live:
        assert row.expires_latest is not None
        add(DeadlineKind.EXPIRY, row.expires_latest)
        review_day = _next_review_day(events)
        if review_day is not None:
            add(DeadlineKind.REVIEW, day_end(review_day))
        if "written_record_outstanding" in row.findings:
            oral = next(e for e in reversed(events) if e.event_type == EventType.ORAL_GRANT)
            # The written record is due generally by the next working day, and in any case
            # before the 72 hours end.
            next_day = calendars.england_and_wales.nth_working_day_after(
                london_day(oral.occurred_at), 1
            )
            add(DeadlineKind.WRITTEN_RECORD, min(day_end(next_day), row.expires_latest))

    if row.state == RecordState.AWAITING_APPROVAL or "renewal_awaiting_approval" in row.findings:
        signed = next(
            e
            for e in reversed(events)
            if e.event_type in (EventType.GRANTED, EventType.RENEWED, EventType.WRITTEN_GRANT)
        )
        add(DeadlineKind.COMMISSIONER_APPROVAL, signed.occurred_at, "prior approval needed")

    found.extend(_notice_deadlines(row, events, calendars, add_kind=add))

    for item in equipment_outstanding(row, now):
        due = row.cancelled_from or row.expires_latest
        assert due is not None
        add(DeadlineKind.EQUIPMENT_RECOVERY, due, item)
    return found


def _next_review_day(events: list[CaseEvent]) -> date | None:
    for event in reversed(events):
        if event.event_type == EventType.REVIEWED:
            return parse_date(event.facts.get("next_review_on"))
        if (
            event.event_type
            in (
                EventType.GRANTED,
                EventType.ORAL_GRANT,
                EventType.WRITTEN_GRANT,
                EventType.RENEWED,
            )
            and event.document is not None
        ):
            return parse_date(event.document.content.get("first_review_on"))
    return None


def _notice_deadlines(
    row: Authorisation,
    events: list[CaseEvent],
    calendars: Calendars,
    *,
    add_kind: Callable[[str, datetime, str], None],
) -> list[Deadline]:
    """Add the Commissioner notices due after grants, renewals and cancellations not yet
    followed by a notice of the same step."""
    steps = {
        EventType.GRANTED: Event.GRANT,
        EventType.ORAL_GRANT: Event.GRANT,
        EventType.WRITTEN_GRANT: Event.GRANT,
        EventType.RENEWED: Event.RENEWAL,
        EventType.CANCELLED: Event.CANCELLATION,
    }
    assert row.kind is not None, "only workflow rows, which always have a kind, reach here"
    kind = AuthorityKind(row.kind)
    for index, event in enumerate(events):
        step = steps.get(EventType(event.event_type))
        if step is None:
            continue
        grant = grant_from_facts(kind, event.occurred_at, event.facts or {})
        deadline = commissioner_deadline(grant, step, london_day(event.occurred_at), calendars)
        if (
            deadline.requirement is not Requirement.NOTIFY
            and deadline.requirement is not Requirement.APPROVAL_OF_URGENT_ISSUE
        ):
            continue
        noticed = any(
            later.event_type == EventType.COMMISSIONER_NOTICE
            and later.facts.get("about") == step.value
            for later in events[index + 1 :]
        )
        decided = any(
            later.event_type in (EventType.COMMISSIONER_APPROVED, EventType.COMMISSIONER_REFUSED)
            for later in events[index + 1 :]
        )
        if deadline.requirement is Requirement.APPROVAL_OF_URGENT_ISSUE:
            if not decided and deadline.due_at is not None:
                add_kind(DeadlineKind.COMMISSIONER_APPROVAL, deadline.due_at, "urgent issue")
            continue
        if not noticed:
            # "As soon as reasonably practicable" has no fixed date: it is due at once.
            add_kind(
                DeadlineKind.COMMISSIONER_NOTICE,
                deadline.due_at or event.occurred_at,
                step.value,
            )
    return []
