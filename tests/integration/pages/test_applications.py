"""Starting, editing and submitting an application through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cpmp.access.roles import Role
from cpmp.audit.models import AuditEvent
from cpmp.authorities.models import Application, ApplicationState, DocumentVersion
from tests.factories import make_user
from tests.lifecycle_factories import an_operation, base_content

from .helpers import a_draft, a_submitted, a_team, content_data, url, version

pytestmark = pytest.mark.django_db


def test_applicant_starts_application_in_own_operation(client):
    team = a_team()
    client.force_login(team.applicant)
    response = client.post(
        reverse("authorities:application-start"),
        {
            "operation": team.operation.pk,
            "reference": "URN/START/1",
            "kinds": ["directed-surveillance"],
            "urgent": "no",
        },
    )
    application = Application.objects.get(reference="URN/START/1")
    assert response.status_code == 302
    assert response["Location"] == url("application-edit", application)
    assert application.applicant == team.applicant
    assert application.state == ApplicationState.DRAFT


def test_start_lists_only_operations_the_person_sees(client):
    team = a_team()
    hidden = an_operation()
    hidden.name = "Op Hidden From Applicant"
    hidden.save()
    client.force_login(team.applicant)
    page = client.get(reverse("authorities:application-start")).content.decode()
    assert team.operation.name in page
    assert "Op Hidden From Applicant" not in page


def test_start_without_choices_shows_error_summary(client):
    team = a_team()
    client.force_login(team.applicant)
    response = client.post(reverse("authorities:application-start"), {"reference": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'href="#id_operation"' in page
    assert 'href="#id_urgent"' in page


def test_start_refused_for_gatekeeper(client):
    client.force_login(make_user(Role.GATEKEEPER))
    assert client.get(reverse("authorities:application-start")).status_code == 403


def test_save_draft_stores_content(client):
    team = a_team()
    application = a_draft(team, ["directed-surveillance"], content={})
    client.force_login(team.applicant)
    data = content_data(base_content())
    data.update({"version": version(application), "action": "save"})
    response = client.post(url("application-edit", application), data)
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.content["purpose"] == base_content()["purpose"]
    assert application.content["intelligence_references"] == ["INT/2026/0042"]
    assert [item["category"] for item in application.content["conduct"]] == [
        "subject",
        "vehicle",
        "tactic",
    ]
    assert application.state == ApplicationState.DRAFT


def test_submit_stores_immutable_version(client):
    team = a_team()
    application = a_draft(team, ["directed-surveillance"], content={})
    client.force_login(team.applicant)
    data = content_data(base_content())
    data.update({"version": version(application), "action": "submit"})
    response = client.post(url("application-edit", application), data)
    application.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == url("case", application)
    assert application.state == ApplicationState.SUBMITTED
    document = DocumentVersion.objects.get(application=application, document_key="application")
    assert document.content["necessity"] == base_content()["necessity"]


def test_submit_errors_link_to_each_field(client):
    team = a_team()
    application = a_draft(team, ["directed-surveillance"], content={})
    client.force_login(team.applicant)
    content = base_content()
    content["conduct"][2]["proportionality"] = ""
    del content["purpose"]
    data = content_data(content)
    data.update({"version": version(application), "action": "submit"})
    response = client.post(url("application-edit", application), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_purpose">Enter the purpose of the operation</a>' in page
    assert 'href="#id_conduct-2-proportionality"' in page
    assert "Enter why this tactic is proportionate" in page
    # The draft was saved first, so the page carries the new version for the next attempt.
    assert f'name="version" value="{version(application)}"' in page
    assert Application.objects.get(pk=application.pk).state == ApplicationState.DRAFT


def test_edit_with_old_version_is_stale(client):
    team = a_team()
    application = a_draft(team, ["directed-surveillance"], content={})
    seen = version(application)
    from cpmp.authorities import actions

    actions.save_draft(
        application, acting_user=team.applicant, expected_version=seen, content={"purpose": "x"}
    )
    client.force_login(team.applicant)
    data = content_data(base_content())
    data.update({"version": seen, "action": "save"})
    response = client.post(url("application-edit", application), data)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this application (Amira Applicant," in page
    assert "Check the latest version and try again." in page
    assert f'name="version" value="{version(application)}"' in page


def test_edit_refused_for_other_team_member(client):
    team = a_team()
    application = a_draft(team, ["directed-surveillance"])
    client.force_login(team.authoriser)
    assert client.get(url("application-edit", application)).status_code == 403


def test_edit_outside_compartment_is_not_found(client):
    team = a_team()
    application = a_draft(team, ["directed-surveillance"])
    client.force_login(make_user(Role.APPLICANT))
    assert client.get(url("application-edit", application)).status_code == 404
    assert client.get(url("case", application)).status_code == 404


def test_returned_application_needs_amendment_reason(client):
    team = a_team()
    application = a_submitted(team, ["directed-surveillance"])
    from cpmp.authorities import actions

    actions.return_for_amendment(
        application,
        acting_user=team.gatekeeper,
        expected_version=application.version,
        reasons="Name the car park.",
    )
    client.force_login(team.applicant)
    page = client.get(url("application-edit", application)).content.decode()
    assert "Returned for amendment" in page
    assert "Name the car park." in page
    data = content_data(base_content())
    data.update({"version": version(application), "action": "submit"})
    response = client.post(url("application-edit", application), data)
    assert response.status_code == 400
    assert 'href="#id_amendment_reason"' in response.content.decode()

    data.update({"version": version(application), "amendment_reason": "Named the car park."})
    response = client.post(url("application-edit", application), data)
    assert response.status_code == 302
    latest = DocumentVersion.objects.filter(
        application=application, document_key="application"
    ).order_by("-number")[0]
    assert latest.number == 2
    assert latest.amendment_reason == "Named the car park."


def test_case_page_is_audited(client):
    team = a_team()
    application = a_draft(team, ["directed-surveillance"])
    client.force_login(team.applicant)
    response = client.get(url("case", application))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        object_type="application", object_id=str(application.pk)
    ).exists()


def test_list_shows_visible_applications_only(client):
    team = a_team()
    mine = a_draft(team, ["directed-surveillance"])
    other = a_draft(a_team(), ["directed-surveillance"])
    client.force_login(team.applicant)
    page = client.get(reverse("authorities:application-list")).content.decode()
    assert mine.reference in page
    assert other.reference not in page


def test_navigation_shows_applications_link(client):
    team = a_team()
    client.force_login(team.applicant)
    link = 'class="govuk-service-navigation__link" href="/authorisations/applications/"'
    page = client.get(reverse("authorities:application-list")).content.decode()
    assert f'{link} aria-current="true"' in page
    assert page.count('aria-current="true"') == 1
    client.force_login(make_user(Role.HANDLER))
    page = client.get(reverse("web:home")).content.decode()
    assert "Signed in as" in page
    assert link not in page


def test_register_link_not_current_on_applications(client):
    client.force_login(make_user(Role.GATEKEEPER))
    page = client.get(reverse("authorities:application-list")).content.decode()
    assert page.count('aria-current="true"') == 1
    assert 'href="/authorisations/applications/" aria-current="true"' in page
    page = client.get(reverse("authorities:register")).content.decode()
    assert 'href="/authorisations/" aria-current="true"' in page
