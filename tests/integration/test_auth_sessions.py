"""Session limits: the idle timeout and the absolute limit after sign-in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from cpmp.access.roles import Role
from cpmp.web.sessions import SIGNED_IN_AT_SESSION_KEY, session_has_expired
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

HOME = reverse("web:home")
LIMIT = 10 * 60 * 60


def _signed_in_client() -> Client:
    client = Client()
    user = make_user(Role.APPLICANT)
    response = client.post(reverse("web:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_session_limit_settings() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.CPMP_SESSION_ABSOLUTE_SECONDS == LIMIT


@pytest.mark.parametrize(
    ("seconds_since_sign_in", "expired"),
    [(0, False), (LIMIT - 1, False), (LIMIT, True), (LIMIT + 3600, True)],
)
def test_session_has_expired_at_limit(seconds_since_sign_in: int, expired: bool) -> None:
    now = timezone.now()
    session = {SIGNED_IN_AT_SESSION_KEY: now.timestamp() - seconds_since_sign_in}
    assert session_has_expired(session, now, LIMIT) is expired


@pytest.mark.parametrize("stored", [None, "yesterday", [1]])
def test_session_without_valid_sign_in_time_has_expired(stored: object) -> None:
    session = {} if stored is None else {SIGNED_IN_AT_SESSION_KEY: stored}
    assert session_has_expired(session, timezone.now(), LIMIT)


def test_sign_in_records_time() -> None:
    before = timezone.now().timestamp()
    client = _signed_in_client()
    assert before <= client.session[SIGNED_IN_AT_SESSION_KEY] <= timezone.now().timestamp()


def test_active_session_ends_at_absolute_limit() -> None:
    client = _signed_in_client()
    assert client.get(HOME).status_code == 200
    session = client.session
    session[SIGNED_IN_AT_SESSION_KEY] -= LIMIT + 1
    session.save()

    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
    assert "_auth_user_id" not in client.session
    sign_in_page = client.get(response["Location"]).content.decode()
    assert "You have been signed out because your session reached its time limit" in sign_in_page


@override_settings(CPMP_SESSION_ABSOLUTE_SECONDS=60)
def test_absolute_limit_is_configurable() -> None:
    client = _signed_in_client()
    session = client.session
    session[SIGNED_IN_AT_SESSION_KEY] -= 61
    session.save()
    assert client.get(HOME).status_code == 302


def test_idle_session_ends() -> None:
    client = _signed_in_client()
    session_key = client.session.session_key
    Session.objects.filter(session_key=session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_each_request_renews_idle_timeout() -> None:
    client = _signed_in_client()
    session_key = client.session.session_key
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.filter(session_key=session_key).update(expire_date=soon)

    client.get(HOME)

    renewed = Session.objects.get(session_key=session_key).expire_date
    assert renewed > soon + timedelta(minutes=20)
