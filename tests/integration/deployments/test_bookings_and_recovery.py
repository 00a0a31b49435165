"""Bookings that clash are refused without naming another compartment; assets left deployed
when their authority ends get recovery tasks that escalate until closed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command

from cpmp.access.roles import Rank, Role
from cpmp.assets.models import Asset
from cpmp.assets.selectors import AssetState, asset_rows
from cpmp.audit.models import AuditEvent
from cpmp.authorities import actions
from cpmp.authorities.actions.lifecycle import equipment_outstanding
from cpmp.deployments.actions import (
    book_asset,
    escalate_recovery_tasks,
    record_deployment,
    record_recovery,
    run_scheduled_pass,
)
from cpmp.deployments.errors import BookingClash
from cpmp.deployments.models import EscalationLevel, RecoveryReason, RecoveryTask
from tests.factories import make_user
from tests.lifecycle_factories import an_authoriser, an_operation, at

from .conftest import TRACKER_CONDUCT

pytestmark = pytest.mark.django_db

WINDOW = (at("2026-02-02T00:00:00+00:00"), at("2026-03-01T00:00:00+00:00"))


def book(officer: Any, asset: Any, operation: Any, starts: str, ends: str) -> Any:
    return book_asset(
        acting_user=officer,
        asset=asset,
        operation=operation,
        starts_at=at(starts),
        ends_at=at(ends),
    )


def test_overlapping_booking_refused_with_window(officer, operation, tracker) -> None:  # type: ignore[no-untyped-def]
    book(officer, tracker, operation, "2026-03-01T09:00:00+00:00", "2026-03-03T17:00:00+00:00")
    with pytest.raises(BookingClash) as clash:
        book(officer, tracker, operation, "2026-03-03T09:00:00+00:00", "2026-03-04T09:00:00+00:00")
    assert clash.value.message == (
        "TECH/0001 is already booked for "
        f"{operation.name} from 09:00 on 1 March 2026 to 17:00 on 3 March 2026. Choose a "
        "window outside that booking, or another asset."
    )
    assert clash.value.fields["operation_id"] == operation.pk


def test_booking_clash_hides_other_operation(officer, operation, tracker) -> None:  # type: ignore[no-untyped-def]
    book(officer, tracker, operation, "2026-03-01T09:00:00+00:00", "2026-03-03T17:00:00+00:00")
    stranger = make_user(Role.APPLICANT)
    theirs = an_operation(stranger)
    with pytest.raises(BookingClash) as clash:
        book(stranger, tracker, theirs, "2026-03-02T09:00:00+00:00", "2026-03-02T10:00:00+00:00")
    assert "for another operation from 09:00 on 1 March 2026 to 17:00 on 3 March 2026" in (
        clash.value.message
    )
    assert operation.name not in clash.value.message
    assert "operation_id" not in clash.value.fields


def test_adjacent_bookings_do_not_clash(officer, operation, tracker) -> None:  # type: ignore[no-untyped-def]
    book(officer, tracker, operation, "2026-03-01T09:00:00+00:00", "2026-03-03T17:00:00+00:00")
    later = book(
        officer, tracker, operation, "2026-03-03T17:00:00+00:00", "2026-03-04T17:00:00+00:00"
    )
    assert later.pk


def deployed(officer: Any, operation: Any, tracker: Any, authorisation: Any) -> Any:
    booking = book_asset(
        acting_user=officer,
        asset=tracker,
        operation=operation,
        starts_at=WINDOW[0],
        ends_at=WINDOW[1],
    )
    return record_deployment(
        acting_user=officer,
        booking=booking,
        authorisation=authorisation,
        subject="NOMINAL-001",
        tactic="static-observation",
        location="Under the blue saloon",
        starts_at=at("2026-02-03T02:00:00+00:00"),
        ends_at=at("2026-02-15T02:00:00+00:00"),
    )


def cancel(authorisation: Any, authoriser: Any, when: str) -> None:
    actions.cancel_authorisation(
        authorisation,
        acting_user=authoriser,
        expected_version=4,
        cancellation={
            "reasons": "Subject arrested.",
            "outcome": "Meetings evidenced.",
            "ceased_at": when,
            "product_owner_id": authoriser.pk,
            "product_instructions": "Keep for trial.",
        },
        at=at(when),
    )


def test_cancellation_raises_recovery_task(  # type: ignore[no-untyped-def]
    officer, operation, tracker, grant, django_capture_on_commit_callbacks
) -> None:
    authoriser = an_authoriser(Rank.SUPERINTENDENT)
    (authorisation,) = grant(["directed-surveillance"], TRACKER_CONDUCT, authoriser=authoriser)
    deployment = deployed(officer, operation, tracker, authorisation)
    # The task is raised by the signal sent once the cancellation commits.
    with django_capture_on_commit_callbacks(execute=True):
        cancel(authorisation, authoriser, "2026-02-05T10:00:00+00:00")

    task = RecoveryTask.objects.get(deployment=deployment)
    assert task.reason == RecoveryReason.CANCELLED
    assert task.raised_at == at("2026-02-05T10:00:00+00:00")
    rows = asset_rows(Asset.objects.filter(pk=tracker.pk), at("2026-02-06T10:00:00+00:00"))
    assert [row.state for row in rows] == [AssetState.DEPLOYED_UNDER_ENDED_AUTHORITY]
    assert rows[0].state_label == "Deployed under expired authority"

    escalate_recovery_tasks(now=at("2026-02-06T11:00:00+00:00"))
    task.refresh_from_db()
    assert task.escalation_level == EscalationLevel.TECHNICAL_UNIT_MANAGER
    escalate_recovery_tasks(now=at("2026-02-08T11:00:00+00:00"))
    task.refresh_from_db()
    assert task.escalation_level == EscalationLevel.SENIOR_RESPONSIBLE_OFFICER

    record_recovery(
        task, acting_user=officer, recovered_to="Store A", at=at("2026-02-08T12:00:00+00:00")
    )
    task.refresh_from_db()
    assert task.closed_at == at("2026-02-08T12:00:00+00:00")
    assert tracker.custody.last().location == "Store A"
    assert equipment_outstanding(authorisation, at("2026-02-09T00:00:00+00:00")) == []
    rows = asset_rows(Asset.objects.filter(pk=tracker.pk), at("2026-02-09T10:00:00+00:00"))
    assert rows[0].state != AssetState.DEPLOYED_UNDER_ENDED_AUTHORITY
    events = AuditEvent.objects.filter(object_type="recovery_task", object_id=str(task.pk))
    assert list(events.order_by("sequence").values_list("event_type", flat=True)) == [
        "recovery_task.raised",
        "recovery_task.escalated",
        "recovery_task.escalated",
        "recovery_task.closed",
    ]
    escalations = events.filter(event_type="recovery_task.escalated").order_by("sequence")
    assert [event.payload for event in escalations] == [
        {"old_level": 0, "new_level": 1},
        {"old_level": 1, "new_level": 2},
    ]
    ended = AuditEvent.objects.get(event_type="deployment.ended", object_id=str(deployment.pk))
    assert ended.payload["end_reason"] == "recovered"


def test_expiry_raises_recovery_task_by_command(officer, operation, tracker, grant) -> None:  # type: ignore[no-untyped-def]
    (authorisation,) = grant(["directed-surveillance"], TRACKER_CONDUCT)
    deployment = deployed(officer, operation, tracker, authorisation)
    assert not RecoveryTask.objects.exists()
    expiry = authorisation.expires_at
    assert expiry is not None

    run_scheduled_pass(now=expiry - timedelta(minutes=1))
    assert not RecoveryTask.objects.exists()

    call_command("deployments", "raise-recovery-tasks", "--now", expiry.isoformat())
    task = RecoveryTask.objects.get(deployment=deployment)
    assert task.reason == RecoveryReason.EXPIRED
    assert task.escalation_level == EscalationLevel.SENIOR_INVESTIGATING_OFFICER

    call_command(
        "deployments", "raise-recovery-tasks", "--now", (expiry + timedelta(days=2)).isoformat()
    )
    task.refresh_from_db()
    assert task.escalation_level == EscalationLevel.TECHNICAL_UNIT_MANAGER
    assert RecoveryTask.objects.count() == 1


def test_deployed_asset_cannot_be_booked_again(officer, operation, tracker, grant) -> None:  # type: ignore[no-untyped-def]
    authoriser = an_authoriser(Rank.SUPERINTENDENT)
    (authorisation,) = grant(["directed-surveillance"], TRACKER_CONDUCT, authoriser=authoriser)
    deployed(officer, operation, tracker, authorisation)
    cancel(authorisation, authoriser, "2026-02-05T10:00:00+00:00")
    with pytest.raises(BookingClash) as clash:
        book(officer, tracker, operation, "2026-04-01T09:00:00+00:00", "2026-04-02T09:00:00+00:00")
    assert "is still deployed" in clash.value.message
