"""Risk assessments: scoring, immutable versions, acceptance levels, juveniles, escalation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cpmp.access.roles import Role
from cpmp.audit.models import AuditEvent
from cpmp.risk import actions
from cpmp.risk.access import visible_assessments
from cpmp.risk.errors import RiskInvalid, RiskNotPermitted
from cpmp.risk.models import ImmutableVersion, RiskAssessment
from cpmp.risk.scoring import Band, band_of
from cpmp.risk.selectors import Escalation, Stale, register_rows, risk_state
from tests.integration.sources.builders import (
    SourceUnit,
    assess,
    live_chis,
    person,
    version_content,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, Band.LOW),
        (4, Band.LOW),
        (5, Band.MEDIUM),
        (9, Band.MEDIUM),
        (10, Band.HIGH),
        (16, Band.HIGH),
        (20, Band.VERY_HIGH),
        (25, Band.VERY_HIGH),
    ],
)
def test_band_boundaries(score: int, band: Band) -> None:
    assert band_of(score) == band


def test_versions_are_immutable_and_numbered() -> None:
    unit = SourceUnit()
    assessment = assess(unit)
    second = actions.revise_assessment(
        assessment,
        acting_user=unit.handler,
        content=version_content(likelihood=3, reason="New threat."),
    )
    assert [v.number for v in assessment.versions.all()] == [1, 2]
    assert second.score == 6
    with pytest.raises(ImmutableVersion):
        second.save()
    with pytest.raises(ImmutableVersion):
        second.delete()


def test_revision_needs_reason_and_valid_scores() -> None:
    unit = SourceUnit()
    assessment = assess(unit)
    with pytest.raises(RiskInvalid) as refused:
        actions.revise_assessment(
            assessment,
            acting_user=unit.handler,
            content=version_content(likelihood=6, impact="x", reason=""),
        )
    assert set(refused.value.errors) == {"likelihood", "impact", "reason"}


def test_high_risk_acceptance_level() -> None:
    unit = SourceUnit()
    assessment = assess(unit, likelihood=4, impact=3)  # 12: high
    with pytest.raises(RiskNotPermitted):
        actions.accept_risk(assessment, acting_user=unit.second_controller, rationale="Fine.")
    acceptance = actions.accept_risk(assessment, acting_user=unit.senior, rationale="Fine.")
    assert acceptance.role == Role.SENIOR_AUTHORISING_OFFICER
    event = AuditEvent.objects.get(object_type="risk_acceptance", object_id=str(acceptance.pk))
    assert event.event_type == "risk.accepted"
    assert event.payload["band"] == "high"


def test_very_high_risk_needs_senior_responsible_officer() -> None:
    unit = SourceUnit()
    assessment = assess(unit, likelihood=5, impact=4)  # 20: very high
    with pytest.raises(RiskNotPermitted):
        actions.accept_risk(assessment, acting_user=unit.senior, rationale="Fine.")
    actions.accept_risk(assessment, acting_user=unit.sro, rationale="Accepted for 2 weeks.")
    assert not risk_state(assessment, timezone.now()).blocks_tasking


def test_acceptance_covers_one_version_only() -> None:
    unit = SourceUnit()
    assessment = assess(unit, likelihood=4, impact=3)
    actions.accept_risk(assessment, acting_user=unit.senior, rationale="Fine.")
    actions.revise_assessment(
        assessment,
        acting_user=unit.handler,
        content=version_content(likelihood=4, impact=4, reason="Worse."),
    )
    assert risk_state(assessment, timezone.now()).unaccepted_high_risk


def test_author_may_not_accept_own_version() -> None:
    unit = SourceUnit()
    assessment = actions.create_assessment(
        acting_user=unit.sro,
        subject_type="source",
        source=unit.source,
        first_version=version_content(likelihood=5, impact=5),
    )
    with pytest.raises(RiskNotPermitted):
        actions.accept_risk(assessment, acting_user=unit.sro, rationale="Fine.")


def test_juvenile_source_needs_enhanced_assessment() -> None:
    unit = SourceUnit()
    live_chis(unit, kind="juvenile-chis")
    with pytest.raises(RiskInvalid) as refused:
        assess(unit)
    assert set(refused.value.errors) == {"physical_harm", "psychological_harm"}
    assessment = assess(
        unit,
        physical_harm="Violence from older gang members if exposed.",
        psychological_harm="Anxiety from divided loyalties; weekly welfare checks.",
    )
    assert assessment.juvenile
    assert risk_state(assessment, timezone.now()).stale == []


def test_assessment_made_before_juvenile_authorisation_is_stale() -> None:
    unit = SourceUnit()
    assessment = assess(unit)
    live_chis(unit, kind="juvenile-chis")
    assert risk_state(assessment, timezone.now()).stale == [Stale.JUVENILE_NOT_ENHANCED]


def test_escalation_by_score_and_age(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CPMP_RISK = {"escalate_to_sro_after_days": 7}
    unit = SourceUnit()
    low = assess(unit)
    high = assess(unit, likelihood=4, impact=3)
    very_high = assess(unit, likelihood=5, impact=5)
    past = timezone.now() - timedelta(days=20)
    stale_long = assess(unit, at=past, review_on=(past + timedelta(days=1)).date().isoformat())
    now = timezone.now()
    assert risk_state(low, now).escalation == Escalation.OWNER
    assert risk_state(high, now).escalation == Escalation.CONTROLLER
    assert risk_state(very_high, now).escalation == Escalation.SENIOR_RESPONSIBLE_OFFICER
    assert risk_state(stale_long, now).escalation == Escalation.SENIOR_RESPONSIBLE_OFFICER
    rows = register_rows(RiskAssessment.objects.all(), now)
    assert rows[-1].assessment == low


def test_assessment_visibility_follows_source() -> None:
    unit = SourceUnit()
    assessment = assess(unit)
    outsider = person(Role.RISK_MANAGER)
    now = timezone.now()
    assert not visible_assessments(outsider, now).filter(pk=assessment.pk).exists()
    assert visible_assessments(unit.handler, now).filter(pk=assessment.pk).exists()
    assert visible_assessments(unit.sro, now).filter(pk=assessment.pk).exists()


def test_deployment_assessment_by_unit_manager() -> None:
    unit = SourceUnit()
    manager = person(Role.UNDERCOVER_UNIT_MANAGER)
    with pytest.raises(RiskNotPermitted):
        actions.create_assessment(
            acting_user=manager,
            subject_type="deployment",
            operation=unit.operation,
            subject_reference="DEP-4",
            first_version=version_content(),
        )
    unit.operation.memberships.create(user=manager)
    assessment = actions.create_assessment(
        acting_user=manager,
        subject_type="deployment",
        operation=unit.operation,
        subject_reference="DEP-4",
        first_version=version_content(),
    )
    created = AuditEvent.objects.get(object_type="risk_assessment", object_id=str(assessment.pk))
    assert created.event_type == "risk.assessment_created"
    assert created.payload["subject_type"] == "deployment"
    assert created.payload["operation_id"] == unit.operation.pk
    versioned = AuditEvent.objects.get(object_type="risk_assessment_version")
    assert versioned.event_type == "risk.assessment_versioned"
    assert versioned.payload == {"assessment_id": assessment.pk, "number": 1, "band": "low"}
