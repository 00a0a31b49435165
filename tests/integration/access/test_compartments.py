"""Compartments: a record outside a person's operations looks like one that does not exist."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cpmp.access import compartments
from cpmp.access.roles import Role
from cpmp.audit.models import AuditEvent
from cpmp.operations.models import OperationMembership

from .personas import (
    OTHER_OPERATION,
    OUR_OPERATION,
    OVERSEE_ALL,
    PERSONAS,
    add_role,
    make_operation,
    make_record,
    person,
)

pytestmark = pytest.mark.django_db

REGISTER = reverse("authorities:register")


@pytest.fixture
def teams() -> dict:
    """Build two teams' operations, each with records, and a member of the first."""
    member = person(Role.APPLICANT)
    ours = make_operation(OUR_OPERATION, members=(member,))
    theirs = make_operation(OTHER_OPERATION)
    return {
        "member": member,
        "ours": ours,
        "theirs": theirs,
        "our_records": [make_record(ours, reference=f"OURS-{n}") for n in range(3)],
        "their_records": [make_record(theirs, reference=f"THEIRS-{n}") for n in range(5)],
        "unlinked": make_record(None, reference="NO-OPERATION"),
    }


def _without_tokens(content: bytes) -> bytes:
    """Remove what differs per response anyway: the CSRF token and the CSP nonce."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return re.sub(rb'nonce="[^"]+"', b"", content)


def _references(response) -> list[str]:
    return [record.reference for record in response.context["page"].object_list]


def test_member_sees_only_own_compartment(client: Client, teams: dict) -> None:
    client.force_login(teams["member"])
    response = client.get(REGISTER)
    assert response.status_code == 200
    assert sorted(_references(response)) == ["OURS-0", "OURS-1", "OURS-2"]
    assert response.context["page"].paginator.count == 3
    assert "THEIRS" not in response.content.decode()
    assert OTHER_OPERATION not in response.content.decode()


def test_other_operation_filter_looks_unknown(client: Client, teams: dict) -> None:
    client.force_login(teams["member"])
    other_team = client.get(REGISTER, {"operation": OTHER_OPERATION})
    made_up = client.get(REGISTER, {"operation": "Op Does Not Exist"})
    assert other_team.status_code == made_up.status_code == 200
    assert _references(other_team) == _references(made_up) == []
    other_page = _without_tokens(other_team.content).replace(OTHER_OPERATION.encode(), b"X")
    made_up_page = _without_tokens(made_up.content).replace(b"Op Does Not Exist", b"X")
    assert other_page == made_up_page


def test_reference_search_stays_in_compartment(client: Client, teams: dict) -> None:
    client.force_login(teams["member"])
    response = client.get(REGISTER, {"reference": "THEIRS"})
    assert _references(response) == []
    assert "No authorisations match these filters" in response.content.decode()


@pytest.mark.parametrize("sort", ["operation", "-operation", "reference", "status", "-granted"])
def test_sorting_stays_in_compartment(client: Client, teams: dict, sort: str) -> None:
    client.force_login(teams["member"])
    response = client.get(REGISTER, {"sort": sort})
    assert sorted(_references(response)) == ["OURS-0", "OURS-1", "OURS-2"]


def test_pagination_totals_count_compartment_only(client: Client, teams: dict) -> None:
    for number in range(60):
        make_record(teams["theirs"], reference=f"MORE-{number}")
    client.force_login(teams["member"])
    response = client.get(REGISTER, {"page": "2"})
    assert response.context["page"].paginator.count == 3
    assert response.context["page"].paginator.num_pages == 1
    assert "of 3 authorisations" in response.content.decode()


def test_detail_outside_compartment_looks_missing(client: Client, teams: dict) -> None:
    client.force_login(teams["member"])
    theirs = client.get(reverse("authorities:detail", args=[teams["their_records"][0].pk]))
    missing = client.get(reverse("authorities:detail", args=[999_999]))
    assert theirs.status_code == missing.status_code == 404
    assert _without_tokens(theirs.content) == _without_tokens(missing.content)


def test_unlinked_record_only_for_oversee_all(client: Client, teams: dict) -> None:
    client.force_login(teams["member"])
    url = reverse("authorities:detail", args=[teams["unlinked"].pk])
    assert client.get(url).status_code == 404
    client.force_login(person(Role.GATEKEEPER))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("persona", sorted(OVERSEE_ALL))
def test_oversee_all_roles_see_every_record(client: Client, teams: dict, persona: str) -> None:
    client.force_login(PERSONAS[persona].make())
    response = client.get(REGISTER)
    assert response.context["page"].paginator.count == 9


def test_administrator_role_vetoes_every_compartment(client: Client, teams: dict) -> None:
    # A gatekeeper who is also an administrator and in the team still sees nothing.
    user = person(Role.GATEKEEPER)
    add_role(user, Role.ADMINISTRATOR)
    OperationMembership.objects.create(operation=teams["ours"], user=user)
    now = timezone.now()
    assert not compartments.may_see_operational_content(user, now)
    assert not compartments.visible_authorisations(user, now).exists()
    assert not compartments.can_view_operation(user, teams["ours"], now)
    client.force_login(user)
    assert client.get(REGISTER).status_code == 403


def test_lapsed_inspector_sees_nothing(teams: dict) -> None:
    inspector = person(Role.INSPECTOR, lapsed=True)
    now = timezone.now()
    assert not compartments.oversees_all_operations(inspector, now)
    assert not compartments.visible_authorisations(inspector, now).exists()


def test_inspector_role_lapses_at_expiry(teams: dict) -> None:
    inspector = person(Role.INSPECTOR)
    assignment = inspector.role_assignments.get()
    assignment.expires_at = timezone.now() + timedelta(hours=1)
    assignment.save()
    before = timezone.now()
    after = before + timedelta(hours=2)
    assert compartments.visible_authorisations(inspector, before).count() == 9
    assert compartments.visible_authorisations(inspector, after).count() == 0


def test_senior_investigating_officer_sees_operation(teams: dict) -> None:
    officer = person(Role.APPLICANT)
    teams["theirs"].senior_investigating_officer = officer
    teams["theirs"].save()
    visible = compartments.visible_authorisations(officer, timezone.now())
    assert sorted(visible.values_list("reference", flat=True)) == [f"THEIRS-{n}" for n in range(5)]


def test_visible_operations_per_persona(teams: dict) -> None:
    now = timezone.now()
    member_view = compartments.visible_operations(teams["member"], now)
    assert list(member_view.values_list("name", flat=True)) == [OUR_OPERATION]
    assert compartments.can_view_operation(teams["member"], teams["ours"], now)
    assert not compartments.can_view_operation(teams["member"], teams["theirs"], now)
    assert compartments.visible_operations(person(Role.AUDITOR), now).count() == 2
    assert compartments.visible_operations(person(Role.AUTHORISING_OFFICER), now).count() == 0


def test_authorising_officer_needs_membership(client: Client, teams: dict) -> None:
    officer = person(Role.AUTHORISING_OFFICER)
    client.force_login(officer)
    assert client.get(REGISTER).status_code == 403
    OperationMembership.objects.create(operation=teams["theirs"], user=officer)
    response = client.get(REGISTER)
    assert response.context["page"].paginator.count == 5


# Audit of views.


def _events(**filters: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("sequence"))


@pytest.mark.parametrize("persona", sorted(OVERSEE_ALL))
def test_oversee_all_list_view_is_audited(client: Client, teams: dict, persona: str) -> None:
    user = PERSONAS[persona].make()
    client.force_login(user)
    client.get(REGISTER, {"kind": "directed-surveillance"})
    events = _events(object_type="authorisation_register")
    assert len(events) == 1
    assert events[0].actor_id == user.pk
    assert events[0].event_type == "record.list_viewed"
    assert events[0].payload == {
        "view_name": "authorities:register",
        "row_count": 9,
        "filters": {"kind": "directed-surveillance"},
    }


def test_member_list_view_is_not_audited(client: Client, teams: dict) -> None:
    client.force_login(teams["member"])
    client.get(REGISTER)
    assert _events(object_type="authorisation_register") == []


@pytest.mark.parametrize("persona", [*sorted(OVERSEE_ALL), "member"])
def test_detail_view_is_audited(client: Client, teams: dict, persona: str) -> None:
    user = teams["member"] if persona == "member" else PERSONAS[persona].make()
    record = teams["our_records"][0]
    client.force_login(user)
    assert client.get(reverse("authorities:detail", args=[record.pk])).status_code == 200
    events = _events(object_type="authorisation")
    assert len(events) == 1
    assert events[0].actor_id == user.pk
    assert events[0].object_id == str(record.pk)
    assert events[0].event_type == "authorisation.viewed"


def test_denied_detail_is_not_audited_as_view(client: Client, teams: dict) -> None:
    client.force_login(teams["member"])
    client.get(reverse("authorities:detail", args=[teams["their_records"][0].pk]))
    assert _events(object_type="authorisation") == []
