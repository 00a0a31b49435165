"""Reads of risk assessments: whether one is current, what blocks tasking, and escalation.

Nothing here is stored: staleness and escalation depend on the instant of the question, so
each function takes ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet

from cpmp.authorities.models import Authorisation
from cpmp.law.kinds import AuthorityKind
from cpmp.law.periods import london_day

from .models import RiskAcceptance, RiskAssessment, RiskAssessmentVersion, SubjectType
from .policy import RiskPolicy, current_policy
from .scoring import Band, needs_acceptance


class Stale:
    """Why an assessment is not current. Stored nowhere; used in messages and reports."""

    NO_VERSION = "no-version"
    PAST_REVIEW_DATE = "past-review-date"
    TOO_OLD = "older-than-maximum-age"
    CHANGE_NOT_REASSESSED = "change-not-reassessed"
    JUVENILE_NOT_ENHANCED = "juvenile-not-enhanced"


STALE_MESSAGES = {
    Stale.NO_VERSION: "The risk assessment has no version yet",
    Stale.PAST_REVIEW_DATE: "The risk assessment is past its review date",
    Stale.TOO_OLD: "The risk assessment is older than the maximum age",
    Stale.CHANGE_NOT_REASSESSED: (
        "Something changed after the risk assessment, such as a welfare concern, "
        "and it has not been reassessed"
    ),
    Stale.JUVENILE_NOT_ENHANCED: (
        "The source is a juvenile, so the risk assessment must assess physical and "
        "psychological harm"
    ),
}


class Escalation:
    OWNER = "owner"
    CONTROLLER = "controller"
    SENIOR_RESPONSIBLE_OFFICER = "senior-responsible-officer"


ESCALATION_LABELS = {
    Escalation.OWNER: "Owner",
    Escalation.CONTROLLER: "Controller",
    Escalation.SENIOR_RESPONSIBLE_OFFICER: "Senior responsible officer",
}


@dataclass(frozen=True)
class RiskState:
    """An assessment at one instant: its latest version, why it is stale, its acceptance."""

    assessment: RiskAssessment
    version: RiskAssessmentVersion | None
    stale: list[str] = field(default_factory=list)
    # The day from which the assessment has been stale, when it is.
    stale_since: date | None = None
    acceptance: RiskAcceptance | None = None
    escalation: str = Escalation.OWNER

    @property
    def band(self) -> Band | None:
        return Band(self.version.band) if self.version is not None else None

    @property
    def needs_acceptance(self) -> bool:
        return self.band is not None and needs_acceptance(self.band)

    @property
    def unaccepted_high_risk(self) -> bool:
        return self.needs_acceptance and self.acceptance is None

    @property
    def blocks_tasking(self) -> bool:
        return bool(self.stale) or self.unaccepted_high_risk


def latest_version(assessment: RiskAssessment) -> RiskAssessmentVersion | None:
    return assessment.versions.order_by("-number").first()


def is_juvenile_source(source: Any) -> bool:
    """Decide whether ``source`` has ever been authorised as a juvenile CHIS."""
    juvenile = Q(kind=AuthorityKind.JUVENILE_CHIS.value) | Q(juvenile=True)
    return Authorisation.objects.filter(application__source=source).filter(juvenile).exists()


def _stale_reasons(
    assessment: RiskAssessment,
    version: RiskAssessmentVersion | None,
    now: datetime,
    policy: RiskPolicy,
) -> tuple[list[str], date | None]:
    if version is None:
        return [Stale.NO_VERSION], london_day(assessment.created_at)
    today = london_day(now)
    reasons: list[str] = []
    since: list[date] = []
    if version.review_on < today:
        reasons.append(Stale.PAST_REVIEW_DATE)
        since.append(version.review_on + timedelta(days=1))
    too_old_at = version.created_at + timedelta(days=policy.max_age_days)
    if now >= too_old_at:
        reasons.append(Stale.TOO_OLD)
        since.append(london_day(too_old_at))
    changed = assessment.change_recorded_at
    if changed is not None and changed > version.created_at:
        reasons.append(Stale.CHANGE_NOT_REASSESSED)
        since.append(london_day(changed))
    juvenile = assessment.juvenile or (
        assessment.source_id is not None and is_juvenile_source(assessment.source)
    )
    if juvenile and not (version.physical_harm.strip() and version.psychological_harm.strip()):
        reasons.append(Stale.JUVENILE_NOT_ENHANCED)
        since.append(london_day(version.created_at))
    return reasons, (min(since) if since else None)


def risk_state(
    assessment: RiskAssessment, now: datetime, policy: RiskPolicy | None = None
) -> RiskState:
    """Return the state of ``assessment`` at ``now``: stale reasons, acceptance and escalation.

    Escalation goes from the owner to the controller when the risk is high or the assessment
    stale, and to the senior responsible officer when the risk is very high and unaccepted
    or the assessment has been stale for ``policy.escalate_to_sro_after_days`` days.
    """
    policy = policy or current_policy()
    version = latest_version(assessment)
    stale, stale_since = _stale_reasons(assessment, version, now, policy)
    acceptance = version.acceptances.order_by("-accepted_at").first() if version else None
    state = RiskState(assessment, version, stale, stale_since, acceptance)

    escalation = Escalation.OWNER
    if stale or state.band in (Band.HIGH, Band.VERY_HIGH):
        escalation = Escalation.CONTROLLER
    days_stale = (london_day(now) - stale_since).days if stale_since else 0
    if (state.band == Band.VERY_HIGH and acceptance is None) or (
        stale and days_stale >= policy.escalate_to_sro_after_days
    ):
        escalation = Escalation.SENIOR_RESPONSIBLE_OFFICER
    return RiskState(assessment, version, stale, stale_since, acceptance, escalation)


def current_source_assessment(source: Any) -> RiskAssessment | None:
    """Return the source's assessment with the most recent version, or None if it has none."""
    return (
        RiskAssessment.objects.filter(subject_type=SubjectType.SOURCE, source=source)
        .order_by(F("versions__created_at").desc(nulls_last=True), "-pk")
        .first()
    )


def register_rows(assessments: QuerySet[RiskAssessment], now: datetime) -> list[RiskState]:
    """Return the state of each assessment, most escalated and highest score first."""
    policy = current_policy()
    states = [risk_state(assessment, now, policy) for assessment in assessments]
    order = {
        Escalation.SENIOR_RESPONSIBLE_OFFICER: 0,
        Escalation.CONTROLLER: 1,
        Escalation.OWNER: 2,
    }
    return sorted(
        states,
        key=lambda state: (
            order[state.escalation],
            -(state.version.score if state.version else 26),
            state.assessment.pk,
        ),
    )
