"""A transactional test that stores an audit event still leaves a clean database behind."""

from __future__ import annotations

import pytest

from cpmp.audit.actions import COMMAND_LINE_SOURCE, SystemActor, append_event
from cpmp.audit.events import EventType
from cpmp.audit.models import AuditEvent


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", [1, 2])
def test_audit_event_in_transactional_test_is_flushed(attempt: int) -> None:
    assert AuditEvent.objects.count() == 0
    append_event(
        EventType.SESSION_SIGNED_OUT,
        actor=SystemActor.SYSTEM,
        object_type="session",
        object_id=attempt,
        payload={},
        source=COMMAND_LINE_SOURCE,
    )
    assert AuditEvent.objects.count() == 1
