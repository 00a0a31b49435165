"""The administration pages: administrators only, accounts and roles only."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cpmp.access.admin import admin_site
from cpmp.access.models import OrganisationIdentity, RoleAssignment, User
from cpmp.access.roles import Role
from tests.factories import PERSONAS, SignedInClient, a_gatekeeper, an_administrator, make_user

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")


def test_only_account_models_are_registered() -> None:
    assert set(admin_site._registry) == {User, AccessAttempt}


def test_no_operational_app_appears() -> None:
    labels = {model._meta.app_label for model in admin_site._registry}
    assert labels <= {"access", "axes"}


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - {"administrator"}))
def test_other_roles_are_refused(persona: str) -> None:
    client = SignedInClient()
    client.force_login(PERSONAS[persona]())
    for url in (ADMIN, reverse("admin:access_user_changelist")):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "You do not have access to this page" in response.content.decode()


def test_staff_superuser_without_role_is_refused() -> None:
    user = make_user(None)
    user.is_staff = True
    user.is_superuser = True
    user.save()
    client = SignedInClient()
    client.force_login(user)
    assert client.get(ADMIN).status_code == 403


def test_anonymous_visitor_is_sent_to_service_sign_in() -> None:
    response = Client().get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_admin_sign_in_page_sends_to_service_sign_in() -> None:
    response = Client().get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_administrator_without_code_is_sent_to_code_page() -> None:
    client = Client()
    client.force_login(an_administrator())
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:second-factor"))


def test_administrator_sees_accounts() -> None:
    client = SignedInClient()
    client.force_login(an_administrator())
    gatekeeper = make_user(Role.GATEKEEPER, username="gatekeeper-to-find")

    index = client.get(ADMIN).content.decode()
    changelist = client.get(reverse("admin:access_user_changelist")).content.decode()
    change = client.get(reverse("admin:access_user_change", args=[gatekeeper.pk]))

    assert "Accounts and roles" in index
    assert "gatekeeper-to-find" in changelist
    assert change.status_code == 200
    content = change.content.decode()
    assert "Role assignments" in content
    assert "is_superuser" not in content
    assert "is_staff" not in content


def test_administrator_never_sees_authenticator_secret() -> None:
    client = SignedInClient()
    client.force_login(an_administrator())
    gatekeeper = a_gatekeeper()
    device = TOTPDevice.objects.get(user=gatekeeper)
    content = client.get(reverse("admin:access_user_change", args=[gatekeeper.pk])).content.decode()
    assert "Authenticator app" in content
    assert device.key not in content


def _change_form(user: User, **changes: str) -> dict[str, str]:
    """Post data for the account form: the person's fields, roles and empty inlines."""
    roles = list(user.role_assignments.all())
    devices = list(TOTPDevice.objects.filter(user=user))
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "rank": user.rank,
        "warrant_number": user.warrant_number,
        "unit": user.unit,
        "is_active": "on",
        "role_assignments-TOTAL_FORMS": str(len(roles)),
        "role_assignments-INITIAL_FORMS": str(len(roles)),
        "organisation_identity-TOTAL_FORMS": "0",
        "organisation_identity-INITIAL_FORMS": "0",
        "totpdevice_set-TOTAL_FORMS": str(len(devices)),
        "totpdevice_set-INITIAL_FORMS": str(len(devices)),
    }
    for index, assignment in enumerate(roles):
        data[f"role_assignments-{index}-id"] = str(assignment.pk)
        data[f"role_assignments-{index}-user"] = str(user.pk)
        data[f"role_assignments-{index}-role"] = assignment.role
    for index, device in enumerate(devices):
        data[f"totpdevice_set-{index}-id"] = str(device.pk)
        data[f"totpdevice_set-{index}-user"] = str(user.pk)
    data.update(changes)
    return data


def test_administrator_grants_role() -> None:
    client = SignedInClient()
    client.force_login(an_administrator())
    person = make_user(Role.APPLICANT)
    data = _change_form(person)
    data.update(
        {
            "role_assignments-TOTAL_FORMS": "2",
            "role_assignments-1-role": Role.HANDLER,
            "role_assignments-1-user": str(person.pk),
        }
    )

    response = client.post(reverse("admin:access_user_change", args=[person.pk]), data)

    assert response.status_code == 302, _form_errors(response)
    assert set(person.role_assignments.values_list("role", flat=True)) == {
        Role.APPLICANT,
        Role.HANDLER,
    }


def test_administrator_cannot_change_own_roles() -> None:
    administrator = an_administrator()
    client = SignedInClient()
    client.force_login(administrator)
    data = _change_form(administrator)
    data.update(
        {
            "role_assignments-TOTAL_FORMS": "2",
            "role_assignments-1-role": Role.AUTHORISING_OFFICER,
            "role_assignments-1-user": str(administrator.pk),
        }
    )

    page = client.get(reverse("admin:access_user_change", args=[administrator.pk]))
    response = client.post(reverse("admin:access_user_change", args=[administrator.pk]), data)

    assert 'name="role_assignments-0-role"' not in page.content.decode()
    assert response.status_code in (200, 302)
    roles = set(administrator.role_assignments.values_list("role", flat=True))
    assert roles == {Role.ADMINISTRATOR}


def test_administrator_resets_second_factor() -> None:
    client = SignedInClient()
    client.force_login(an_administrator())
    gatekeeper = a_gatekeeper()
    data = _change_form(gatekeeper, **{"totpdevice_set-0-DELETE": "on"})

    response = client.post(reverse("admin:access_user_change", args=[gatekeeper.pk]), data)

    assert response.status_code == 302, _form_errors(response)
    assert not TOTPDevice.objects.filter(user=gatekeeper).exists()


def test_administrator_links_organisation_account() -> None:
    client = SignedInClient()
    client.force_login(an_administrator())
    person = make_user(Role.APPLICANT)
    data = _change_form(
        person,
        **{
            "organisation_identity-TOTAL_FORMS": "1",
            "organisation_identity-0-object_id": "11111111-2222-3333-4444-555555555555",
            "organisation_identity-0-user": str(person.pk),
        },
    )

    response = client.post(reverse("admin:access_user_change", args=[person.pk]), data)

    assert response.status_code == 302, _form_errors(response)
    assert OrganisationIdentity.objects.get(user=person).object_id.startswith("11111111")


def test_accounts_cannot_be_deleted() -> None:
    client = SignedInClient()
    client.force_login(an_administrator())
    person = make_user(Role.APPLICANT)
    response = client.post(reverse("admin:access_user_delete", args=[person.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=person.pk).exists()


def test_administrator_unlocks_account() -> None:
    client = SignedInClient()
    client.force_login(an_administrator())
    attempt = AccessAttempt.objects.create(
        username="locked-person",
        ip_address="127.0.0.9",
        user_agent="test",
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/sign-in/",
    )
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    assert client.get(reverse("admin:axes_accessattempt_add")).status_code == 403

    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()


def test_role_assignment_str_names_no_person() -> None:
    assignment = RoleAssignment.objects.create(user=make_user(None), role=Role.HANDLER)
    assert str(assignment) == f"{assignment.user_id}:{Role.HANDLER}"


def _form_errors(response: object) -> object:
    """Return the admin form's and inlines' errors, to explain a rejected post."""
    context = response.context  # type: ignore[attr-defined]
    if context is None or "adminform" not in context:
        return response.status_code  # type: ignore[attr-defined]
    return [context["adminform"].form.errors] + [
        (formset.formset.prefix, formset.formset.errors, formset.formset.non_form_errors())
        for formset in context["inline_admin_formsets"]
    ]
