"""Undercover officers: due-date warnings, the long-term warning from cumulative deployment,
the six-month review trigger and the roster for the national undercover index."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command

from cpmp.access.roles import Role
from cpmp.assets.actions import change_undercover_status, register_asset
from cpmp.assets.selectors import undercover_warnings
from cpmp.audit.models import AuditEvent
from cpmp.deployments.actions import run_scheduled_pass
from cpmp.deployments.errors import NotPermitted
from cpmp.deployments.models import Booking, Deployment, ReviewTrigger
from tests.factories import make_authorisation, make_user
from tests.lifecycle_factories import an_operation, at

pytestmark = pytest.mark.django_db

NOW = at("2026-06-01T12:00:00+00:00")


@pytest.fixture
def manager() -> Any:
    return make_user(Role.UNDERCOVER_UNIT_MANAGER)


@pytest.fixture
def officer(manager: Any) -> Any:
    return register_asset(
        acting_user=manager,
        kind="undercover-officer",
        reference="UCO/0007",
        details={
            "status": "active",
            "accreditation_expires_on": date(2026, 6, 20),
            "training_due_on": date(2026, 5, 1),
            "psychological_assessment_due_on": date(2027, 1, 1),
            "national_index_reference": "NUI-123",
        },
    )


def deployed(officer: Any, operation: Any, starts: datetime, ends: datetime, **extra: Any) -> Any:
    """Store a past deployment directly: these tests read history, not the coverage rule."""
    user = make_user(Role.APPLICANT)
    booking = Booking.objects.create(
        asset=officer,
        operation=operation,
        starts_at=starts,
        ends_at=ends,
        booked_by=user,
        booked_at=starts,
    )
    return Deployment.objects.create(
        booking=booking,
        asset=officer,
        operation=operation,
        authorisation=make_authorisation(operation_ref=operation, kind="relevant-source"),
        subject="NOMINAL-001",
        tactic="infiltration",
        location="Meeting place",
        starts_at=starts,
        ends_at=ends,
        ended_at=extra.get("ended_at", ends),
        recorded_by=user,
        recorded_at=starts,
    )


def test_due_dates_warn(officer) -> None:  # type: ignore[no-untyped-def]
    codes = {warning.code: warning.message for warning in undercover_warnings(officer, NOW)}
    assert codes["accreditation"] == "The accreditation expiry is due on 20 June 2026."
    assert codes["training"] == "The refresher training was due on 01 May 2026."
    assert "psychological-assessment" not in codes


def test_cumulative_deployment_warns_before_long_term(officer) -> None:  # type: ignore[no-untyped-def]
    operation = an_operation()
    deployed(officer, operation, at("2025-06-10T00:00:00+00:00"), at("2025-12-01T00:00:00+00:00"))
    deployed(officer, operation, at("2025-12-01T00:00:00+00:00"), at("2026-05-20T00:00:00+00:00"))
    warnings = [w for w in undercover_warnings(officer, NOW) if w.code.startswith("long-term")]
    assert [w.code for w in warnings] == ["long-term-soon"]
    assert "days before an authorisation becomes long-term" in warnings[0].message

    deployed(officer, operation, at("2026-05-20T00:00:00+00:00"), at("2026-06-20T00:00:00+00:00"))
    warnings = [w for w in undercover_warnings(officer, NOW) if w.code.startswith("long-term")]
    assert [w.code for w in warnings] == ["long-term"]


def test_other_operation_counts_separately(officer) -> None:  # type: ignore[no-untyped-def]
    deployed(
        officer, an_operation(), at("2025-06-10T00:00:00+00:00"), at("2025-12-01T00:00:00+00:00")
    )
    deployed(
        officer, an_operation(), at("2025-12-01T00:00:00+00:00"), at("2026-05-20T00:00:00+00:00")
    )
    assert not [w for w in undercover_warnings(officer, NOW) if w.code.startswith("long-term")]


def test_long_running_deployment_triggers_review(officer) -> None:  # type: ignore[no-untyped-def]
    operation = an_operation()
    deployed(officer, operation, at("2025-11-01T00:00:00+00:00"), at("2026-05-25T00:00:00+00:00"))
    run_scheduled_pass(now=at("2026-04-01T00:00:00+00:00"))
    assert not ReviewTrigger.objects.exists()

    run_scheduled_pass(now=NOW)
    trigger = ReviewTrigger.objects.get()
    assert trigger.operation_id == operation.pk
    assert trigger.deployed_days == 212
    run_scheduled_pass(now=NOW + timedelta(days=1))
    assert ReviewTrigger.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="review_trigger").count() == 1


def test_roster_export_lists_status_without_names(officer, manager) -> None:  # type: ignore[no-untyped-def]
    change_undercover_status(officer, acting_user=manager, status="reserve")
    deployed(
        officer, an_operation(), at("2026-01-10T00:00:00+00:00"), at("2026-01-20T00:00:00+00:00")
    )
    output = io.StringIO()
    call_command("assets", "uco-roster", stdout=output)
    rows = list(csv.DictReader(io.StringIO(output.getvalue())))
    assert rows == [
        {
            "reference": "UCO/0007",
            "national_index_reference": "NUI-123",
            "status": "reserve",
            "accreditation_level": "foundation",
            "accreditation_expires_on": "2026-06-20",
            "training_due_on": "2026-05-01",
            "psychological_assessment_due_on": "2027-01-01",
            "deployments": "1",
            "operations": "1",
            "last_deployed_on": "2026-01-10",
        }
    ]
    assert AuditEvent.objects.filter(event_type="export.created").count() == 1


def test_roster_page_and_export_for_unit_manager(client, officer, manager) -> None:  # type: ignore[no-untyped-def]
    client.force_login(manager)
    page = client.get("/assets/undercover-officers/")
    assert page.status_code == 200
    assert "UCO/0007" in page.content.decode()
    export = client.get("/assets/undercover-officers/roster.csv")
    assert export["Content-Type"].startswith("text/csv")
    assert "UCO/0007,NUI-123,active" in export.content.decode()


def test_only_unit_manager_changes_status(officer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermitted):
        change_undercover_status(officer, acting_user=make_user(Role.APPLICANT), status="dormant")
