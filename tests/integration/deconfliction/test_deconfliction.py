"""Deconfliction: normalised matching across operations, raised without disclosure."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from cpmp.access.roles import Role
from cpmp.audit.models import AuditEvent
from cpmp.deconfliction import actions
from cpmp.deconfliction.access import FULL, SIDE_A, SIDE_B, access_case, case_view
from cpmp.deconfliction.models import CaseState, DeconflictionCase
from cpmp.deconfliction.normalise import normalise
from cpmp.errors import Forbidden
from tests.integration.sources.builders import SourceUnit, an_operation, live_chis, person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("category", "first", "second"),
    [
        ("vehicle", "ab12-cde", "AB12 CDE"),
        ("phone", "+44 7700 900123", "07700 900123"),
        ("phone", "0044 (7700) 900-123", "07700900123"),
        ("online-identity", "@Fictional_Handle", "fictional_handle"),
        ("address", "Flat 2, 1 High St.", "flat 2 1  HIGH st"),
        ("subject", "NOMINAL-001", "nominal 001"),
    ],
)
def test_normalise_matches_variants(category: str, first: str, second: str) -> None:
    assert normalise(category, first) == normalise(category, second)


def test_normalise_keeps_other_countries_apart() -> None:
    assert normalise("phone", "+33 6 12 34 56 78") != normalise("phone", "06 12 34 56 78")


@pytest.fixture
def two_teams():  # type: ignore[no-untyped-def]
    officer = person(Role.DECONFLICTION_OFFICER, first_name="Dee", last_name="Conflicter")
    officer.email = "deconfliction@example.invalid"
    officer.save()
    ours_sio = person(Role.APPLICANT)
    theirs_sio = person(Role.APPLICANT)
    ours_member = person(Role.APPLICANT)
    ours = an_operation("Op Gingerbread", sio=ours_sio, members=(ours_member,))
    theirs = an_operation("Op Nutmeg", sio=theirs_sio)
    return officer, ours, theirs, ours_member, theirs_sio


def test_match_from_conduct_and_entry_raises_case(two_teams) -> None:  # type: ignore[no-untyped-def]
    officer, ours, theirs, ours_member, _theirs_sio = two_teams
    unit = SourceUnit(theirs)
    live_chis(unit, conduct=(("vehicle", "AB12 CDE"), ("subject", "NOMINAL-NUTMEG-7")))
    counts = actions.index_authorised_conduct()
    assert counts == {"added": 2, "deactivated": 0, "cases_raised": 0}

    raised_to: list[list[int]] = []

    def receiver(sender, case_id, recipient_ids, **kwargs):  # type: ignore[no-untyped-def]
        raised_to.append(recipient_ids)

    actions.case_raised.connect(receiver)
    try:
        with pytest.MonkeyPatch.context():
            _, cases = actions.add_identifier(
                acting_user=ours_member, operation=ours, category="vehicle", value="ab12cde"
            )
    finally:
        actions.case_raised.disconnect(receiver)
    (case,) = cases
    assert case.officer == officer
    assert case.state == CaseState.OPEN
    event = AuditEvent.objects.get(object_type="deconfliction_case", object_id=str(case.pk))
    assert event.event_type == "deconfliction.case_raised"
    assert event.payload["operation_ids"] == [case.operation_a_id, case.operation_b_id]
    assert "AB12" not in json.dumps(event.payload)
    indexed = AuditEvent.objects.filter(event_type="deconfliction.identifier_indexed")
    assert indexed.count() == 3
    assert all("AB12" not in json.dumps(event.payload) for event in indexed)
    # A second identical entry raises no second case.
    _, again = actions.add_identifier(
        acting_user=ours_member, operation=ours, category="vehicle", value="AB12-CDE"
    )
    assert again == []


def test_each_side_sees_no_other_operation_detail(two_teams, client) -> None:  # type: ignore[no-untyped-def]
    officer, ours, theirs, ours_member, theirs_sio = two_teams
    unit = SourceUnit(theirs)
    live_chis(unit, conduct=(("subject", "NOMINAL-NUTMEG-7"),))
    actions.index_authorised_conduct()
    _, (case,) = actions.add_identifier(
        acting_user=ours_member, operation=ours, category="subject", value="nominal nutmeg 7"
    )
    now = timezone.now()

    _, our_view = access_case(ours_member, case.pk, now)
    _, their_view = access_case(theirs_sio, case.pk, now)
    _, officer_view = access_case(officer, case.pk, now)
    assert {our_view, their_view} == {SIDE_A, SIDE_B}
    assert officer_view == FULL

    client.force_login(ours_member)
    for path in (f"/deconfliction/{case.pk}/", "/deconfliction/"):
        body = client.get(path).content.decode()
        for secret in (
            "Op Nutmeg",
            "NOMINAL-NUTMEG-7",
            "nominal nutmeg 7",
            unit.source.reference,
            unit.source.pseudonym,
        ):
            assert secret.lower() not in body.lower(), f"{secret} disclosed on {path}"
        assert "Dee Conflicter" in body

    assert (
        "deconfliction@example.invalid" in client.get(f"/deconfliction/{case.pk}/").content.decode()
    )

    full = json.dumps(case_view(case, FULL))
    assert "Op Nutmeg" in full
    assert "Op Gingerbread" in full


def test_outsider_gets_not_found(two_teams) -> None:  # type: ignore[no-untyped-def]
    _officer, ours, theirs, ours_member, theirs_sio = two_teams
    actions.add_identifier(
        acting_user=ours_member, operation=ours, category="phone", value="07700 900123"
    )
    theirs.memberships.create(user=person(Role.APPLICANT))
    _, (case,) = actions.add_identifier(
        acting_user=theirs_sio, operation=theirs, category="phone", value="+447700900123"
    )
    from django.http import Http404

    with pytest.raises(Http404):
        access_case(person(Role.APPLICANT), case.pk, timezone.now())


def test_only_officer_resolves_with_outcome(two_teams) -> None:  # type: ignore[no-untyped-def]
    officer, ours, theirs, ours_member, theirs_sio = two_teams
    actions.add_identifier(
        acting_user=ours_member, operation=ours, category="address", value="1 High St"
    )
    _, (case,) = actions.add_identifier(
        acting_user=theirs_sio, operation=theirs, category="address", value="1, high st."
    )
    with pytest.raises(Forbidden):
        actions.resolve_case(case, acting_user=theirs_sio, outcome="coordinated", notes="Agreed.")
    resolved = actions.resolve_case(
        case, acting_user=officer, outcome="coordinated", notes="Both SIOs agreed to split days."
    )
    assert resolved.state == CaseState.RESOLVED
    event = AuditEvent.objects.get(
        object_type="deconfliction_case", event_type="deconfliction.case_resolved"
    )
    assert event.payload == {"outcome": "coordinated"}


def test_withdrawn_conduct_deactivated(two_teams) -> None:  # type: ignore[no-untyped-def]
    _officer, ours, theirs, ours_member, theirs_sio = two_teams
    unit = SourceUnit(theirs)
    authorisation, (item,) = live_chis(unit, conduct=(("vehicle", "ZZ99 ZZZ"),))
    actions.index_authorised_conduct()
    from cpmp.authorities.models import CaseEvent

    item.removed_by = CaseEvent.objects.create(
        application=authorisation.application,
        event_type="varied",
        actor=theirs_sio,
        occurred_at=timezone.now(),
        recorded_at=timezone.now(),
    )
    item.save()
    assert actions.index_authorised_conduct()["deactivated"] == 1
    deactivated = AuditEvent.objects.get(event_type="deconfliction.identifier_deactivated")
    assert deactivated.payload == {"operation_id": theirs.pk, "conduct_id": item.pk}
    _, cases = actions.add_identifier(
        acting_user=ours_member, operation=ours, category="vehicle", value="ZZ99ZZZ"
    )
    assert cases == []
    assert DeconflictionCase.objects.count() == 0
