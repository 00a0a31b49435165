"""The second factor: who needs it, the code page, the set-up page and wrong codes."""

from __future__ import annotations

import re
from base64 import b32encode
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cpmp.access.predicates import SECOND_FACTOR_ROLES
from cpmp.access.roles import Role
from tests.factories import PASSWORD, authenticator, current_code, make_user

pytestmark = pytest.mark.django_db

CODE_PAGE = reverse("web:second-factor")
SET_UP_PAGE = reverse("web:second-factor-set-up")
REGISTER = reverse("authorities:register")


def _sign_in_with_password(client: Client, user: object) -> None:
    response = client.post(
        reverse("web:login"),
        {"username": user.username, "password": PASSWORD},  # type: ignore[attr-defined]
    )
    assert response.status_code == 302


def test_privileged_roles_are_named() -> None:
    assert {
        Role.AUTHORISING_OFFICER,
        Role.SENIOR_AUTHORISING_OFFICER,
        Role.SENIOR_RESPONSIBLE_OFFICER,
        Role.SOURCE_REGISTRAR,
        Role.AUDITOR,
        Role.ADMINISTRATOR,
        Role.GATEKEEPER,
    } == SECOND_FACTOR_ROLES


@pytest.mark.parametrize("role", sorted(SECOND_FACTOR_ROLES))
def test_privileged_role_is_sent_to_code_page(role: str) -> None:
    client = Client()
    _sign_in_with_password(client, make_user(role))
    response = client.get(REGISTER)
    assert response.status_code == 302
    assert response["Location"] == f"{CODE_PAGE}?next={REGISTER}"


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.INSPECTOR, Role.HANDLER, None])
def test_other_roles_need_no_code(role: str | None) -> None:
    client = Client()
    _sign_in_with_password(client, make_user(role))
    response = client.get(reverse("web:home"))
    assert not response.get("Location", "").startswith(CODE_PAGE)


def test_lapsed_privileged_role_needs_no_code() -> None:
    user = make_user(Role.GATEKEEPER, expires_at=timezone.now() - timedelta(days=1))
    client = Client()
    _sign_in_with_password(client, user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200


def test_every_page_waits_for_code() -> None:
    client = Client()
    _sign_in_with_password(client, make_user(Role.ADMINISTRATOR))
    for method, url in [
        ("GET", reverse("web:home")),
        ("GET", REGISTER),
        ("GET", reverse("oversight:import-start")),
        ("POST", reverse("oversight:import-start")),
        ("GET", reverse("admin:index")),
        ("GET", reverse("admin:access_user_changelist")),
        ("GET", "/no-such-page/"),
    ]:
        response = client.generic(method, url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(CODE_PAGE + "?next="), (method, url)


def test_code_page_is_govuk_form() -> None:
    client = Client()
    _sign_in_with_password(client, make_user(Role.GATEKEEPER))
    content = client.get(CODE_PAGE).content.decode()
    assert "Enter the 6-digit code from your authenticator app" in content
    assert 'autocomplete="one-time-code"' in content
    assert 'inputmode="numeric"' in content
    # No navigation links until the code is entered: each would lead back here.
    assert "govuk-service-navigation__link" not in content
    assert "Sign out" in content


def test_correct_code_opens_next_page() -> None:
    user = make_user(Role.GATEKEEPER)
    client = Client()
    _sign_in_with_password(client, user)
    key_before = client.session.session_key

    response = client.post(
        f"{CODE_PAGE}?next={REGISTER}", {"code": current_code(authenticator(user))}
    )

    assert response.status_code == 302
    assert response["Location"] == REGISTER
    assert client.session[DEVICE_ID_SESSION_KEY] == authenticator(user).persistent_id
    assert client.session.session_key != key_before
    assert client.get(REGISTER).status_code == 200


def test_code_typed_in_two_groups_is_accepted() -> None:
    user = make_user(Role.GATEKEEPER)
    client = Client()
    _sign_in_with_password(client, user)
    code = current_code(authenticator(user))
    response = client.post(CODE_PAGE, {"code": f" {code[:3]} {code[3:]} "})
    assert response.status_code == 302


def test_next_to_another_site_is_ignored() -> None:
    user = make_user(Role.GATEKEEPER)
    client = Client()
    _sign_in_with_password(client, user)
    response = client.post(
        CODE_PAGE, {"code": current_code(authenticator(user)), "next": "https://example.com/"}
    )
    assert response["Location"] == reverse("web:home")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12345", "The code must be 6 digits, like 123456"),
        ("12345a", "The code must be 6 digits, like 123456"),
        ("１２３４５６", "The code must be 6 digits, like 123456"),
    ],
)
def test_badly_formed_code_gets_error(code: str, message: str) -> None:
    client = Client()
    _sign_in_with_password(client, make_user(Role.GATEKEEPER))
    response = client.post(CODE_PAGE, {"code": code})
    content = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#id_code">{message}</a>' in content
    assert "<title>Error: Enter the 6-digit code" in content
    assert DEVICE_ID_SESSION_KEY not in client.session


def _wrong_code(user: object) -> str:
    right = current_code(authenticator(user))  # type: ignore[arg-type]
    return f"{(int(right) + 1) % 1_000_000:06d}"


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_wrong_code_gets_error_then_right_code_works() -> None:
    user = make_user(Role.GATEKEEPER)
    client = Client()
    _sign_in_with_password(client, user)

    response = client.post(CODE_PAGE, {"code": _wrong_code(user)})
    assert response.status_code == 200
    assert "The code is not correct or has expired" in response.content.decode()
    assert client.get(REGISTER).status_code == 302

    response = client.post(CODE_PAGE, {"code": current_code(authenticator(user))})
    assert response.status_code == 302


def test_code_during_throttle_delay_is_not_checked() -> None:
    user = make_user(Role.GATEKEEPER)
    client = Client()
    _sign_in_with_password(client, user)
    client.post(CODE_PAGE, {"code": _wrong_code(user)})

    response = client.post(CODE_PAGE, {"code": current_code(authenticator(user))})

    assert response.status_code == 200
    assert "Wait a few seconds" in response.content.decode()


def test_code_cannot_be_used_twice() -> None:
    user = make_user(Role.GATEKEEPER)
    code = current_code(authenticator(user))
    first = Client()
    _sign_in_with_password(first, user)
    assert first.post(CODE_PAGE, {"code": code}).status_code == 302

    second = Client()
    _sign_in_with_password(second, user)
    response = second.post(CODE_PAGE, {"code": code})
    assert response.status_code == 200


def test_person_without_device_is_sent_to_set_up() -> None:
    client = Client()
    _sign_in_with_password(client, make_user(Role.ADMINISTRATOR, with_authenticator=False))
    response = client.get(f"{CODE_PAGE}?next={REGISTER}")
    assert response.status_code == 302
    assert response["Location"] == f"{SET_UP_PAGE}?{urlencode({'next': REGISTER})}"


def test_set_up_shows_stable_secret() -> None:
    user = make_user(Role.ADMINISTRATOR, with_authenticator=False)
    client = Client()
    _sign_in_with_password(client, user)

    first = client.get(SET_UP_PAGE).content.decode()
    second = client.get(SET_UP_PAGE).content.decode()

    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert 'src="data:image/svg+xml' in first
    secret = re.search(r'<span class="cpmp-secret">([A-Z2-7 ]+)</span>', first)
    assert secret is not None
    assert secret.group(1).replace(" ", "") == b32encode(device.bin_key).decode()
    # Reloading shows the same secret, which the person may already have scanned.
    assert secret.group(0) in second
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_set_up_confirms_device_with_first_code() -> None:
    user = make_user(Role.ADMINISTRATOR, with_authenticator=False)
    client = Client()
    _sign_in_with_password(client, user)
    client.get(SET_UP_PAGE)
    device = TOTPDevice.objects.get(user=user)

    response = client.post(f"{SET_UP_PAGE}?next=/admin/", {"code": current_code(device)})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_set_up_wrong_code_keeps_device_unconfirmed() -> None:
    user = make_user(Role.ADMINISTRATOR, with_authenticator=False)
    client = Client()
    _sign_in_with_password(client, user)
    client.get(SET_UP_PAGE)
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(SET_UP_PAGE, {"code": wrong})

    assert "The code is not correct or has expired" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_set_up_refused_once_device_confirmed() -> None:
    user = make_user(Role.GATEKEEPER)
    client = Client()
    _sign_in_with_password(client, user)
    response = client.get(SET_UP_PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(CODE_PAGE)
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_another_persons_device_does_not_verify() -> None:
    user = make_user(Role.GATEKEEPER)
    other = make_user(Role.GATEKEEPER)
    client = Client()
    _sign_in_with_password(client, user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(other).persistent_id
    session.save()
    assert client.get(REGISTER).status_code == 302


def test_sign_out_allowed_before_code() -> None:
    client = Client()
    _sign_in_with_password(client, make_user(Role.GATEKEEPER))
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
