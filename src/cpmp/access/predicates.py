"""Named permission decisions. Every page, command and export asks these, never ``user.role``.

Each predicate takes the person and the instant of the decision, so a time-limited role
(an inspector's) lapses without a job having to remove it.
"""

from __future__ import annotations

from datetime import datetime

from .models import User
from .roles import Role

# Roles whose work needs the whole register. An administrator manages accounts and sees no
# operational content, so the role is absent here on purpose.
REGISTER_READERS = frozenset(
    {
        Role.GATEKEEPER,
        Role.AUTHORISING_OFFICER,
        Role.SENIOR_AUTHORISING_OFFICER,
        Role.SENIOR_RESPONSIBLE_OFFICER,
        Role.INSPECTOR,
        Role.AUDITOR,
    }
)
CENTRAL_RECORD_IMPORTERS = frozenset({Role.GATEKEEPER})


def can_view_register(user: User, now: datetime) -> bool:
    if not user.is_active:
        return False
    return bool(user.active_roles(now) & REGISTER_READERS)


def can_import_central_record(user: User, now: datetime) -> bool:
    if not user.is_active:
        return False
    return bool(user.active_roles(now) & CENTRAL_RECORD_IMPORTERS)
