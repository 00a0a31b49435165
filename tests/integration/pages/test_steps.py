"""Gatekeeping, decisions, oral grants and Commissioner steps through the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cpmp.access.roles import Rank, Role
from cpmp.authorities import actions
from cpmp.authorities.models import ApplicationState, RecordState
from tests.factories import make_user
from tests.lifecycle_factories import base_content, tactic

from .helpers import (
    a_draft,
    a_granted,
    a_submitted,
    a_team,
    an_accepted,
    date_fields,
    decision_data,
    instant_fields,
    url,
    version,
)

pytestmark = pytest.mark.django_db


def test_gatekeeper_accepts_with_notes(client):
    team = a_team()
    application = a_submitted(team, ["directed-surveillance"])
    client.force_login(team.gatekeeper)
    page = client.get(url("gatekeep", application)).content.decode()
    assert "The application, version 1" in page
    response = client.post(
        url("gatekeep", application),
        {"version": version(application), "outcome": "accept", "notes": "Checked."},
    )
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.state == ApplicationState.WITH_AUTHORISING_OFFICER


def test_gatekeeper_sees_similarity_warning_before_accepting(client):
    team = a_team()
    copied = tactic("static-observation", "Same text in every application we make")
    a_submitted(team, ["directed-surveillance"], base_content(conduct=[copied]))
    application = a_submitted(team, ["directed-surveillance"], base_content(conduct=[copied]))
    client.force_login(team.gatekeeper)
    page = client.get(url("gatekeep", application)).content.decode()
    assert "Some text repeats an earlier application" in page


def test_gatekeeper_return_needs_reasons(client):
    team = a_team()
    application = a_submitted(team, ["directed-surveillance"])
    client.force_login(team.gatekeeper)
    response = client.post(
        url("gatekeep", application), {"version": version(application), "outcome": "return"}
    )
    assert response.status_code == 400
    assert 'href="#id_reasons"' in response.content.decode()
    response = client.post(
        url("gatekeep", application),
        {"version": version(application), "outcome": "return", "reasons": "Name the car park."},
    )
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.state == ApplicationState.RETURNED


def test_gatekeeping_refused_for_applicant(client):
    team = a_team()
    application = a_submitted(team, ["directed-surveillance"])
    client.force_login(team.applicant)
    assert client.get(url("gatekeep", application)).status_code == 403


def test_gatekeeping_a_draft_goes_to_case_page(client):
    team = a_team()
    application = a_draft(team, ["directed-surveillance"])
    client.force_login(team.gatekeeper)
    response = client.get(url("gatekeep", application))
    assert response.status_code == 302
    assert response["Location"] == url("case", application)


def test_gatekeeping_stale_version_names_who_changed_it(client):
    team = a_team()
    application = a_submitted(team, ["directed-surveillance"])
    seen = version(application)
    other = make_user(Role.GATEKEEPER, first_name="Other", last_name="Gatekeeper")
    actions.accept_application(application, acting_user=other, expected_version=seen)
    client.force_login(team.gatekeeper)
    response = client.post(url("gatekeep", application), {"version": seen, "outcome": "accept"})
    # The application moved on, so the page is closed and redirects to the case with a message.
    assert response.status_code in (302, 409)


def test_authoriser_grants_each_power(client):
    team = a_team()
    application = an_accepted(team, ["directed-surveillance"])
    client.force_login(team.authoriser)
    response = client.post(url("decide", application), decision_data(application))
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.state == ApplicationState.GRANTED
    page = client.get(url("case", application)).content.decode()
    assert "Directed surveillance" in page
    assert "Live" in page


def test_decision_errors_link_to_fields(client):
    team = a_team()
    application = an_accepted(team, ["directed-surveillance"])
    client.force_login(team.authoriser)
    data = decision_data(application, statement="")
    for name in ("first_review_on", "first_review_on_month", "first_review_on_year"):
        data[name] = ""
    response = client.post(url("decide", application), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_statement"' in page
    assert 'href="#id_first_review_on"' in page


def test_impossible_review_date_is_a_form_error(client):
    team = a_team()
    application = an_accepted(team, ["directed-surveillance"])
    client.force_login(team.authoriser)
    data = decision_data(application)
    data["first_review_on_month"] = "13"
    response = client.post(url("decide", application), data)
    assert response.status_code == 400
    assert "Enter a real date" in response.content.decode()


def test_law_refusal_shows_code(client):
    team = a_team(authoriser_rank=Rank.SERGEANT)
    application = an_accepted(team, ["directed-surveillance"])
    client.force_login(team.authoriser)
    response = client.post(url("decide", application), decision_data(application))
    page = response.content.decode()
    assert response.status_code == 400
    assert "authoriser_not_permitted" in page
    assert state_of(application) == ApplicationState.WITH_AUTHORISING_OFFICER


def state_of(application):
    application.refresh_from_db()
    return application.state


def test_refusal_needs_reasons(client):
    team = a_team()
    application = an_accepted(team, ["directed-surveillance"])
    client.force_login(team.authoriser)
    response = client.post(
        url("decide", application), {"version": version(application), "outcome": "refuse"}
    )
    assert response.status_code == 400
    response = client.post(
        url("decide", application),
        {"version": version(application), "outcome": "refuse", "reasons": "Not necessary."},
    )
    assert response.status_code == 302
    assert state_of(application) == ApplicationState.REFUSED


def test_decision_refused_for_applicant(client):
    team = a_team()
    application = an_accepted(team, ["directed-surveillance"])
    client.force_login(team.applicant)
    assert client.get(url("decide", application)).status_code == 403


def test_decision_stale_version(client):
    team = a_team()
    application = an_accepted(team, ["directed-surveillance"])
    seen = version(application)
    actions.refuse_application(
        application, acting_user=team.authoriser, expected_version=seen, reasons="No."
    )
    client.force_login(team.authoriser)
    response = client.post(url("decide", application), decision_data(application, version=seen))
    assert response.status_code == 302


def test_oral_grant_then_written_renewal(client):
    team = a_team()
    application = a_draft(
        team,
        ["directed-surveillance"],
        urgent=True,
        content=base_content(urgency_reason="Life at risk tonight."),
    )
    client.force_login(team.applicant)
    granted_at = timezone.now() - timedelta(hours=1)
    data = decision_data(application, urgency_reason="Life at risk tonight.")
    del data["outcome"]
    data.update(
        {"authorising_officer": team.authoriser.pk, **instant_fields("granted_at", granted_at)}
    )
    response = client.post(url("oral-grant", application), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(url("case", application)).content.decode()
    assert "Written record outstanding" in page
    assert "the 72 hours end" in page

    client.force_login(team.authoriser)
    data = decision_data(application, mode="renewal")
    del data["outcome"]
    response = client.post(url("written-grant", application), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(url("case", application)).content.decode()
    assert "Written record outstanding" not in page


def test_oral_grant_in_future_links_to_time(client):
    team = a_team()
    application = a_draft(
        team,
        ["directed-surveillance"],
        urgent=True,
        content=base_content(urgency_reason="Life at risk tonight."),
    )
    client.force_login(team.applicant)
    data = decision_data(application, urgency_reason="Life at risk tonight.")
    del data["outcome"]
    later = timezone.now() + timedelta(days=1)
    data.update({"authorising_officer": team.authoriser.pk, **instant_fields("granted_at", later)})
    response = client.post(url("oral-grant", application), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_granted_at">Enter a date and time that is not in the future</a>' in page


def test_oral_grant_refused_outside_team(client):
    team = a_team()
    application = a_draft(team, ["directed-surveillance"])
    client.force_login(make_user(Role.GATEKEEPER))
    assert client.get(url("oral-grant", application)).status_code == 403


def test_intrusive_surveillance_awaits_commissioner(client):
    team = a_team(authoriser_rank=Rank.ASSISTANT_COMMISSIONER, senior=True)
    content = base_content(
        grounds=["serious-crime"],
        conduct=[
            {"category": "premises", "identifier": "1 Example Road", "premises_use": "dwelling"},
            tactic("audio-probe"),
        ],
    )
    application = a_granted(team, ["intrusive-surveillance"], content)
    row = application.authorisations.get()
    assert row.state == RecordState.AWAITING_APPROVAL

    client.force_login(team.gatekeeper)
    sent = timezone.now() - timedelta(minutes=30)
    response = client.post(
        url("commissioner-notice", application),
        {
            "version": version(application),
            "kind": "intrusive-surveillance",
            "about": "grant",
            **instant_fields("sent_at", sent),
            "document_reference": "IPCO/N/1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    decided = timezone.now() - timedelta(minutes=10)
    response = client.post(
        url("commissioner-decision", application),
        {
            "version": version(application),
            "kind": "intrusive-surveillance",
            "outcome": "approved",
            **instant_fields("decided_at", decided),
            **instant_fields("notified_at", decided),
            "document_reference": "IPCO/D/1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    row.refresh_from_db()
    assert row.state == RecordState.GRANTED


def test_commissioner_refusal_needs_material_instructions(client):
    team = a_team(authoriser_rank=Rank.ASSISTANT_COMMISSIONER, senior=True)
    content = base_content(
        grounds=["serious-crime"],
        conduct=[
            {"category": "premises", "identifier": "1 Example Road", "premises_use": "dwelling"},
            tactic("audio-probe"),
        ],
    )
    application = a_granted(team, ["intrusive-surveillance"], content)
    client.force_login(team.gatekeeper)
    decided = timezone.now() - timedelta(minutes=10)
    response = client.post(
        url("commissioner-decision", application),
        {
            "version": version(application),
            "kind": "intrusive-surveillance",
            "outcome": "refused",
            **instant_fields("decided_at", decided),
            **instant_fields("notified_at", decided),
            "document_reference": "IPCO/D/2",
        },
    )
    assert response.status_code == 400
    assert 'href="#id_material_instructions"' in response.content.decode()


def test_commissioner_pages_refused_for_applicant(client):
    team = a_team()
    application = a_granted(team, ["directed-surveillance"])
    client.force_login(team.applicant)
    assert client.get(url("commissioner-notice", application)).status_code == 403
    assert client.get(url("commissioner-decision", application)).status_code == 403


def test_external_authority_recorded(client):
    team = a_team()
    application = a_draft(team, ["directed-surveillance"])
    client.force_login(team.applicant)
    today = timezone.localdate()
    response = client.post(
        url("external-authority", application),
        {
            "authority_type": "prison-rule-35a",
            "granted_by": "Governor",
            "organisation": "HMP Example",
            "external_reference": "P35A/1",
            **date_fields("starts_on", today.isoformat()),
            **date_fields("ends_on", (today + timedelta(days=30)).isoformat()),
            **date_fields("review_on", (today + timedelta(days=14)).isoformat()),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert application.external_authorities.count() == 1
