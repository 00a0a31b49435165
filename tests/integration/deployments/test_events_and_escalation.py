"""Audit events of bookings and deployments, the warning logged for a refused deployment,
the escalation e-mails of recovery tasks, and closing a long-running deployment's review."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from cpmp.access.roles import Rank, Role
from cpmp.assets.actions import register_asset
from cpmp.audit.models import AuditEvent
from cpmp.deployments.actions import (
    book_asset,
    cancel_booking,
    close_review_trigger,
    escalate_recovery_tasks,
    record_deployment,
    run_scheduled_pass,
)
from cpmp.deployments.errors import DeploymentInvalid, NotCovered, NotPermitted
from cpmp.deployments.models import Booking, RecoveryTask, ReviewTrigger
from cpmp.operations.models import OperationMembership
from tests.factories import make_user
from tests.lifecycle_factories import an_authoriser, at

from .conftest import TRACKER_CONDUCT

pytestmark = pytest.mark.django_db

BOOKED_FROM = at("2026-02-02T00:00:00+00:00")
BOOKED_UNTIL = at("2026-03-01T00:00:00+00:00")


def deploy_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "subject": "NOMINAL-001",
        "tactic": "static-observation",
        "location": "Car park, level 2",
        "starts_at": at("2026-02-03T08:00:00+00:00"),
        "ends_at": at("2026-02-10T08:00:00+00:00"),
    }
    values.update(overrides)
    return values


@pytest.fixture
def booking(officer: Any, operation: Any, tracker: Any) -> Booking:
    return book_asset(
        acting_user=officer,
        asset=tracker,
        operation=operation,
        starts_at=BOOKED_FROM,
        ends_at=BOOKED_UNTIL,
        at=BOOKED_FROM,
    )


def test_booking_and_deployment_events(
    officer: Any, operation: Any, booking: Booking, grant: Any
) -> None:
    (authorisation,) = grant(["directed-surveillance"], TRACKER_CONDUCT)
    deployment = record_deployment(
        acting_user=officer, booking=booking, authorisation=authorisation, **deploy_values()
    )

    booked = AuditEvent.objects.get(event_type="booking.created")
    assert booked.object_id == str(booking.pk)
    assert booked.payload == {"asset_id": booking.asset_id, "operation_id": operation.pk}
    recorded = AuditEvent.objects.get(event_type="deployment.recorded")
    assert recorded.object_id == str(deployment.pk)
    assert recorded.payload == {
        "booking_id": booking.pk,
        "asset_id": booking.asset_id,
        "operation_id": operation.pk,
        "authorisation_id": authorisation.pk,
    }
    assert not AuditEvent.objects.filter(event_type__startswith="record.").exists()


def test_cancelled_booking_event(officer: Any, operation: Any, booking: Booking) -> None:
    cancel_booking(booking, acting_user=officer)

    event = AuditEvent.objects.get(event_type="booking.cancelled")
    assert event.payload == {"asset_id": booking.asset_id, "operation_id": operation.pk}


def test_refused_deployment_logged_with_ids_only(
    officer: Any, booking: Booking, grant: Any, caplog: pytest.LogCaptureFixture
) -> None:
    (authorisation,) = grant(["directed-surveillance"], TRACKER_CONDUCT)
    caplog.set_level(logging.WARNING, logger="cpmp.deployments.actions")
    with pytest.raises(NotCovered):
        record_deployment(
            acting_user=officer,
            booking=booking,
            authorisation=authorisation,
            **deploy_values(subject="NOMINAL-999"),
        )

    (record,) = [r for r in caplog.records if r.name == "cpmp.deployments.actions"]
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert f"booking={booking.pk}" in message
    assert f"authorisation={authorisation.pk}" in message
    for detail in ("NOMINAL-999", "Car park", "TECH/0001", booking.operation.name):
        assert detail not in message
    assert not AuditEvent.objects.filter(event_type__startswith="deployment.").exists()


@pytest.fixture
def open_task(officer: Any, operation: Any, booking: Booking, grant: Any) -> RecoveryTask:
    """A recovery task raised at the authority's expiry for equipment still deployed."""
    (authorisation,) = grant(["directed-surveillance"], TRACKER_CONDUCT)
    deployment = record_deployment(
        acting_user=officer, booking=booking, authorisation=authorisation, **deploy_values()
    )
    run_scheduled_pass(now=at("2026-06-01T10:00:00+00:00"))
    return RecoveryTask.objects.get(deployment=deployment)


def test_escalation_emails_each_level_once(
    open_task: RecoveryTask, django_capture_on_commit_callbacks: Any
) -> None:
    technical = make_user(Role.TECHNICAL_UNIT_MANAGER)
    technical.email = "technical.unit@example.test"
    technical.save(update_fields=["email"])
    lapsed = make_user(Role.TECHNICAL_UNIT_MANAGER, expires_at=at("2026-01-01T00:00:00+00:00"))
    lapsed.email = "lapsed@example.test"
    lapsed.save(update_fields=["email"])
    senior = make_user(Role.SENIOR_RESPONSIBLE_OFFICER)
    senior.email = "senior.officer@example.test"
    senior.save(update_fields=["email"])
    raised = open_task.raised_at
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        escalate_recovery_tasks(now=raised + timedelta(hours=25))
    assert [message.to for message in mail.outbox] == [["technical.unit@example.test"]]
    message = mail.outbox[0]
    assert message.subject == f"Recovery task {open_task.pk} has been escalated to you"
    assert f"/deployments/recovery/{open_task.pk}/" in message.body
    for detail in ("TECH/0001", "Car park", "NOMINAL-001", open_task.deployment.operation.name):
        assert detail not in message.subject + message.body

    with django_capture_on_commit_callbacks(execute=True):
        escalate_recovery_tasks(now=raised + timedelta(hours=30))
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        escalate_recovery_tasks(now=raised + timedelta(days=4))
    assert [message.to for message in mail.outbox] == [
        ["technical.unit@example.test"],
        ["senior.officer@example.test"],
    ]


def test_escalation_email_waits_for_commit(open_task: RecoveryTask) -> None:
    senior = make_user(Role.SENIOR_RESPONSIBLE_OFFICER)
    senior.email = "senior.officer@example.test"
    senior.save(update_fields=["email"])
    mail.outbox.clear()

    # The test's transaction never commits, so the e-mail is never sent.
    escalate_recovery_tasks(now=open_task.raised_at + timedelta(days=4))
    open_task.refresh_from_db()
    assert open_task.escalation_level == 2
    assert mail.outbox == []


# A review raised for an undercover officer deployed in the operation for 200 days.
@pytest.fixture
def trigger(operation: Any) -> ReviewTrigger:
    manager = make_user(Role.UNDERCOVER_UNIT_MANAGER)
    officer = register_asset(acting_user=manager, kind="undercover-officer", reference="UCO/0500")
    raised = at("2026-06-01T10:00:00+00:00")
    return ReviewTrigger.objects.create(
        undercover_officer=officer,
        operation=operation,
        raised_at=raised,
        first_deployed_at=raised - timedelta(days=200),
        deployed_days=200,
    )


def test_reviewer_closes_trigger_with_note(
    client: Client, operation: Any, trigger: ReviewTrigger
) -> None:
    reviewer = an_authoriser(Rank.SUPERINTENDENT, senior=True)
    client.force_login(reviewer)
    assert "UCO/0500" in client.get("/deployments/reviews/").content.decode()
    response = client.post(
        f"/deployments/reviews/{trigger.pk}/",
        {"note": "Deployment still necessary; review again in 3 months."},
    )

    assert response.status_code == 302
    trigger.refresh_from_db()
    assert trigger.closed_by_id == reviewer.pk
    assert trigger.review_note == "Deployment still necessary; review again in 3 months."
    event = AuditEvent.objects.get(event_type="review_trigger.closed")
    assert event.payload == {
        "undercover_officer_id": trigger.undercover_officer_id,
        "operation_id": operation.pk,
    }
    assert "UCO/0500" not in client.get("/deployments/reviews/").content.decode()


def test_review_note_required(client: Client, trigger: ReviewTrigger) -> None:
    client.force_login(an_authoriser(Rank.SUPERINTENDENT, senior=True))
    response = client.post(f"/deployments/reviews/{trigger.pk}/", {"note": " "})

    assert response.status_code == 400
    assert '<a href="#id_note">Enter what you reviewed and decided</a>' in response.content.decode()
    trigger.refresh_from_db()
    assert trigger.closed_at is None


def test_review_closed_only_by_reviewers_in_compartment(
    client: Client, officer: Any, operation: Any, trigger: ReviewTrigger
) -> None:
    # A team member who is not a reviewer can open the review but cannot close it.
    client.force_login(officer)
    assert client.post(f"/deployments/reviews/{trigger.pk}/", {"note": "x"}).status_code == 403
    with pytest.raises(NotPermitted):
        close_review_trigger(trigger, acting_user=officer, note="x")
    # An authorising officer outside the team does not learn the review exists.
    outsider = an_authoriser(Rank.SUPERINTENDENT)
    client.force_login(outsider)
    assert client.get(f"/deployments/reviews/{trigger.pk}/").status_code == 404
    assert "UCO/0500" not in client.get("/deployments/reviews/").content.decode()
    trigger.refresh_from_db()
    assert trigger.closed_at is None
    # Added to the team, the same authorising officer may close it.
    OperationMembership.objects.create(operation=operation, user=outsider)
    assert (
        client.post(f"/deployments/reviews/{trigger.pk}/", {"note": "Reviewed"}).status_code == 302
    )


def test_closed_review_cannot_close_again(trigger: ReviewTrigger) -> None:
    reviewer = an_authoriser(Rank.SUPERINTENDENT, senior=True)
    close_review_trigger(trigger, acting_user=reviewer, note="Reviewed")
    with pytest.raises(DeploymentInvalid):
        close_review_trigger(trigger, acting_user=reviewer, note="Reviewed again")
    assert AuditEvent.objects.filter(event_type="review_trigger.closed").count() == 1
