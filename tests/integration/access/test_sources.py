"""The sterile corridor: a source's true identity is seen only by the source unit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cpmp.access.compartments import can_view_true_identity, visible_sources
from cpmp.access.roles import Role
from cpmp.audit.models import AuditEvent
from cpmp.operations.models import OperationMembership

from .personas import (
    OUR_OPERATION,
    PERSONAS,
    SOURCE_PSEUDONYM,
    TRUE_ADDRESS,
    TRUE_NAME,
    make_operation,
    make_source,
    person,
)

pytestmark = pytest.mark.django_db

IDENTITY_VIEWERS = {"handler", "controller", "source registrar"}
PSEUDONYM_VIEWERS = {
    "gatekeeper",
    "senior authorising officer",
    "senior responsible officer",
    "inspector",
    "auditor",
    "member",
}


@pytest.fixture
def setting(request: pytest.FixtureRequest) -> dict:
    """Build one operation with one source and the persona under test placed as it needs."""
    name = request.node.callspec.params["persona"]
    user = PERSONAS[name].make()
    operation = make_operation(OUR_OPERATION)
    if PERSONAS[name].member:
        OperationMembership.objects.create(operation=operation, user=user)
    source = make_source(
        operation,
        handler=user if name == "handler" else None,
        controller=user if name == "controller" else None,
    )
    return {"user": user, "source": source}


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_source_detail_per_role(client: Client, setting: dict, persona: str) -> None:
    client.force_login(setting["user"])
    response = client.get(reverse("assets:source-detail", args=[setting["source"].pk]))
    content = response.content.decode()

    if persona in IDENTITY_VIEWERS:
        assert response.status_code == 200
        assert TRUE_NAME in content
        assert TRUE_ADDRESS in content
        assert "14 February 1990" in content
    elif persona in PSEUDONYM_VIEWERS:
        assert response.status_code == 200
        assert SOURCE_PSEUDONYM in content
        assert TRUE_NAME not in content
        assert TRUE_ADDRESS not in content
        assert "1990" not in content
    else:
        assert response.status_code == 404
        assert SOURCE_PSEUDONYM not in content


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_source_list_per_role(client: Client, setting: dict, persona: str) -> None:
    client.force_login(setting["user"])
    response = client.get(reverse("assets:source-list"))
    content = response.content.decode()
    assert TRUE_NAME not in content
    if persona in IDENTITY_VIEWERS | PSEUDONYM_VIEWERS:
        assert response.status_code == 200
        assert setting["source"].reference in content
    else:
        assert response.status_code == 403
        assert setting["source"].reference not in content


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_identity_view_always_audited(client: Client, setting: dict, persona: str) -> None:
    client.force_login(setting["user"])
    client.get(reverse("assets:source-detail", args=[setting["source"].pk]))
    identity_events = AuditEvent.objects.filter(object_type="source_true_identity")
    pseudonym_events = AuditEvent.objects.filter(object_type="source")

    if persona in IDENTITY_VIEWERS:
        assert identity_events.count() == 1
        assert identity_events.get().actor_id == setting["user"].pk
        assert identity_events.get().event_type == "source.true_identity_viewed"
        assert identity_events.get().object_id == str(setting["source"].pk)
        assert pseudonym_events.count() == 0
    elif persona in PSEUDONYM_VIEWERS:
        assert identity_events.count() == 0
        assert pseudonym_events.count() == 1
        assert pseudonym_events.get().actor_id == setting["user"].pk
    else:
        assert identity_events.count() == 0
        assert pseudonym_events.count() == 0


def test_named_handler_without_role_loses_source() -> None:
    operation = make_operation(OUR_OPERATION)
    former_handler = person(Role.APPLICANT)
    source = make_source(operation, handler=former_handler)
    now = timezone.now()
    assert not can_view_true_identity(former_handler, source, now)
    assert not visible_sources(former_handler, now).exists()


def test_other_handler_sees_pseudonym_only() -> None:
    operation = make_operation(OUR_OPERATION)
    handler = person(Role.HANDLER)
    OperationMembership.objects.create(operation=operation, user=handler)
    source = make_source(operation, handler=person(Role.HANDLER))
    now = timezone.now()
    assert visible_sources(handler, now).filter(pk=source.pk).exists()
    assert not can_view_true_identity(handler, source, now)


def test_unit_managers_never_see_identity() -> None:
    operation = make_operation(OUR_OPERATION)
    source = make_source(operation)
    now = timezone.now()
    for role in (Role.UNDERCOVER_UNIT_MANAGER, Role.TECHNICAL_UNIT_MANAGER):
        manager = person(role)
        OperationMembership.objects.create(operation=operation, user=manager)
        assert visible_sources(manager, now).filter(pk=source.pk).exists()
        assert not can_view_true_identity(manager, source, now)


def test_missing_source_looks_like_hidden(client: Client) -> None:
    source = make_source(make_operation(OUR_OPERATION))
    client.force_login(person(Role.APPLICANT))
    hidden = client.get(reverse("assets:source-detail", args=[source.pk]))
    missing = client.get(reverse("assets:source-detail", args=[999_999]))
    assert hidden.status_code == missing.status_code == 404
