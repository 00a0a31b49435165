"""Confirm, dismiss, report, decide and close a relevant error, each with its audit event."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cpmp.access.roles import Role
from cpmp.audit.models import AuditEvent
from cpmp.oversight.errors_register import actions
from cpmp.oversight.errors_register.errors import ErrorStepInvalid
from cpmp.oversight.errors_register.models import ErrorStatus

from .support import a_candidate, a_confirmed_error, a_person, an_operation

pytestmark = pytest.mark.django_db

AFTER_DEADLINE = datetime.fromisoformat("2026-04-21T09:00+01:00")


def events_for(error_id: int) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="relevant_error", object_id=str(error_id))
        .order_by("sequence")
        .values_list("event_type", flat=True)
    )


def test_error_lifecycle_writes_audit_events() -> None:
    officer = a_person(Role.SENIOR_RESPONSIBLE_OFFICER)
    error = a_confirmed_error(an_operation("Op Lifecycle"))

    actions.record_report(
        error,
        acting_user=officer,
        reported_on=date(2026, 4, 17),
        reference="IPC/2026/001",
        now=AFTER_DEADLINE,
        source="127.0.0.1",
    )
    actions.record_decision(
        error,
        acting_user=officer,
        serious=False,
        decided_on=date(2026, 4, 20),
        now=AFTER_DEADLINE,
        source="127.0.0.1",
    )
    actions.close_error(error, acting_user=officer, now=AFTER_DEADLINE, source="127.0.0.1")

    error.refresh_from_db()
    assert error.status == ErrorStatus.CLOSED
    assert error.ipc_serious is False
    assert events_for(error.pk) == [
        "relevant_error.raised",
        "relevant_error.confirmed",
        "relevant_error.reported",
        "relevant_error.decided",
        "relevant_error.closed",
    ]


def test_late_report_recorded_in_audit() -> None:
    gatekeeper = a_person(Role.GATEKEEPER)
    error = a_confirmed_error(an_operation("Op Late"))

    actions.record_report(
        error,
        acting_user=gatekeeper,
        reported_on=date(2026, 4, 20),
        reference="IPC/2026/002",
        now=AFTER_DEADLINE,
        source="127.0.0.1",
    )

    event = AuditEvent.objects.get(
        object_type="relevant_error", object_id=str(error.pk), event_type="relevant_error.reported"
    )
    assert event.payload == {"reported_on": "2026-04-20", "late": True}


def test_candidate_cannot_be_reported() -> None:
    gatekeeper = a_person(Role.GATEKEEPER)
    error = a_candidate(an_operation("Op Candidate"))

    with pytest.raises(ErrorStepInvalid) as problem:
        actions.record_report(
            error,
            acting_user=gatekeeper,
            reported_on=date(2026, 4, 2),
            reference="IPC/2026/003",
            now=AFTER_DEADLINE,
            source="127.0.0.1",
        )

    assert problem.value.fields == {"status": "candidate"}


def test_established_date_in_future_rejected() -> None:
    gatekeeper = a_person(Role.GATEKEEPER)
    error = a_candidate(an_operation("Op Future"))

    with pytest.raises(ErrorStepInvalid):
        actions.confirm_error(
            error,
            acting_user=gatekeeper,
            established_on=date(2026, 4, 22),
            owner=gatekeeper,
            now=AFTER_DEADLINE,
            source="127.0.0.1",
        )


def test_dismissal_needs_reasons() -> None:
    gatekeeper = a_person(Role.GATEKEEPER)
    error = a_candidate(an_operation("Op Dismissed"))

    with pytest.raises(ErrorStepInvalid):
        actions.dismiss_error(error, acting_user=gatekeeper, reasons="  ", source="127.0.0.1")
    actions.dismiss_error(
        error, acting_user=gatekeeper, reasons="Cancelled on paper in time.", source="127.0.0.1"
    )

    error.refresh_from_db()
    assert error.status == ErrorStatus.DISMISSED
    assert error.dismissal_reasons == "Cancelled on paper in time."


def test_close_needs_ipc_decision() -> None:
    gatekeeper = a_person(Role.GATEKEEPER)
    error = a_confirmed_error(an_operation("Op Undecided"))
    actions.record_report(
        error,
        acting_user=gatekeeper,
        reported_on=date(2026, 4, 10),
        reference="IPC/2026/004",
        now=AFTER_DEADLINE,
        source="127.0.0.1",
    )

    with pytest.raises(ErrorStepInvalid):
        actions.close_error(error, acting_user=gatekeeper, now=AFTER_DEADLINE, source="127.0.0.1")


def test_established_today_in_london_accepted() -> None:
    gatekeeper = a_person(Role.GATEKEEPER)
    error = a_candidate(an_operation("Op Midnight"))

    # 00:30 on 2 April in London is still 1 April in UTC.
    actions.confirm_error(
        error,
        acting_user=gatekeeper,
        established_on=date(2026, 4, 2),
        owner=gatekeeper,
        now=datetime.fromisoformat("2026-04-01T23:30:00+00:00"),
        source="127.0.0.1",
    )

    assert error.established_on == date(2026, 4, 2)
