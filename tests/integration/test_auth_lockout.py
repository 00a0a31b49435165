"""Lockout after repeated wrong passwords or codes, per username and IP address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from cpmp.access.roles import Role
from cpmp.web.lockout import client_address
from tests.factories import PASSWORD, a_gatekeeper, authenticator, current_code, make_user

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("web:login")
CODE_PAGE = reverse("web:second-factor")


def _fail_password(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        response = client.post(SIGN_IN, {"username": username, "password": "not-the-password"})
        assert response.status_code in (200, 429)


def _wrong_code(user: object) -> str:
    right = current_code(authenticator(user))  # type: ignore[arg-type]
    return f"{(int(right) + 1) % 1_000_000:06d}"


def test_lockout_settings() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is False


def test_four_failures_still_allow_sign_in() -> None:
    user = make_user(Role.APPLICANT)
    client = Client()
    _fail_password(client, user.username, 4)
    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_fifth_failure_locks_out_even_right_password() -> None:
    user = make_user(Role.APPLICANT)
    client = Client()
    _fail_password(client, user.username, 4)

    response = client.post(SIGN_IN, {"username": user.username, "password": "not-the-password"})
    assert response.status_code == 429

    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    content = response.content.decode()
    assert response.status_code == 429
    assert "Your account is locked" in content
    assert "Wait 30 minutes, then sign in again" in content
    assert "ask your administrator to unlock your account" in content
    assert user.username not in content
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_address() -> None:
    user = make_user(Role.APPLICANT)
    _fail_password(Client(REMOTE_ADDR="127.0.0.2"), user.username, 5)
    response = Client(REMOTE_ADDR="127.0.0.3").post(
        SIGN_IN, {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_lockout_is_per_username() -> None:
    locked = make_user(Role.APPLICANT)
    other = make_user(Role.APPLICANT)
    client = Client()
    _fail_password(client, locked.username, 5)
    response = client.post(SIGN_IN, {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302


def test_lockout_ends_after_cool_off() -> None:
    user = make_user(Role.APPLICANT)
    client = Client()
    _fail_password(client, user.username, 5)
    attempt = AccessAttempt.objects.get()
    attempt.attempt_time -= timedelta(minutes=31)
    attempt.save(update_fields=["attempt_time"])

    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_deleting_attempt_unlocks() -> None:
    user = make_user(Role.APPLICANT)
    client = Client()
    _fail_password(client, user.username, 5)
    AccessAttempt.objects.all().delete()
    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_wrong_codes_count_toward_lockout() -> None:
    user = a_gatekeeper()
    client = Client()
    _fail_password(client, user.username, 2)
    client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    wrong = _wrong_code(user)

    for _ in range(2):
        response = client.post(CODE_PAGE, {"code": wrong})
        assert response.status_code == 200
    response = client.post(CODE_PAGE, {"code": wrong})

    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    # The half-signed-in session is ended, so the right code can no longer be tried.
    assert "_auth_user_id" not in client.session
    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429


def test_signing_in_again_does_not_reset_code_failures() -> None:
    user = a_gatekeeper()
    client = Client()
    wrong = _wrong_code(user)
    client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    with override_settings(OTP_TOTP_THROTTLE_FACTOR=0):
        for _ in range(4):
            client.post(CODE_PAGE, {"code": wrong})
        client.post(reverse("web:logout"))
        client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
        response = client.post(CODE_PAGE, {"code": wrong})
    assert response.status_code == 429


def test_locked_person_opening_code_page_is_signed_out() -> None:
    user = a_gatekeeper()
    client = Client()
    client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    _fail_password(Client(), user.username, 5)

    response = client.get(CODE_PAGE)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_request_without_address_is_counted_per_username() -> None:
    user = make_user(Role.APPLICANT)
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="")) is None
    client = Client(REMOTE_ADDR="")
    _fail_password(client, user.username, 5)

    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})

    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address is None
