"""Bearer-token authentication for the API. Sessions are never consulted.

A request is authenticated only by ``Authorization: Bearer <token>``. A browser's session
cookie is ignored, so no API call acts on cookies alone and the API has no CSRF exposure.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from cpmp.access.models import User

from .actions import user_for_token

logger = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    """Authenticate the request as the active person whose usable token it presents."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token.strip(), timezone.now())
        if user is None:
            logger.info("API token rejected: unknown, expired or revoked, or user inactive")
        return user


def authenticated_user(request: Any) -> User:
    """Return the person ``BearerToken`` authenticated for ``request``."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        # BearerToken runs first, so this cannot happen on a configured route. Raising keeps a
        # misconfigured one from acting without a person.
        raise TypeError("the request was not authenticated by BearerToken")
    return user
