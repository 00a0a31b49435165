"""An operation's team decides who sees its records; changes are audited."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cpmp.access.compartments import can_view_operation
from cpmp.access.roles import Role
from cpmp.audit.models import AuditEvent
from cpmp.errors import Forbidden
from cpmp.operations.actions import add_team_member, create_operation, remove_team_member
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_sio_adds_and_removes_member() -> None:
    sio = make_user(Role.APPLICANT)
    operation = create_operation(
        acting_user=sio,
        name="Op Juniper",
        reference="OP/2026/0001",
        kind="investigation",
        priority="high",
        senior_investigating_officer=sio,
    )
    officer = make_user(Role.APPLICANT)
    now = timezone.now()
    assert not can_view_operation(officer, operation, now)

    add_team_member(operation, officer, acting_user=sio)
    assert can_view_operation(officer, operation, now)
    remove_team_member(operation, officer, acting_user=sio)
    assert not can_view_operation(officer, operation, now)

    events = AuditEvent.objects.filter(object_type="operation", object_id=str(operation.pk))
    assert list(events.order_by("sequence").values_list("event_type", flat=True)) == [
        "operation.created",
        "operation.member_added",
        "operation.member_removed",
    ]
    payloads = list(events.order_by("sequence").values_list("payload", flat=True))
    assert payloads[0] == {"kind": "investigation", "priority": "high"}
    assert payloads[1]["user_id"] == officer.pk
    assert payloads[2]["user_id"] == officer.pk


def test_member_cannot_change_team() -> None:
    sio = make_user(Role.APPLICANT)
    operation = create_operation(acting_user=sio, name="Op Rowan", senior_investigating_officer=sio)
    member = make_user(Role.APPLICANT)
    add_team_member(operation, member, acting_user=sio)
    with pytest.raises(Forbidden):
        add_team_member(operation, make_user(Role.APPLICANT), acting_user=member)


def test_operation_page_hidden_from_non_member(client) -> None:  # type: ignore[no-untyped-def]
    sio = make_user(Role.APPLICANT)
    operation = create_operation(acting_user=sio, name="Op Hazel", senior_investigating_officer=sio)
    client.force_login(make_user(Role.APPLICANT))
    assert client.get(f"/operations/{operation.pk}/").status_code == 404
    client.force_login(sio)
    response = client.get(f"/operations/{operation.pk}/")
    assert response.status_code == 200
    assert "Op Hazel" in response.content.decode()
