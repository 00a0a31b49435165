"""The application form for each kind of power shows that kind's questions."""

from __future__ import annotations

import pytest

from cpmp.access.roles import Role
from tests.factories import make_user
from tests.lifecycle_factories import a_source, base_content

from .helpers import a_draft, a_team, an_accepted, content_data, decision_data, url, version

pytestmark = pytest.mark.django_db

# Kind, a field only its form has, and a field its form must not have.
QUESTIONS = [
    ("directed-surveillance", "information_sought", "chis__handler_id"),
    ("intrusive-surveillance", "legal_consultation", "serious_crime"),
    ("chis", "chis__handler_id", "juvenile__appropriate_adult"),
    ("juvenile-chis", "juvenile__appropriate_adult", "criminal_conduct__conduct"),
    ("relevant-source", "chis__records_officer_id", "information_sought"),
    ("criminal-conduct", "criminal_conduct__human_rights_compatibility", "chis__handler_id"),
    ("property-interference", "serious_crime", "technical_description"),
    ("equipment-interference", "technical_description", "information_sought"),
]


@pytest.mark.parametrize(("kind", "asked", "not_asked"), QUESTIONS)
def test_form_asks_kind_questions(client, kind, asked, not_asked):
    team = a_team()
    application = a_draft(team, [kind], content={})
    client.force_login(team.applicant)
    page = client.get(url("application-edit", application)).content.decode()
    assert f'name="{asked}"' in page
    assert f'name="{not_asked}"' not in page
    assert 'name="confidential_material__likelihood"' in page


def test_juvenile_errors_link_to_juvenile_fields(client):
    team = a_team()
    application = a_draft(team, ["juvenile-chis"], content={}, source=a_source(team.operation))
    client.force_login(team.applicant)
    data = content_data(base_content())
    data.update({"version": version(application), "action": "submit"})
    page = client.post(url("application-edit", application), data).content.decode()
    assert 'href="#id_juvenile__date_of_birth"' in page
    assert 'href="#id_juvenile__appropriate_adult"' in page
    assert 'href="#id_chis__handler_id"' in page


def test_juvenile_answers_are_stored(client):
    team = a_team()
    handler = make_user(Role.HANDLER)
    application = a_draft(team, ["juvenile-chis"], content={}, source=a_source(team.operation))
    client.force_login(team.applicant)
    content = base_content(
        juvenile={
            "date_of_birth": "2010-03-27",
            "relationship_with_parent": False,
            "appropriate_adult": "A youth worker",
            "enhanced_risk_assessment_reference": "ERA/1",
        },
        chis={"handler_id": handler.pk},
    )
    data = content_data(content)
    data.update({"version": version(application), "action": "save"})
    assert client.post(url("application-edit", application), data).status_code == 302
    application.refresh_from_db()
    assert application.content["juvenile"]["date_of_birth"] == "2010-03-27"
    assert application.content["juvenile"]["relationship_with_parent"] is False
    assert application.content["chis"]["handler_id"] == handler.pk
    page = client.get(url("application-edit", application)).content.decode()
    assert 'value="27"' in page
    assert 'value="2010"' in page


def test_self_authorisation_needs_reason(client):
    team = a_team()
    application = an_accepted(team, ["directed-surveillance"])
    client.force_login(team.authoriser)
    response = client.post(
        url("decide", application), decision_data(application, directly_involved="yes")
    )
    assert response.status_code == 400
    assert "self_authorisation_unrecorded" in response.content.decode()
    response = client.post(
        url("decide", application),
        decision_data(
            application,
            directly_involved="yes",
            self_authorisation_reason="No other officer of the rank is on duty tonight.",
        ),
    )
    assert response.status_code == 302
