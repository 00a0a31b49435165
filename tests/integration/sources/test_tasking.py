"""Tasking a source needs a current, accepted risk assessment and a live CHIS authorisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cpmp.audit.models import AuditEvent
from cpmp.authorities.models import CaseEvent, RecordState
from cpmp.risk import actions as risk_actions
from cpmp.sources import actions
from cpmp.sources.errors import SourceActionNotPermitted, TaskingRefused

from .builders import SourceUnit, assess, live_chis, version_content

pytestmark = pytest.mark.django_db


def task(unit: SourceUnit, authorisation, items, **extra):  # type: ignore[no-untyped-def]
    return actions.record_tasking(
        unit.source,
        acting_user=unit.handler,
        authorisation=authorisation,
        conduct_ids=[item.pk for item in items],
        description="Attend the Tuesday meeting and report who is present.",
        **extra,
    )


def refusal_codes(unit, authorisation, items, **extra) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(TaskingRefused) as refused:
        task(unit, authorisation, items, **extra)
    return refused.value.reasons


def test_tasking_refused_without_risk_assessment() -> None:
    unit = SourceUnit()
    authorisation, items = live_chis(unit)
    assert refusal_codes(unit, authorisation, items) == ["no_risk_assessment"]


def test_tasking_refused_with_assessment_past_review_date() -> None:
    unit = SourceUnit()
    authorisation, items = live_chis(unit)
    long_ago = timezone.now() - timedelta(days=40)
    assess(unit, at=long_ago, review_on=(long_ago + timedelta(days=20)).date().isoformat())
    assert "risk_assessment_stale" in refusal_codes(unit, authorisation, items)


def test_tasking_refused_with_assessment_older_than_maximum_age(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CPMP_RISK = {"max_age_days": 30}
    unit = SourceUnit()
    authorisation, items = live_chis(unit)
    assess(unit, at=timezone.now() - timedelta(days=31))
    assert refusal_codes(unit, authorisation, items) == ["risk_assessment_stale"]


def test_tasking_refused_after_welfare_concern_until_reassessed() -> None:
    unit = SourceUnit()
    authorisation, items = live_chis(unit)
    assessment = assess(unit, at=timezone.now() - timedelta(hours=1))
    actions.record_welfare_note(
        unit.source, acting_user=unit.handler, note="Says they feel watched.", concern=True
    )
    assert refusal_codes(unit, authorisation, items) == ["risk_assessment_stale"]
    marked = AuditEvent.objects.get(event_type="risk.change_recorded")
    assert marked.object_id == str(assessment.pk)
    assert marked.payload == {"source_id": unit.source.pk, "reason": "welfare-concern"}

    risk_actions.revise_assessment(
        assessment,
        acting_user=unit.controller,
        content=version_content(reason="Reassessed after the welfare concern."),
    )
    tasking = task(unit, authorisation, items)
    assert tasking.risk_version.number == 2


def test_tasking_refused_with_high_risk_not_accepted() -> None:
    unit = SourceUnit()
    authorisation, items = live_chis(unit)
    assessment = assess(unit, likelihood=3, impact=4)  # 12: high
    assert refusal_codes(unit, authorisation, items) == ["risk_not_accepted"]

    risk_actions.accept_risk(assessment, acting_user=unit.senior, rationale="Mitigations suffice.")
    assert task(unit, authorisation, items).pk is not None


def test_tasking_refused_without_live_authorisation() -> None:
    unit = SourceUnit()
    assess(unit)
    assert refusal_codes(unit, None, []) == ["no_live_authorisation"]


def test_tasking_refused_with_expired_authorisation() -> None:
    unit = SourceUnit()
    assess(unit)
    authorisation, items = live_chis(unit, expires_in=timedelta(days=-1))
    assert "no_live_authorisation" in refusal_codes(unit, authorisation, items)


def test_tasking_refused_under_another_sources_authorisation() -> None:
    unit = SourceUnit()
    other = SourceUnit(unit.operation)
    assess(unit)
    authorisation, items = live_chis(other)
    assert "no_live_authorisation" in refusal_codes(unit, authorisation, items)


def test_tasking_refused_when_awaiting_approval() -> None:
    unit = SourceUnit()
    assess(unit)
    authorisation, items = live_chis(unit, state=RecordState.AWAITING_APPROVAL)
    assert "no_live_authorisation" in refusal_codes(unit, authorisation, items)


def test_tasking_refused_with_withdrawn_conduct() -> None:
    unit = SourceUnit()
    assess(unit)
    authorisation, items = live_chis(unit)
    item = items[0]
    item.removed_by = CaseEvent.objects.create(
        application=authorisation.application,
        event_type="varied",
        actor=unit.controller,
        occurred_at=timezone.now(),
        recorded_at=timezone.now(),
    )
    item.save()
    assert refusal_codes(unit, authorisation, items) == ["conduct_not_authorised"]


def test_tasking_refused_beyond_authorisation_end() -> None:
    unit = SourceUnit()
    assess(unit)
    authorisation, items = live_chis(unit, expires_in=timedelta(days=5))
    codes = refusal_codes(unit, authorisation, items, ends_at=timezone.now() + timedelta(days=6))
    assert codes == ["no_live_authorisation"]


def test_tasking_lists_every_reason_at_once() -> None:
    unit = SourceUnit()
    assert refusal_codes(unit, None, []) == ["no_risk_assessment", "no_live_authorisation"]


def test_tasking_recorded_with_audit_event() -> None:
    unit = SourceUnit()
    assess(unit)
    authorisation, items = live_chis(unit)
    tasking = task(unit, authorisation, items)

    assert list(tasking.conduct.all()) == items
    event = AuditEvent.objects.get(object_type="source_tasking", object_id=str(tasking.pk))
    assert event.event_type == "source.tasked"
    assert event.payload["risk_version_id"] == tasking.risk_version_id
    assert event.payload["authorisation_id"] == authorisation.pk
    assert event.payload["conduct_ids"] == [item.pk for item in items]


def test_tasking_only_by_handler_or_controller() -> None:
    unit = SourceUnit()
    assess(unit)
    authorisation, items = live_chis(unit)
    with pytest.raises(SourceActionNotPermitted):
        actions.record_tasking(
            unit.source,
            acting_user=unit.second_controller,
            authorisation=authorisation,
            conduct_ids=[items[0].pk],
            description="Attend.",
        )
