"""The potential-source clock, its triage, contact records and the contact-gap report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cpmp.assets.models import Source
from cpmp.audit.models import AuditEvent
from cpmp.sources import actions
from cpmp.sources.errors import SourceRecordInvalid, TriageRequired
from cpmp.sources.selectors import clock_report, contact_gaps, potential_source_clock

from .builders import SourceUnit, assess, live_chis

pytestmark = pytest.mark.django_db

NO_ANSWERS = {
    "relationship_used_covertly": "no",
    "asked_to_obtain": "no",
    "disclosing_covertly": "no",
    "acting_on_tasking": "no",
}


def contact(unit: SourceUnit, days_ago: float = 0, **extra):  # type: ignore[no-untyped-def]
    values = {
        "kind": "call",
        "occurred_at": timezone.now() - timedelta(days=days_ago, minutes=5),
        "location_reference": "LOC-17",
        "information_passed": "Names a new courier.",
        "welfare_observations": "Calm.",
    }
    values.update(extra)
    return actions.record_contact(unit.source, acting_user=unit.handler, **values)


def test_clock_warns_after_contact_count(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CPMP_SOURCES = {"potential_source_contacts": 3}
    unit = SourceUnit()
    contact(unit, 2)
    contact(unit, 1)
    assert not potential_source_clock(unit.source, timezone.now()).triage_due
    contact(unit, 0)
    clock = potential_source_clock(unit.source, timezone.now())
    assert clock.contact_count == 3
    assert clock.triage_due


def test_clock_warns_after_days(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CPMP_SOURCES = {"potential_source_days": 10}
    unit = SourceUnit()
    contact(unit, 11)
    clock = potential_source_clock(unit.source, timezone.now())
    assert clock.days_since_first_contact >= 10
    assert clock.triage_due
    sources = Source.objects.filter(pk=unit.source.pk)
    assert [row.source for row in clock_report(sources, timezone.now())] == [unit.source]


def test_clock_stops_once_authorised() -> None:
    unit = SourceUnit()
    for days in (40, 30, 20):
        contact(unit, days)
    live_chis(unit)
    clock = potential_source_clock(unit.source, timezone.now())
    assert not clock.triage_due
    # The live authorisation was granted 10 days ago; the first contact was 40 days ago.
    assert clock.days_to_authorise == 30


def test_payment_refused_until_triage() -> None:
    unit = SourceUnit()
    for days in (3, 2, 1):
        contact(unit, days)
    with pytest.raises(TriageRequired):
        actions.request_payment(
            unit.source, acting_user=unit.handler, kind="expenses", amount="10", purpose="Travel."
        )
    actions.record_triage(
        unit.source,
        acting_user=unit.controller,
        answers={**NO_ANSWERS, "relationship_used_covertly": "yes"},
        outcome="seek-authorisation",
        rationale="The person is keeping up a relationship with the subject for us.",
    )
    assert not potential_source_clock(unit.source, timezone.now()).triage_due
    payment = actions.request_payment(
        unit.source, acting_user=unit.handler, kind="expenses", amount="10", purpose="Travel."
    )
    assert payment.pk is not None


def test_triage_refuses_not_a_chis_when_used_covertly() -> None:
    unit = SourceUnit()
    contact(unit, 1)
    with pytest.raises(SourceRecordInvalid) as refused:
        actions.record_triage(
            unit.source,
            acting_user=unit.controller,
            answers={**NO_ANSWERS, "asked_to_obtain": "yes"},
            outcome="not-a-chis",
            rationale="Just a helpful member of the public.",
        )
    assert "outcome" in refused.value.errors


def test_triage_needs_every_answer_and_rationale() -> None:
    unit = SourceUnit()
    with pytest.raises(SourceRecordInvalid) as refused:
        actions.record_triage(
            unit.source, acting_user=unit.controller, answers={}, outcome="not-a-chis", rationale=""
        )
    assert set(refused.value.errors) == {
        "relationship_used_covertly",
        "asked_to_obtain",
        "disclosing_covertly",
        "acting_on_tasking",
        "rationale",
    }


def test_not_a_chis_restarts_the_clock() -> None:
    unit = SourceUnit()
    for days in (3, 2, 1):
        contact(unit, days)
    triage = actions.record_triage(
        unit.source,
        acting_user=unit.controller,
        answers=NO_ANSWERS,
        outcome="not-a-chis",
        rationale="A witness giving an account of what they saw; no relationship is used.",
    )
    assert triage.contact_count == 3
    clock = potential_source_clock(unit.source, timezone.now())
    assert clock.contact_count == 0
    assert not clock.triage_due
    event = AuditEvent.objects.get(object_type="source_triage", object_id=str(triage.pk))
    assert event.event_type == "source.triage_recorded"
    assert event.payload == {"source_id": unit.source.pk, "outcome": "not-a-chis"}


def test_contact_location_must_be_a_reference() -> None:
    unit = SourceUnit()
    with pytest.raises(SourceRecordInvalid) as refused:
        contact(unit, location_reference="1 High Street")
    assert set(refused.value.errors) == {"location_reference"}


def test_contact_recorded_with_officers_and_audit() -> None:
    unit = SourceUnit()
    recorded = contact(unit, officers=[unit.controller])
    assert set(recorded.officers.all()) == {unit.handler, unit.controller}
    event = AuditEvent.objects.get(object_type="source_contact", object_id=str(recorded.pk))
    assert event.event_type == "source.contact_recorded"
    assert event.payload["officer_ids"] == sorted([unit.handler.pk, unit.controller.pk])
    assert "Names a new courier" not in str(event.payload)


def test_gap_report_flags_tasking_and_payment_without_contact() -> None:
    unit = SourceUnit()
    assess(unit)
    authorisation, items = live_chis(unit)
    tasking = actions.record_tasking(
        unit.source,
        acting_user=unit.handler,
        authorisation=authorisation,
        conduct_ids=[items[0].pk],
        description="Report on the meeting.",
    )
    payment = actions.request_payment(
        unit.source, acting_user=unit.handler, kind="payment", amount="50", purpose="Reward."
    )
    sources = Source.objects.filter(pk=unit.source.pk)
    gaps = {(gap.record_type, gap.record_id) for gap in contact_gaps(sources)}
    assert gaps == {("tasking", tasking.pk), ("payment", payment.pk)}

    documented = contact(unit)
    actions.link_contact(tasking, acting_user=unit.handler, contact=documented)
    actions.link_contact(payment, acting_user=unit.handler, contact=documented)
    assert contact_gaps(sources) == []
    linked = AuditEvent.objects.filter(event_type="source.contact_linked").order_by("sequence")
    assert [(event.object_type, event.object_id) for event in linked] == [
        ("source_tasking", str(tasking.pk)),
        ("source_payment", str(payment.pk)),
    ]
    assert linked[0].payload == {
        "source_id": unit.source.pk,
        "record_type": "tasking",
        "contact_id": documented.pk,
    }


def test_welfare_note_audited() -> None:
    unit = SourceUnit()
    note = actions.record_welfare_note(unit.source, acting_user=unit.controller, note="Well.")
    event = AuditEvent.objects.get(object_type="source_welfare_note", object_id=str(note.pk))
    assert event.event_type == "source.welfare_noted"
    assert event.payload == {"source_id": unit.source.pk, "concern": False}
