"""Derive each workflow authorisation's register facts from its application's events.

``project_application`` is the only code that writes a workflow ``Authorisation``: it replays
the case's events in order through the law core (``period_of``, ``renewal_of``) and stores
the result, so the register can always be rebuilt from the events and never disagrees with
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from cpmp.law.calendar import Calendars
from cpmp.law.durations import Grant, Period, period_of, renewal_of, requires_prior_approval
from cpmp.law.kinds import AuthorityKind

from .models import Application, Authorisation, CaseEvent, EventType, Origin, RecordState

GRANT_FACTS = (
    "oral",
    "urgent",
    "urgent_only_authoriser",
    "juvenile",
    "section_97",
    "long_term",
    "legally_privileged",
    "legal_consultation",
)


def grant_from_facts(kind: AuthorityKind, granted: datetime, facts: dict[str, Any]) -> Grant:
    """Build the law core's ``Grant`` from an event's stored facts."""
    flags = {name: bool(facts.get(name, False)) for name in GRANT_FACTS}
    return Grant(
        kind=kind,
        granted=granted,
        oral=flags["oral"],
        urgent=flags["urgent"],
        urgent_only_authoriser=flags["urgent_only_authoriser"],
        juvenile=flags["juvenile"],
        section_97=flags["section_97"],
        long_term=flags["long_term"],
        legally_privileged=flags["legally_privileged"],
        legal_consultation=flags["legal_consultation"],
    )


@dataclass
class PowerHistory:
    """The replayed history of one power of one application."""

    kind: AuthorityKind
    periods: list[tuple[str, Period]] = field(default_factory=list)
    pending: tuple[str, Grant, datetime | None] | None = None
    first_signed: datetime | None = None
    refused: bool = False
    ended_at: datetime | None = None
    oral: bool = False
    urgent: bool = False
    juvenile: bool = False
    written_record_outstanding: bool = False
    findings: list[str] = field(default_factory=list)
    superseded: dict[int, datetime] = field(default_factory=dict)

    @property
    def current(self) -> Period | None:
        return self.periods[-1][1] if self.periods else None

    def note(self, finding: str) -> None:
        if finding not in self.findings:
            self.findings.append(finding)


def replay(kind: AuthorityKind, events: list[CaseEvent], calendars: Calendars) -> PowerHistory:
    """Replay ``events`` (already ordered) for the power ``kind``."""
    history = PowerHistory(kind)
    for event in events:
        if event.kind and event.kind != kind.value:
            continue
        _apply(history, event, calendars)
    return history


def _apply(history: PowerHistory, event: CaseEvent, calendars: Calendars) -> None:
    kind = history.kind
    facts = event.facts
    at = event.occurred_at
    step = event.event_type

    if step in (EventType.GRANTED, EventType.ORAL_GRANT):
        grant = grant_from_facts(kind, at, facts)
        history.first_signed = history.first_signed or at
        history.urgent = history.urgent or grant.urgent
        history.juvenile = grant.is_juvenile
        history.oral = grant.oral
        if facts.get("self_authorised"):
            history.note("self_authorised")
        if step == EventType.ORAL_GRANT:
            history.written_record_outstanding = True
        if requires_prior_approval(grant):
            history.pending = ("grant", grant, None)
            return
        history.periods.append((step, period_of(grant, calendars)))
        return

    if step == EventType.WRITTEN_GRANT:
        history.written_record_outstanding = False
        grant = grant_from_facts(kind, at, facts)
        history.oral = False
        if facts.get("self_authorised"):
            history.note("self_authorised")
        if facts.get("mode") == "renewal":
            _renew(history, grant, calendars, label=step)
            return
        # Convention C7: a fresh written grant runs from its own day, and the oral grant is
        # superseded when the written one takes effect.
        history.note("oral_grant_superseded")
        if requires_prior_approval(grant):
            history.pending = ("grant", grant, None)
            return
        period = period_of(grant, calendars)
        if history.periods:
            history.superseded[len(history.periods) - 1] = at
        history.periods.append((step, period))
        return

    if step == EventType.RENEWED:
        _renew(history, grant_from_facts(kind, at, facts), calendars, label=step)
        return

    if step == EventType.COMMISSIONER_APPROVED:
        effective = datetime.fromisoformat(facts["effective_at"])
        if history.pending is None:
            history.note("commissioner_approved")
            return
        label, grant, previous_end = history.pending
        history.pending = None
        approved = replace(grant, approved=effective)
        if label == "grant":
            history.periods.append((EventType.GRANTED, period_of(approved, calendars)))
        else:
            assert previous_end is not None
            history.periods.append(
                (EventType.RENEWED, renewal_of(approved, previous_end, calendars))
            )
        return

    if step == EventType.COMMISSIONER_REFUSED:
        if history.pending is not None:
            label = history.pending[0]
            history.pending = None
            if label == "grant" and not history.periods:
                history.refused = True
            history.note("refused_by_commissioner")
            return
        history.ended_at = history.ended_at or at
        history.note("refused_by_commissioner")
        return

    if step == EventType.COMMISSIONER_QUASHED:
        history.pending = None
        history.ended_at = history.ended_at or at
        history.note("quashed_by_commissioner")
        return

    if step == EventType.REFUSED:
        if not history.periods:
            history.refused = True
        return

    if step == EventType.CANCELLED:
        history.pending = None
        history.ended_at = history.ended_at or at
        return


def _renew(history: PowerHistory, grant: Grant, calendars: Calendars, *, label: str) -> None:
    current = history.current
    if current is None or current.expires_at is None:
        raise ValueError(f"power {history.kind.value} has no period with a known end to renew")
    previous_end = current.expires_at
    if requires_prior_approval(grant):
        history.pending = ("renewal", grant, previous_end)
        history.note("renewal_awaiting_approval")
        return
    history.periods.append((label, renewal_of(grant, previous_end, calendars)))


def _iso(moment: date | datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def _period_json(label: str, period: Period, superseded_at: datetime | None) -> dict[str, Any]:
    return {
        "step": label,
        "takes_effect": _iso(period.takes_effect),
        "first_day": _iso(period.first_day),
        "last_day": _iso(period.last_day),
        "expires_at": _iso(period.expires_at),
        "later_reading_last_day": _iso(period.later_reading_last_day),
        "superseded_at": _iso(superseded_at),
        "rules": list(period.rules),
    }


def _as_instant(moment: date | datetime | None) -> datetime | None:
    from cpmp.law.periods import day_start

    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment
    return day_start(moment)


def facts_of(history: PowerHistory, application: Application) -> dict[str, Any] | None:
    """Return the register facts of one replayed power, or None before any decision."""
    if history.first_signed is None and not history.refused:
        return None
    findings = list(history.findings)
    if history.written_record_outstanding:
        findings.append("written_record_outstanding")
    if history.pending is not None and history.periods:
        findings.append("renewal_awaiting_approval")
    if history.refused:
        state = RecordState.REFUSED
    elif not history.periods:
        state = RecordState.AWAITING_APPROVAL
    else:
        state = RecordState.GRANTED

    first = history.periods[0][1] if history.periods else None
    last = history.current
    # A superseded oral period ends when the fresh written grant took effect.
    expires_at = last.expires_at if last else None
    details = {
        "application_id": application.pk,
        "periods": [
            _period_json(label, period, history.superseded.get(index))
            for index, (label, period) in enumerate(history.periods)
        ],
        "pending": history.pending[0] if history.pending else "",
    }
    return {
        "origin": Origin.WORKFLOW,
        "reference": application.reference,
        "operation": application.operation.name,
        "operation_ref": application.operation,
        "urgent": history.urgent,
        "oral": history.oral,
        "juvenile": history.juvenile,
        "granted": _iso(history.first_signed),
        "granted_from": history.first_signed,
        "takes_effect": _iso(first.takes_effect) if first else "",
        "takes_effect_from": _as_instant(first.takes_effect) if first else None,
        "cancelled": _iso(history.ended_at),
        "cancelled_from": history.ended_at,
        "expires_at": expires_at,
        "expires_earliest": last.expires_earliest if last else None,
        "expires_latest": last.expires_latest if last else None,
        "state": state,
        "findings": sorted(set(findings)),
        "details": details,
    }


def project_application(
    application: Application, calendars: Calendars | None = None
) -> list[Authorisation]:
    """Recompute every workflow authorisation of ``application`` from its events.

    Creates a power's row at its first decision and links any imported row with the same
    reference and kind to it (``superseded_by``), so the register counts it once. Returns the
    rows in the order of ``application.kinds``.
    """
    calendars = calendars or Calendars.default()
    events = list(application.events.order_by("occurred_at", "pk"))
    rows: list[Authorisation] = []
    for value in application.kinds:
        kind = AuthorityKind(value)
        facts = facts_of(replay(kind, events, calendars), application)
        if facts is None:
            continue
        row, _ = Authorisation.objects.update_or_create(
            application=application, kind=kind.value, defaults=facts
        )
        Authorisation.objects.filter(
            origin=Origin.IMPORTED,
            reference=application.reference,
            kind=kind.value,
            superseded_by__isnull=True,
        ).update(superseded_by=row)
        rows.append(row)
    return rows


def power_history(authorisation: Authorisation, calendars: Calendars | None = None) -> PowerHistory:
    """Return the replayed history of a workflow authorisation (for checks and deadlines)."""
    if authorisation.application is None or authorisation.kind is None:
        raise ValueError(f"authorisation {authorisation.pk} was not made in CPMP")
    events = list(authorisation.application.events.order_by("occurred_at", "pk"))
    return replay(AuthorityKind(authorisation.kind), events, calendars or Calendars.default())
