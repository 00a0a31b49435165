"""Named personas and register records for tests. Each call makes a new person."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cpmp.access.models import RoleAssignment, User
from cpmp.access.predicates import SECOND_FACTOR_ROLES
from cpmp.access.roles import Rank, Role
from cpmp.authorities.models import Authorisation, Origin, RecordState

PASSWORD = "correct-horse-battery-staple"
_numbers = itertools.count(1)


def make_user(
    role: str | None,
    *,
    username: str | None = None,
    first_name: str = "Test",
    last_name: str = "Person",
    rank: str = Rank.STAFF,
    expires_at: datetime | None = None,
    is_active: bool = True,
    with_authenticator: bool | None = None,
) -> User:
    """Create a person holding ``role`` (or none) who signs in with ``PASSWORD``.

    A person whose role needs a second factor gets a confirmed authenticator device, unless
    ``with_authenticator`` is false; ``current_code`` gives its code.
    """
    number = next(_numbers)
    user = User.objects.create_user(
        username=username or f"{role or 'no-role'}-{number}",
        password=PASSWORD,
        first_name=first_name,
        last_name=last_name,
        rank=rank,
        warrant_number=f"T{number:05d}",
        is_active=is_active,
    )
    if role:
        RoleAssignment.objects.create(user=user, role=role, expires_at=expires_at)
    if with_authenticator is None:
        with_authenticator = role in SECOND_FACTOR_ROLES
    if with_authenticator:
        TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    return user


def authenticator(user: User) -> TOTPDevice:
    """Return the person's confirmed authenticator device."""
    return TOTPDevice.objects.get(user=user, confirmed=True)


def current_code(device: TOTPDevice, at: float | None = None) -> str:
    """Return the 6-digit code ``device`` accepts now, or at ``at`` seconds since the epoch."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        generator.time = at
    return f"{generator.token():06d}"


class SignedInClient(Client):
    """A test client whose ``force_login`` stands for the whole sign-in: password and code.

    When the person has a confirmed authenticator device, the session is marked as verified by
    it, as the code page does. Tests of the second factor itself use ``django.test.Client``.
    """

    def force_login(self, user: Any, backend: str | None = None) -> None:
        super().force_login(user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


def an_applicant() -> User:
    return make_user(Role.APPLICANT, first_name="Amira", last_name="Applicant", rank=Rank.CONSTABLE)


def a_gatekeeper() -> User:
    return make_user(Role.GATEKEEPER, first_name="Gareth", last_name="Gatekeeper")


def an_authorising_officer() -> User:
    return make_user(
        Role.AUTHORISING_OFFICER,
        first_name="Olwen",
        last_name="Officer",
        rank=Rank.SUPERINTENDENT,
    )


def an_inspector(expires_at: datetime | None = None) -> User:
    return make_user(
        Role.INSPECTOR, first_name="Imran", last_name="Inspector", expires_at=expires_at
    )


def an_administrator() -> User:
    return make_user(Role.ADMINISTRATOR, first_name="Ada", last_name="Administrator")


PERSONAS = {
    "applicant": an_applicant,
    "gatekeeper": a_gatekeeper,
    "authorising officer": an_authorising_officer,
    "inspector": an_inspector,
    "administrator": an_administrator,
}


def make_authorisation(**fields: Any) -> Authorisation:
    """Create a granted, live-looking directed surveillance record; ``fields`` override."""
    number = next(_numbers)
    granted_from = fields.pop("granted_from", datetime.fromisoformat("2024-01-10T10:00:00+00:00"))
    values: dict[str, Any] = {
        "origin": Origin.WORKFLOW,
        "reference": f"DS/TEST/{number:04d}",
        "kind": "directed-surveillance",
        "operation": "Op Test",
        "granted": granted_from.isoformat() if granted_from else "",
        "granted_from": granted_from,
        "state": RecordState.GRANTED,
        "expires_latest": (granted_from + timedelta(days=90)) if granted_from else None,
    }
    values.update(fields)
    return Authorisation.objects.create(**values)
