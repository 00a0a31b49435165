"""Candidate errors found in other records, raised by ``cpmp errors detect``.

Detection only ever raises candidates: a person confirms or dismisses each. Every candidate
carries a detection key, unique in the table, so running detection again raises nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cpmp.authorities.models import Authorisation
from cpmp.authorities.selectors import findings_now, with_status
from cpmp.deployments.models import RecoveryTask
from cpmp.oversight.findings import Finding

from .actions import raise_candidate
from .models import ErrorCategory, RelevantError

# Findings that show activity or paperwork outside the authority, and the category each
# suggests. A person decides whether the record shows a relevant error or a paperwork slip.
FINDING_CATEGORIES: dict[str, str] = {
    # RIPA s.45: an authorisation left to expire before cancellation was not cancelled in time.
    Finding.CANCELLED_AFTER_EXPIRY: ErrorCategory.ACTIVITY_AFTER_END,
    Finding.NEVER_CANCELLED: ErrorCategory.ACTIVITY_AFTER_END,
    # RIPA s.43(4); Police Act 1997 s.95(3): a renewal after expiry renewed nothing.
    Finding.RENEWAL_AFTER_EXPIRY: ErrorCategory.ACTIVITY_AFTER_END,
    # SI 2010/521 Schedule; RIPA s.43(1): granted by an officer who could not grant it so.
    Finding.AO_RANK_BELOW_MINIMUM: ErrorCategory.WRONG_RANK,
    Finding.ORAL_GRANT_BY_URGENT_ONLY_OFFICER: ErrorCategory.WRONG_RANK,
    Finding.REVIEW_WHEN_NOT_IN_EFFECT: ErrorCategory.OUTSIDE_AUTHORISED_CONDUCT,
}

FINDING_SUMMARIES: dict[str, str] = {
    Finding.CANCELLED_AFTER_EXPIRY: "Cancelled only after the authorisation had expired.",
    Finding.NEVER_CANCELLED: "The authorisation ended and no cancellation is recorded.",
    Finding.RENEWAL_AFTER_EXPIRY: "Renewed on or after the end of the period it would renew.",
    Finding.AO_RANK_BELOW_MINIMUM: "Granted by an officer whose rank may not grant it.",
    Finding.ORAL_GRANT_BY_URGENT_ONLY_OFFICER: (
        "Granted orally by an officer who may grant only urgent cases, and only in writing."
    ),
    Finding.REVIEW_WHEN_NOT_IN_EFFECT: "Reviewed while the authorisation was not in effect.",
}


@dataclass(frozen=True)
class DetectionCounts:
    """Counts from one detection run."""

    checked_authorisations: int
    checked_recovery_tasks: int
    raised: int
    already_raised: int


def _finding_codes(record: Authorisation) -> list[str]:
    codes = []
    for finding in findings_now(record):
        code = finding.get("code") if isinstance(finding, dict) else finding
        if code in FINDING_CATEGORIES:
            codes.append(str(code))
    return codes


def detect_candidates(*, acting_user: Any, now: datetime, source: str) -> DetectionCounts:
    """Raise a candidate for each detected problem that has none yet.

    Deployments are not checked directly: ``cpmp.deployments.actions.record_deployment``
    rejects a deployment unless its authorisation covers it, so the only way equipment stays
    out beyond its authority is the recovery task the deployment monitor raises.
    """
    known = set(
        RelevantError.objects.exclude(detection_key=None).values_list("detection_key", flat=True)
    )
    raised = 0
    already = 0
    records = with_status(Authorisation.objects.all(), now).order_by("pk")
    for record in records:
        for code in _finding_codes(record):
            key = f"finding:{record.pk}:{code}"
            if key in known:
                already += 1
                continue
            raise_candidate(
                acting_user=acting_user,
                summary=FINDING_SUMMARIES[code],
                category=FINDING_CATEGORIES[code],
                at=now,
                authorisations=[record],
                operation_id=record.operation_ref_id,
                detection_key=key,
                source=source,
            )
            known.add(key)
            raised += 1
    tasks = RecoveryTask.objects.select_related("deployment").order_by("pk")
    for task in tasks:
        key = f"recovery-task:{task.pk}"
        if key in known:
            already += 1
            continue
        raise_candidate(
            acting_user=acting_user,
            summary="Equipment was still deployed when its authority ended.",
            category=ErrorCategory.EQUIPMENT_LEFT_IN_SITU,
            at=now,
            authorisations=[task.authorisation],
            operation_id=task.deployment.operation_id,
            recovery_task_id=task.pk,
            occurred_on=task.raised_at.date(),
            detection_key=key,
            source=source,
        )
        known.add(key)
        raised += 1
    return DetectionCounts(len(records), len(tasks), raised, already)
