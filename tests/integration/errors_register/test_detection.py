"""``cpmp errors detect`` raises each candidate once and never confirms one."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from cpmp.assets.models import Equipment
from cpmp.deployments.models import Booking, Deployment, RecoveryTask
from cpmp.oversight.errors_register.models import ErrorCategory, ErrorStatus, RelevantError
from tests.factories import make_authorisation

from .support import a_person, an_operation

pytestmark = pytest.mark.django_db

NOW = "2026-04-01T09:00:00+01:00"


def a_recovery_task(operation, record) -> RecoveryTask:  # type: ignore[no-untyped-def]
    person = a_person(None)
    at = datetime.fromisoformat(NOW)
    equipment = Equipment.objects.create(
        kind="equipment", reference="TECH/ERR/1", equipment_type="Tracker"
    )
    booking = Booking.objects.create(
        asset=equipment,
        operation=operation,
        starts_at=at - timedelta(days=10),
        ends_at=at,
        booked_by=person,
        booked_at=at - timedelta(days=10),
    )
    deployment = Deployment.objects.create(
        booking=booking,
        asset=equipment,
        operation=operation,
        authorisation=record,
        subject="NOMINAL-001",
        tactic="tracking",
        location="Vehicle",
        starts_at=at - timedelta(days=10),
        ends_at=at,
        recorded_by=person,
        recorded_at=at - timedelta(days=10),
    )
    return RecoveryTask.objects.create(
        deployment=deployment, authorisation=record, reason="expired", raised_at=at
    )


def detect() -> str:
    output = StringIO()
    call_command("errors", "detect", "--now", NOW, stdout=output)
    return output.getvalue()


def test_detection_raises_candidates_from_findings_and_recovery() -> None:
    operation = an_operation("Op Detect")
    rank_record = make_authorisation(
        operation_ref=operation,
        findings=["ao_rank_below_minimum"],
        granted_from=datetime.fromisoformat("2026-03-01T10:00+00:00"),
    )
    task = a_recovery_task(operation, rank_record)

    detect()

    keys = set(RelevantError.objects.values_list("detection_key", flat=True))
    assert keys == {f"finding:{rank_record.pk}:ao_rank_below_minimum", f"recovery-task:{task.pk}"}
    assert set(RelevantError.objects.values_list("status", flat=True)) == {ErrorStatus.CANDIDATE}
    in_situ = RelevantError.objects.get(recovery_task=task)
    assert in_situ.category == ErrorCategory.EQUIPMENT_LEFT_IN_SITU
    assert in_situ.operation_id == operation.pk


def test_detection_never_cancelled_from_status() -> None:
    # Granted in January 2024 for 3 months and never cancelled.
    record = make_authorisation(operation_ref=an_operation("Op Lapsed"))

    detect()

    error = RelevantError.objects.get()
    assert error.detection_key == f"finding:{record.pk}:never_cancelled"
    assert list(error.authorisations.all()) == [record]


def test_detection_idempotent() -> None:
    make_authorisation(operation_ref=an_operation("Op Twice"))

    first = detect()
    second = detect()

    assert RelevantError.objects.count() == 1
    assert "1 candidates raised, 0 already raised" in first
    assert "0 candidates raised, 1 already raised" in second


def test_dismissed_candidate_not_raised_again() -> None:
    make_authorisation(operation_ref=an_operation("Op Dismissed"))
    detect()
    RelevantError.objects.update(status=ErrorStatus.DISMISSED, dismissal_reasons="Paperwork.")

    detect()

    assert RelevantError.objects.count() == 1
