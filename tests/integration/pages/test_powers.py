"""Reviews, renewals, variations, cancellations and equipment recovery through the pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cpmp.access.roles import Role
from cpmp.authorities.models import AuthorisedConduct
from tests.factories import make_user
from tests.lifecycle_factories import a_source, base_content, chis_content, tactic

from .helpers import a_granted, a_team, date_fields, in_days, instant_fields, url, version

pytestmark = pytest.mark.django_db

DS = "directed-surveillance"


def review_data(application, **extra):  # type: ignore[no-untyped-def]
    data = {
        "version": version(application),
        "changes__contacts": "A new associate, NOMINAL-002, met the subject twice.",
        "changes__product": "Two meetings evidenced on camera.",
        "changes__risk": "No change.",
        "changes__collateral_intrusion": "No change.",
        "continue": "yes",
        "reasoning": "The new associate must be identified before the next delivery.",
        **date_fields("next_review_on", in_days(14)),
    }
    data.update(extra)
    return data


def test_review_shows_previous_review_and_diff(client):
    team = a_team()
    application = a_granted(team, [DS])
    client.force_login(team.authoriser)
    response = client.post(url("review", application, DS), review_data(application))
    assert response.status_code == 302, response.content.decode()[:2000]
    second = review_data(application, changes__risk="The subject has a new vehicle.")
    page = client.get(url("review", application, DS)).content.decode()
    assert "The previous review" in page
    assert "A new associate, NOMINAL-002" in page
    response = client.post(url("review", application, DS), second)
    assert response.status_code == 302
    page = client.get(url("review", application, DS)).content.decode()
    assert "+The subject has a new vehicle." in page


def test_review_errors_link_to_fields(client):
    team = a_team()
    application = a_granted(team, [DS])
    client.force_login(team.authoriser)
    response = client.post(
        url("review", application, DS), review_data(application, changes__risk="", reasoning="")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_changes__risk"' in page
    assert 'href="#id_reasoning"' in page


def test_review_refused_for_applicant(client):
    team = a_team()
    application = a_granted(team, [DS])
    client.force_login(team.applicant)
    assert client.get(url("review", application, DS)).status_code == 403


def test_review_of_unknown_power_is_not_found(client):
    team = a_team()
    application = a_granted(team, [DS])
    client.force_login(team.authoriser)
    assert client.get(url("review", application, "chis")).status_code == 404


def test_review_with_old_version_is_stale(client):
    team = a_team()
    application = a_granted(team, [DS])
    seen = version(application)
    client.force_login(team.authoriser)
    client.post(url("review", application, DS), review_data(application))
    response = client.post(url("review", application, DS), review_data(application, version=seen))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this application (Olwen Officer superintendent," in page


def renewal_data(application):  # type: ignore[no-untyped-def]
    return {
        "version": version(application),
        "changes": "A second supplier has been identified.",
        "value_so_far": "Two meetings evidenced.",
        "necessity": "The second supplier's meetings can only be evidenced by observation.",
        "proportionality": "Still limited to the car park and four hours a week.",
        **date_fields("first_review_on", in_days(30)),
    }


def test_directed_surveillance_renewed(client):
    team = a_team()
    application = a_granted(team, [DS])
    client.force_login(team.authoriser)
    response = client.post(url("renew", application, DS), renewal_data(application))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert application.events.filter(event_type="renewed").count() == 1


def test_chis_renewal_without_review_is_refused(client):
    team = a_team()
    handler, controller = make_user(Role.HANDLER), make_user(Role.CONTROLLER)
    application = a_granted(
        team, ["chis"], chis_content(handler, controller), source=a_source(team.operation)
    )
    client.force_login(team.authoriser)
    page = client.get(url("renew", application, "chis")).content.decode()
    assert "renewed only after a review" in page
    response = client.post(url("renew", application, "chis"), renewal_data(application))
    page = response.content.decode()
    assert response.status_code == 400
    assert "chis_renewal_without_review" in page


def test_variation_adds_vehicle(client):
    team = a_team()
    application = a_granted(team, [DS])
    client.force_login(team.authoriser)
    response = client.post(
        url("vary", application, DS),
        {
            "version": version(application),
            "reasons": "The subject now uses a second car.",
            "add-TOTAL_FORMS": "2",
            "add-INITIAL_FORMS": "0",
            "add-MIN_NUM_FORMS": "0",
            "add-MAX_NUM_FORMS": "1000",
            "add-0-category": "vehicle",
            "add-0-identifier": "XY34 ZZZ",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuthorisedConduct.objects.in_force().filter(identifier="XY34 ZZZ").exists()


def test_variation_without_items_links_to_first_row(client):
    team = a_team()
    application = a_granted(team, [DS])
    client.force_login(team.authoriser)
    response = client.post(
        url("vary", application, DS),
        {
            "version": version(application),
            "reasons": "",
            "add-TOTAL_FORMS": "1",
            "add-INITIAL_FORMS": "0",
            "add-MIN_NUM_FORMS": "0",
            "add-MAX_NUM_FORMS": "1000",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_add-0-category"' in page
    assert 'href="#id_reasons"' in page


def test_cancellation_then_equipment_recovered(client):
    team = a_team()
    content = base_content(
        conduct=[
            {"category": "subject", "identifier": "NOMINAL-001"},
            {"category": "equipment", "identifier": "TRACKER-7"},
            tactic("tracking"),
        ]
    )
    application = a_granted(team, [DS], content)
    client.force_login(team.authoriser)
    page = client.get(url("cancel", application, DS)).content.decode()
    assert "TRACKER-7" in page
    response = client.post(
        url("cancel", application, DS),
        {
            "version": version(application),
            "reasons": "The supplier has been arrested.",
            "outcome": "Supplier identified and charged.",
            **instant_fields("ceased_at", timezone.now()),
            "product_owner_id": str(team.applicant.pk),
            "product_instructions": "Keep for 6 months after trial, then destroy.",
            "equipment_to_recover": ["TRACKER-7"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(url("case", application)).content.decode()
    assert "Equipment still to recover" in page

    client.force_login(team.applicant)
    response = client.post(
        url("equipment-recovered", application, DS),
        {"version": version(application), "equipment": "TRACKER-7"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(url("case", application)).content.decode()
    assert "Equipment still to recover" not in page


def test_cancellation_errors_link_to_fields(client):
    team = a_team()
    application = a_granted(team, [DS])
    client.force_login(team.authoriser)
    response = client.post(url("cancel", application, DS), {"version": version(application)})
    page = response.content.decode()
    assert response.status_code == 400
    for field in ("reasons", "ceased_at", "product_owner_id", "product_instructions"):
        assert f'href="#id_{field}"' in page


def test_equipment_recovered_refused_for_inspector(client):
    team = a_team()
    application = a_granted(team, [DS])
    client.force_login(make_user(Role.INSPECTOR))
    assert client.get(url("equipment-recovered", application, DS)).status_code == 403
