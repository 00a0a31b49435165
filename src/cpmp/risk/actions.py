"""Every change to a risk assessment. Each action runs in one transaction with its audit event.

Audit payloads carry ids, version numbers and bands only: hazards and mitigations can name people
and places, so they stay in the versions.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cpmp.audit.actions import append_event
from cpmp.audit.context import current_source
from cpmp.audit.events import EventType
from cpmp.law.periods import london_day

from .access import accepting_role, can_write_assessment
from .errors import RiskInvalid, RiskNotPermitted
from .models import RiskAcceptance, RiskAssessment, RiskAssessmentVersion, SubjectType
from .scoring import BAND_LABELS, Band, band_of, needs_acceptance, score
from .selectors import is_juvenile_source, latest_version

# The audit source when no front door has named one (a direct call, as in tests).
AUDIT_SOURCE = "risk"


def _audit(
    event_type: EventType, user: Any, object_type: str, object_id: int, payload: dict[str, Any]
) -> None:
    source, request_id = current_source(AUDIT_SOURCE)
    append_event(
        event_type,
        actor=user,
        object_type=object_type,
        object_id=object_id,
        payload=payload,
        source=source,
        request_id=request_id,
    )


def _instant(at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValueError(f"instant {at.isoformat()} has no time zone: give an aware datetime")
    return at


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def validate_version(
    content: Mapping[str, Any], *, juvenile: bool, now: datetime
) -> dict[str, Any]:
    """Check a version's content and return it cleaned; raise ``RiskInvalid`` listing each problem.

    Keys: ``likelihood`` and ``impact`` (1 to 5), ``hazards``, ``mitigations``, ``review_on``
    (ISO date, today or later), ``reason``, and for a juvenile source ``physical_harm`` and
    ``psychological_harm``.
    """
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for key, label in (("likelihood", "likelihood"), ("impact", "impact")):
        number = _whole_number(content.get(key))
        if number is None or not 1 <= number <= 5:
            errors[key] = f"Enter the {label} as a whole number from 1 to 5"
        cleaned[key] = number
    texts = {
        "hazards": (
            "Enter the hazards, including the risks from the people the source is tasked against"
        ),
        "mitigations": "Enter how each hazard is mitigated",
        "reason": "Enter why this version is being made",
    }
    if juvenile:
        texts["physical_harm"] = "Enter the risk of physical harm to the juvenile source"
        texts["psychological_harm"] = "Enter the risk of psychological harm to the juvenile source"
    for key, message in texts.items():
        text = str(content.get(key) or "").strip()
        if not text:
            errors[key] = message
        cleaned[key] = text
    for key in ("physical_harm", "psychological_harm"):
        cleaned.setdefault(key, str(content.get(key) or "").strip())
    review_on = _date(content.get("review_on"))
    if review_on is None:
        errors["review_on"] = "Enter the review date as a date, for example 2026-03-31"
    elif review_on < london_day(now):
        errors["review_on"] = "The review date must be today or in the future"
    cleaned["review_on"] = review_on
    if errors:
        raise RiskInvalid(errors)
    return cleaned


def _add_version(
    assessment: RiskAssessment, cleaned: Mapping[str, Any], *, acting_user: Any, now: datetime
) -> RiskAssessmentVersion:
    value = score(cleaned["likelihood"], cleaned["impact"])
    number = (assessment.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = RiskAssessmentVersion.objects.create(
        assessment=assessment,
        number=number,
        likelihood=cleaned["likelihood"],
        impact=cleaned["impact"],
        score=value,
        band=band_of(value).value,
        hazards=cleaned["hazards"],
        mitigations=cleaned["mitigations"],
        physical_harm=cleaned["physical_harm"],
        psychological_harm=cleaned["psychological_harm"],
        review_on=cleaned["review_on"],
        reason=cleaned["reason"],
        author=acting_user,
        created_at=now,
    )
    _audit(
        EventType.RISK_ASSESSMENT_VERSIONED,
        acting_user,
        "risk_assessment_version",
        version.pk,
        {"assessment_id": assessment.pk, "number": number, "band": version.band},
    )
    return version


def create_assessment(
    *,
    acting_user: Any,
    subject_type: str,
    first_version: Mapping[str, Any],
    source: Any = None,
    operation: Any = None,
    subject_reference: str = "",
    owner: Any = None,
    juvenile: bool = False,
    at: datetime | None = None,
) -> RiskAssessment:
    """Create an assessment and its first version. ``owner`` defaults to the person acting.

    A source's assessment takes the source's operation as its compartment, and is juvenile
    when ``juvenile`` is set or the source has a juvenile CHIS authorisation.
    """
    now = _instant(at)
    if subject_type not in SubjectType.values:
        raise RiskInvalid({"subject_type": f"Choose one of {', '.join(SubjectType.values)}"})
    if subject_type == SubjectType.SOURCE:
        if source is None:
            raise RiskInvalid({"source": "Choose the source this risk assessment is for"})
        operation = source.operation
        juvenile = juvenile or is_juvenile_source(source)
    else:
        source = None
        if operation is None:
            raise RiskInvalid({"operation": "Choose the operation this risk assessment is for"})
        if not subject_reference.strip():
            raise RiskInvalid(
                {"subject_reference": "Enter a reference for what is assessed, not a name"}
            )
    if not can_write_assessment(acting_user, source=source, operation=operation, now=now):
        raise RiskNotPermitted("You may not write risk assessments for this.")
    cleaned = validate_version(first_version, juvenile=juvenile, now=now)
    with transaction.atomic():
        assessment = RiskAssessment.objects.create(
            subject_type=subject_type,
            source=source,
            operation=operation,
            subject_reference=subject_reference.strip(),
            juvenile=juvenile,
            owner=owner or acting_user,
            created_at=now,
        )
        _audit(
            EventType.RISK_ASSESSMENT_CREATED,
            acting_user,
            "risk_assessment",
            assessment.pk,
            {
                "subject_type": subject_type,
                "source_id": assessment.source_id,
                "operation_id": assessment.operation_id,
                "owner_id": assessment.owner_id,
                "juvenile": juvenile,
            },
        )
        _add_version(assessment, cleaned, acting_user=acting_user, now=now)
    return assessment


def revise_assessment(
    assessment: RiskAssessment,
    *,
    acting_user: Any,
    content: Mapping[str, Any],
    at: datetime | None = None,
) -> RiskAssessmentVersion:
    """Add a new version with its reason. Earlier versions and their acceptances stay as they were.

    A new version needs its own acceptance when its band needs one: an acceptance covers the
    version it was given for only.
    """
    now = _instant(at)
    if not can_write_assessment(
        acting_user, source=assessment.source, operation=assessment.operation, now=now
    ):
        raise RiskNotPermitted("You may not revise this risk assessment.")
    juvenile = assessment.juvenile or (
        assessment.source_id is not None and is_juvenile_source(assessment.source)
    )
    cleaned = validate_version(content, juvenile=juvenile, now=now)
    with transaction.atomic():
        if juvenile and not assessment.juvenile:
            RiskAssessment.objects.filter(pk=assessment.pk).update(juvenile=True)
            assessment.juvenile = True
        return _add_version(assessment, cleaned, acting_user=acting_user, now=now)


def accept_risk(
    assessment: RiskAssessment,
    *,
    acting_user: Any,
    rationale: str,
    at: datetime | None = None,
) -> RiskAcceptance:
    """Accept the latest version's high or very high risk, at the level its band needs.

    The author of the version may not accept it. A band that needs no acceptance is refused,
    so an acceptance is always a decision about a risk that blocks tasking.
    """
    now = _instant(at)
    version = latest_version(assessment)
    if version is None:
        raise RiskInvalid({"version": "The risk assessment has no version to accept"})
    band = Band(version.band)
    if not needs_acceptance(band):
        raise RiskInvalid(
            {"version": f"A {BAND_LABELS[band].lower()} risk does not need to be accepted"}
        )
    role = accepting_role(acting_user, band, now)
    if role is None:
        level = (
            "the senior responsible officer"
            if band == Band.VERY_HIGH
            else "a senior authorising officer or the senior responsible officer"
        )
        raise RiskNotPermitted(
            f"A {BAND_LABELS[band].lower()} risk must be accepted by {level}.",
            fields={"band": band.value},
        )
    if version.author_id == acting_user.pk:
        raise RiskNotPermitted("You wrote this version, so someone else must accept its risk.")
    if not rationale.strip():
        raise RiskInvalid({"rationale": "Enter why you accept this risk"})
    with transaction.atomic():
        acceptance = RiskAcceptance.objects.create(
            version=version,
            accepted_by=acting_user,
            role=role,
            rationale=rationale.strip(),
            accepted_at=now,
        )
        _audit(
            EventType.RISK_ACCEPTED,
            acting_user,
            "risk_acceptance",
            acceptance.pk,
            {
                "assessment_id": assessment.pk,
                "version_id": version.pk,
                "band": band.value,
                "role": role,
            },
        )
    return acceptance


def record_risk_change(
    source: Any, *, acting_user: Any, reason_code: str, at: datetime | None = None
) -> int:
    """Mark every assessment of ``source`` as needing reassessment after a change.

    Called inside the caller's transaction (a welfare concern, for example). Returns the
    number of assessments marked. ``reason_code`` is a short code, never free text.
    """
    now = _instant(at)
    marked = 0
    for assessment in RiskAssessment.objects.filter(source=source).select_for_update():
        assessment.change_recorded_at = now
        assessment.save(update_fields=["change_recorded_at"])
        _audit(
            EventType.RISK_CHANGE_RECORDED,
            acting_user,
            "risk_assessment",
            assessment.pk,
            {"source_id": source.pk, "reason": reason_code},
        )
        marked += 1
    return marked
