"""The pages that change the asset register: registering each kind, custody entries, an
undercover officer's status and a source's status, with their errors and audit events."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cpmp.access.roles import Role
from cpmp.assets.actions import register_asset
from cpmp.assets.models import (
    Asset,
    CovertIdentity,
    Equipment,
    Premises,
    Source,
    UndercoverOfficer,
    Vehicle,
)
from cpmp.audit.models import AuditEvent
from cpmp.deployments.models import Booking
from tests.factories import make_user
from tests.integration.access.personas import make_source
from tests.lifecycle_factories import an_operation, at

pytestmark = pytest.mark.django_db

# Each kind with the form its page posts and the model row it creates.
REGISTRATIONS: list[tuple[str, str, dict[str, str], type[Asset]]] = [
    (
        "equipment",
        Role.TECHNICAL_UNIT_MANAGER,
        {
            "reference": "TECH/0100",
            "description": "GPS tracker",
            "equipment_type": "GPS tracker",
            "serial_number": "SN-100",
            "capability": "Location every 30 seconds",
            "location": "Store A",
        },
        Equipment,
    ),
    (
        "vehicle",
        Role.TECHNICAL_UNIT_MANAGER,
        {"reference": "VEH/0100", "registration": "AB12 CDE", "make_and_model": "Estate"},
        Vehicle,
    ),
    (
        "premises",
        Role.TECHNICAL_UNIT_MANAGER,
        {"reference": "OP/0100", "premises_type": "observation-post", "address": "1 Test Road"},
        Premises,
    ),
    (
        "undercover-officer",
        Role.UNDERCOVER_UNIT_MANAGER,
        {
            "reference": "UCO/0100",
            "status": "reserve",
            "accreditation_level": "advanced",
            "accredited_on": "2025-01-10",
            "accreditation_expires_on": "2028-01-10",
            "training_due_on": "2026-09-01",
            "psychological_assessment_due_on": "2026-12-01",
            "national_index_reference": "NUI-100",
        },
        UndercoverOfficer,
    ),
    (
        "covert-identity",
        Role.UNDERCOVER_UNIT_MANAGER,
        {"reference": "LEG/0100", "identity_type": "online-persona", "handle": "wren_online"},
        CovertIdentity,
    ),
]


def signed_in(client: Client, role: str | None) -> Any:
    user = make_user(role)
    client.force_login(user)
    return user


@pytest.mark.parametrize(("kind", "role", "data", "model"), REGISTRATIONS)
def test_manager_registers_each_kind(
    client: Client, kind: str, role: str, data: dict[str, str], model: type[Asset]
) -> None:
    manager = signed_in(client, role)
    response = client.post(f"/assets/register/{kind}/", data)

    asset = model.objects.get(reference=data["reference"])
    assert response.status_code == 302
    assert response["Location"] == f"/assets/{asset.pk}/"
    event = AuditEvent.objects.get(event_type="asset.registered", object_id=str(asset.pk))
    assert event.actor_id == manager.pk
    assert event.payload["kind"] == kind
    assert data["reference"] not in str(event.payload)


def test_undercover_officer_page_stores_due_dates(client: Client) -> None:
    signed_in(client, Role.UNDERCOVER_UNIT_MANAGER)
    _, _, data, _ = REGISTRATIONS[3]
    client.post("/assets/register/undercover-officer/", data)

    officer = UndercoverOfficer.objects.get(reference="UCO/0100")
    assert officer.status == "reserve"
    assert officer.accreditation_level == "advanced"
    assert str(officer.accreditation_expires_on) == "2028-01-10"
    assert str(officer.training_due_on) == "2026-09-01"
    assert str(officer.psychological_assessment_due_on) == "2026-12-01"


def test_equipment_page_starts_custody_chain(client: Client) -> None:
    signed_in(client, Role.TECHNICAL_UNIT_MANAGER)
    client.post("/assets/register/equipment/", REGISTRATIONS[0][2])

    equipment = Equipment.objects.get(reference="TECH/0100")
    assert [entry.location for entry in equipment.custody.all()] == ["Store A"]
    event = AuditEvent.objects.get(event_type="asset.registered")
    assert event.payload["custody_entry_id"] == equipment.custody.get().pk


def test_covert_identity_links_officer(client: Client) -> None:
    manager = signed_in(client, Role.UNDERCOVER_UNIT_MANAGER)
    officer = register_asset(acting_user=manager, kind="undercover-officer", reference="UCO/1")
    data = {**REGISTRATIONS[4][2], "undercover_officer": str(officer.pk)}
    client.post("/assets/register/covert-identity/", data)

    assert CovertIdentity.objects.get(reference="LEG/0100").undercover_officer_id == officer.pk


@pytest.mark.parametrize(
    ("kind", "data", "field", "message"),
    [
        ("equipment", {"reference": "TECH/1"}, "equipment_type", "Enter the type of equipment"),
        ("vehicle", {"registration": "AB12 CDE"}, "reference", "Enter the asset&#x27;s reference"),
        (
            "undercover-officer",
            {
                "reference": "UCO/2",
                "status": "active",
                "accreditation_level": "foundation",
                "accredited_on": "2026-02-30",
            },
            "accredited_on",
            "Enter a real date, like 2026-03-01",
        ),
        (
            "undercover-officer",
            {
                "reference": "UCO/3",
                "status": "active",
                "accreditation_level": "foundation",
                "accredited_on": "2026-02-01",
                "accreditation_expires_on": "2026-01-01",
            },
            "accreditation_expires_on",
            "The accreditation must expire after it was given",
        ),
    ],
)
def test_registration_errors_show_in_summary(
    client: Client, kind: str, data: dict[str, str], field: str, message: str
) -> None:
    role = (
        Role.UNDERCOVER_UNIT_MANAGER
        if kind == "undercover-officer"
        else Role.TECHNICAL_UNIT_MANAGER
    )
    signed_in(client, role)
    response = client.post(f"/assets/register/{kind}/", data)

    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert f'<a href="#id_{field}">{message}</a>' in body
    assert not Asset.objects.exists()
    assert not AuditEvent.objects.filter(event_type="asset.registered").exists()


def test_duplicate_reference_shows_error(client: Client) -> None:
    manager = signed_in(client, Role.TECHNICAL_UNIT_MANAGER)
    register_asset(
        acting_user=manager, kind="vehicle", reference="VEH/1", details={"registration": "X1"}
    )
    response = client.post(
        "/assets/register/vehicle/", {"reference": "VEH/1", "registration": "Y2"}
    )

    assert response.status_code == 400
    assert "An asset with this reference already exists: enter another" in response.content.decode()
    assert Vehicle.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.UNDERCOVER_UNIT_MANAGER, "equipment"),
        (Role.UNDERCOVER_UNIT_MANAGER, "premises"),
        (Role.TECHNICAL_UNIT_MANAGER, "undercover-officer"),
        (Role.TECHNICAL_UNIT_MANAGER, "covert-identity"),
        (Role.GATEKEEPER, "vehicle"),
        (Role.APPLICANT, "equipment"),
    ],
)
def test_other_roles_cannot_register_kind(client: Client, role: str, kind: str) -> None:
    signed_in(client, role)
    assert client.get(f"/assets/register/{kind}/").status_code == 403
    assert client.post(f"/assets/register/{kind}/", {"reference": "X/1"}).status_code == 403
    assert not Asset.objects.exists()


def test_unknown_kind_is_not_found(client: Client) -> None:
    signed_in(client, Role.TECHNICAL_UNIT_MANAGER)
    assert client.get("/assets/register/submarine/").status_code == 404


def test_register_lists_only_kinds_person_manages(client: Client) -> None:
    signed_in(client, Role.TECHNICAL_UNIT_MANAGER)
    body = client.get("/assets/").content.decode()
    assert "/assets/register/equipment/" in body
    assert "/assets/register/undercover-officer/" not in body


@pytest.fixture
def tracker() -> Equipment:
    manager = make_user(Role.TECHNICAL_UNIT_MANAGER)
    asset = register_asset(
        acting_user=manager,
        kind="equipment",
        reference="TECH/0200",
        details={"equipment_type": "Tracker", "location": "Store A"},
    )
    assert isinstance(asset, Equipment)
    return asset


def test_custody_page_adds_entry(client: Client, tracker: Equipment) -> None:
    manager = signed_in(client, Role.TECHNICAL_UNIT_MANAGER)
    response = client.post(
        f"/assets/{tracker.pk}/custody/",
        {"location": "Workshop", "reason": "Battery change", "occurred_at": "2026-03-01 09:00"},
    )

    assert response.status_code == 302
    entry = tracker.custody.get(reason="Battery change")
    assert (entry.location, entry.reason, entry.custodian_id) == (
        "Workshop",
        "Battery change",
        manager.pk,
    )
    assert entry.occurred_at == at("2026-03-01T09:00:00+00:00")
    tracker.refresh_from_db()
    assert tracker.location == "Workshop"
    event = AuditEvent.objects.get(event_type="asset.custody_recorded")
    assert event.object_id == str(entry.pk)
    assert event.payload == {"equipment_id": tracker.pk, "custodian_id": manager.pk}


def test_custody_page_errors(client: Client, tracker: Equipment) -> None:
    signed_in(client, Role.TECHNICAL_UNIT_MANAGER)
    response = client.post(f"/assets/{tracker.pk}/custody/", {"location": "", "reason": ""})

    body = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_location">Enter where the equipment is</a>' in body
    assert '<a href="#id_reason">Enter why the equipment moved</a>' in body
    assert tracker.custody.count() == 1


def test_custody_page_refused_to_others(client: Client, tracker: Equipment) -> None:
    signed_in(client, Role.UNDERCOVER_UNIT_MANAGER)
    assert (
        client.post(f"/assets/{tracker.pk}/custody/", {"location": "X", "reason": "Y"}).status_code
        == 403
    )
    signed_in(client, Role.APPLICANT)
    assert client.get(f"/assets/{tracker.pk}/custody/").status_code == 404
    assert tracker.custody.count() == 1


def test_custody_chain_hidden_from_team_members(client: Client, tracker: Equipment) -> None:
    member = make_user(Role.APPLICANT)
    an_operation(member)
    client.force_login(member)
    assert "Chain of custody" not in client.get(f"/assets/{tracker.pk}/").content.decode()
    signed_in(client, Role.TECHNICAL_UNIT_MANAGER)
    assert "Chain of custody" in client.get(f"/assets/{tracker.pk}/").content.decode()


def test_asset_page_hides_other_operations_bookings(client: Client, tracker: Equipment) -> None:
    ours = make_user(Role.APPLICANT)
    theirs = make_user(Role.APPLICANT)
    an_operation(ours)
    other = an_operation(theirs)
    Booking.objects.create(
        asset=tracker,
        operation=other,
        starts_at=at("2026-03-01T09:00:00+00:00"),
        ends_at=at("2026-03-02T09:00:00+00:00"),
        booked_by=theirs,
        booked_at=at("2026-02-01T09:00:00+00:00"),
    )
    client.force_login(ours)
    assert other.name not in client.get(f"/assets/{tracker.pk}/").content.decode()
    client.force_login(theirs)
    assert other.name in client.get(f"/assets/{tracker.pk}/").content.decode()


@pytest.fixture
def officer() -> UndercoverOfficer:
    manager = make_user(Role.UNDERCOVER_UNIT_MANAGER)
    asset = register_asset(acting_user=manager, kind="undercover-officer", reference="UCO/0300")
    assert isinstance(asset, UndercoverOfficer)
    return asset


def test_status_page_changes_officer_status(client: Client, officer: UndercoverOfficer) -> None:
    signed_in(client, Role.UNDERCOVER_UNIT_MANAGER)
    response = client.post(f"/assets/{officer.pk}/status/", {"status": "dormant"})

    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.status == "dormant"
    event = AuditEvent.objects.get(event_type="asset.status_changed")
    assert event.object_id == str(officer.pk)
    assert event.payload == {
        "kind": "undercover-officer",
        "old_status": "active",
        "new_status": "dormant",
    }


def test_status_page_rejects_unknown_status(client: Client, officer: UndercoverOfficer) -> None:
    signed_in(client, Role.UNDERCOVER_UNIT_MANAGER)
    response = client.post(f"/assets/{officer.pk}/status/", {"status": "retired"})

    assert response.status_code == 400
    assert "Select one of the statuses listed" in response.content.decode()


def test_status_page_refused_to_others(
    client: Client, officer: UndercoverOfficer, tracker: Equipment
) -> None:
    signed_in(client, Role.TECHNICAL_UNIT_MANAGER)
    assert client.post(f"/assets/{officer.pk}/status/", {"status": "dormant"}).status_code == 403
    signed_in(client, Role.UNDERCOVER_UNIT_MANAGER)
    assert client.get(f"/assets/{tracker.pk}/status/").status_code == 404
    officer.refresh_from_db()
    assert officer.status == "active"


def source_in_operation(status: str) -> Source:
    return make_source(an_operation(), status=status)


def test_registrar_moves_source_forward(client: Client) -> None:
    source = source_in_operation("potential")
    signed_in(client, Role.SOURCE_REGISTRAR)
    assert client.post(f"/sources/{source.pk}/status/", {"status": "recruited"}).status_code == 302
    source.refresh_from_db()
    assert source.status == "recruited"
    assert source.recruited_on is not None

    assert (
        client.post(f"/sources/{source.pk}/status/", {"status": "deactivated"}).status_code == 302
    )
    source.refresh_from_db()
    assert source.status == "deactivated"
    events = AuditEvent.objects.filter(event_type="source.status_changed").order_by("sequence")
    assert [event.payload for event in events] == [
        {"old_status": "potential", "new_status": "recruited"},
        {"old_status": "recruited", "new_status": "deactivated"},
    ]
    assert "cannot change" in client.get(f"/sources/{source.pk}/status/").content.decode()


def test_source_status_never_moves_back(client: Client) -> None:
    source = source_in_operation("recruited")
    signed_in(client, Role.SOURCE_REGISTRAR)
    response = client.post(f"/sources/{source.pk}/status/", {"status": "potential"})

    assert response.status_code == 400
    source.refresh_from_db()
    assert source.status == "recruited"


def test_source_status_refused_to_handler(client: Client) -> None:
    handler = make_user(Role.HANDLER)
    source = make_source(an_operation(), status="potential", handler=handler)
    client.force_login(handler)
    assert client.post(f"/sources/{source.pk}/status/", {"status": "recruited"}).status_code == 403
    signed_in(client, Role.APPLICANT)
    assert client.get(f"/sources/{source.pk}/status/").status_code == 404
    source.refresh_from_db()
    assert source.status == "potential"
