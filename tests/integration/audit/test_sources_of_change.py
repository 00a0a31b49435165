"""Audit events name the front door a change came through: a request, or the command line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from cpmp.audit.context import AuditSourceMiddleware, audit_source, current_source
from cpmp.audit.models import AuditEvent
from cpmp.authorities import actions
from cpmp.authorities.errors import ApplicationInvalid
from tests.lifecycle_factories import an_applicant_officer, an_operation, base_content

pytestmark = pytest.mark.django_db


def _create(applicant, operation, reference: str):  # type: ignore[no-untyped-def]
    return actions.create_application(
        acting_user=applicant,
        operation=operation,
        kinds=["directed-surveillance"],
        reference=reference,
        content=base_content(),
    )


def test_step_inside_command_line_context_names_it() -> None:
    applicant = an_applicant_officer()
    operation = an_operation(applicant)
    application = _create(applicant, operation, "DS/TEST/1")

    with audit_source("command-line"):
        actions.submit_application(application, acting_user=applicant, expected_version=1)

    event = AuditEvent.objects.filter(event_type="application.submitted").get()
    assert event.source == "command-line"


def test_step_without_front_door_uses_default_source() -> None:
    applicant = an_applicant_officer()
    application = _create(applicant, an_operation(applicant), "DS/TEST/2")

    actions.submit_application(application, acting_user=applicant, expected_version=1)

    assert AuditEvent.objects.get(event_type="application.submitted").source == "authorities"


def test_middleware_sets_address_and_request_id_for_the_request() -> None:
    seen: list[tuple[str, str | None]] = []

    def view(request):  # type: ignore[no-untyped-def]
        seen.append(current_source("none"))
        return None

    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10")
    AuditSourceMiddleware(view)(request)

    assert seen[0][0] == "192.0.2.10"
    assert seen[0][1]
    assert current_source("none") == ("none", None)


def test_future_dated_step_is_refused() -> None:
    applicant = an_applicant_officer()
    application = _create(applicant, an_operation(applicant), "DS/TEST/3")

    with pytest.raises(ApplicationInvalid) as raised:
        actions.submit_application(
            application,
            acting_user=applicant,
            expected_version=1,
            at=timezone.now() + timedelta(days=1),
        )

    assert "at" in raised.value.errors
