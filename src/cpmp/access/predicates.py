"""Named permission decisions. Every page, command and export asks these, never ``user.role``.

Each predicate takes the person and the instant of the decision, so a time-limited role
(an inspector's) lapses without a job having to remove it.
"""

from __future__ import annotations

from datetime import datetime

from .models import User
from .roles import Role

CENTRAL_RECORD_IMPORTERS = frozenset({Role.GATEKEEPER})


def can_import_central_record(user: User, now: datetime) -> bool:
    if not user.is_active:
        return False
    return bool(user.active_roles(now) & CENTRAL_RECORD_IMPORTERS)


# Roles that must pass a second factor (a TOTP code) after the password. People holding them
# see the whole register or change who may see it, so a stolen password alone must not be
# enough.
# NOTE: inspectors read the whole register too but are not in this set. Whether they need a
# second factor is an open decision, listed in docs/security.md.
SECOND_FACTOR_ROLES = frozenset(
    {
        Role.AUTHORISING_OFFICER,
        Role.SENIOR_AUTHORISING_OFFICER,
        Role.SENIOR_RESPONSIBLE_OFFICER,
        Role.SOURCE_REGISTRAR,
        Role.AUDITOR,
        Role.ADMINISTRATOR,
        Role.GATEKEEPER,
    }
)
ACCOUNT_MANAGERS = frozenset({Role.ADMINISTRATOR})


def needs_second_factor(user: User, now: datetime) -> bool:
    return bool(user.active_roles(now) & SECOND_FACTOR_ROLES)


def has_passed_second_factor(user: object) -> bool:
    """Return whether django-otp's middleware found a verified device in this session."""
    return getattr(user, "otp_device", None) is not None


def can_manage_accounts(user: User, now: datetime) -> bool:
    """Decide whether ``user`` may open the administration pages (accounts and roles only).

    Django's ``is_staff`` and ``is_superuser`` flags are not consulted: only the role counts.
    """
    if not user.is_active:
        return False
    return bool(user.active_roles(now) & ACCOUNT_MANAGERS)
