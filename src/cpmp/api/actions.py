"""Actions on API tokens: make one, revoke one, and find the person behind a presented token.

Making and revoking a token each append an audit event in the same transaction. Using a token
does not: the endpoints audit what they read.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from cpmp.access.models import User
from cpmp.audit.actions import append_event
from cpmp.audit.events import EventType
from cpmp.errors import InvalidRequest, NotFound

from .models import ApiToken

logger = logging.getLogger(__name__)

# Every token starts with this, so a secret scanner or a person can recognise one in a leak.
TOKEN_MARKER = "cpmp_"  # noqa: S105 (a public marker, not a secret)
# Characters of the token kept as its prefix: the marker and 8 random characters (48 bits),
# enough to tell a person's tokens apart and far too few to guess the rest from.
PREFIX_LENGTH = len(TOKEN_MARKER) + 8
DEFAULT_LIFETIME_DAYS = 90
# A token must be replaced at least once a year, so a forgotten one cannot stay usable forever.
MAX_LIFETIME_DAYS = 365
MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class IssuedToken:
    """A token just made: ``token`` is the secret, shown once and never stored."""

    token: str
    record: ApiToken


def hash_token(token: str) -> str:
    """Return the hex SHA-256 of ``token``, the only form of it that is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    user: User,
    *,
    name: str,
    now: datetime,
    lifetime_days: int = DEFAULT_LIFETIME_DAYS,
    acting_user: Any,
    source: str,
) -> IssuedToken:
    """Make a token for ``user`` that lasts ``lifetime_days`` from ``now``.

    Raises ``InvalidRequest`` for an inactive person, an empty or over-long name, or a lifetime
    outside 1 to ``MAX_LIFETIME_DAYS`` days.
    """
    name = name.strip()
    if not user.is_active:
        raise InvalidRequest(
            f"User {user.pk} is inactive, so cannot have an API token. Reactivate the account "
            "first.",
            fields={"user_id": user.pk},
        )
    if not name or len(name) > MAX_NAME_LENGTH:
        raise InvalidRequest(
            f"Enter a token name of 1 to {MAX_NAME_LENGTH} characters, such as "
            "'nightly deadline report'.",
            fields={"name": name},
        )
    if not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        raise InvalidRequest(
            f"The token lifetime {lifetime_days} is not valid: enter a number of days from 1 to "
            f"{MAX_LIFETIME_DAYS}.",
            fields={"expires_days": lifetime_days, "max": MAX_LIFETIME_DAYS},
        )

    token = TOKEN_MARKER + secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=user,
            name=name,
            token_hash=hash_token(token),
            prefix=token[:PREFIX_LENGTH],
            created_at=now,
            expires_at=now + timedelta(days=lifetime_days),
        )
        append_event(
            EventType.RECORD_CREATED,
            actor=acting_user,
            object_type="api_token",
            object_id=record.pk,
            payload={
                "new": {
                    "user_id": user.pk,
                    "prefix": record.prefix,
                    "expires_at": record.expires_at.isoformat(),
                }
            },
            source=source,
        )
    logger.info("API token created: token=%s user=%s", record.pk, user.pk)
    return IssuedToken(token=token, record=record)


def revoke_token(token_id: int, *, now: datetime, acting_user: Any, source: str) -> ApiToken:
    """Revoke the token with id ``token_id`` from ``now`` on; revoking it again changes nothing.

    Raises ``NotFound`` when there is no such token.
    """
    with transaction.atomic():
        record = ApiToken.objects.select_for_update().filter(pk=token_id).first()
        if record is None:
            raise NotFound(
                f"There is no API token with id {token_id}. Run 'cpmp token list' to see them.",
                fields={"token_id": token_id},
            )
        if record.revoked_at is not None:
            return record
        record.revoked_at = now
        record.save(update_fields=["revoked_at"])
        append_event(
            EventType.RECORD_CHANGED,
            actor=acting_user,
            object_type="api_token",
            object_id=record.pk,
            payload={"old": {"revoked_at": None}, "new": {"revoked_at": now.isoformat()}},
            source=source,
        )
    logger.info("API token revoked: token=%s user=%s", record.pk, record.user_id)
    return record


def user_for_token(token: str, now: datetime) -> User | None:
    """Return the active person whose usable token ``token`` is, recording its use at ``now``.

    Returns None for an unknown, expired or revoked token and for an inactive person, without
    saying which, so a caller cannot probe for tokens.
    """
    if not token.startswith(TOKEN_MARKER):
        return None
    record = ApiToken.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    if record is None or not record.is_usable(now) or not record.user.is_active:
        return None
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user
