"""Bearer-token authentication for the API, with each operation's access check. No sessions.

A request is authenticated only by ``Authorization: Bearer <token>``. A browser's session
cookie is ignored, so no API call acts on cookies alone and the API has no CSRF exposure.

Authentication and the access check run together, before django-ninja reads the parameters,
so a person who may not use an operation is refused the same way whatever they send.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from cpmp.access.models import User
from cpmp.errors import CpmpError

from .actions import user_for_token

logger = logging.getLogger(__name__)

Predicate = Callable[[Any, datetime], bool]


class BearerToken(HttpBearer):
    """Authenticate the request by its token, then allow it only if ``predicate`` is true.

    An unknown, expired or revoked token, or an inactive person, gets 401. When
    ``predicate(user, now)`` is false, the request gets the error ``when_denied`` builds: 403,
    or a 404 identical to the one for a missing record where a refusal must not reveal that
    the record exists.
    """

    def __init__(self, predicate: Predicate, when_denied: Callable[[], CpmpError]) -> None:
        self.predicate = predicate
        self.when_denied = when_denied
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        now = timezone.now()
        user = user_for_token(token.strip(), now)
        if user is None:
            logger.info("API token rejected: unknown, expired or revoked, or user inactive")
            return None
        # The audit helpers the pages use (record_view, audit_list_view) read request.user.
        # Middleware has already run by now, so no session is made or changed for this person.
        request.user = user
        if not self.predicate(user, now):
            logger.info("API access denied: user=%s predicate=%s", user.pk, self.predicate.__name__)
            raise self.when_denied()
        return user


def authenticated_user(request: Any) -> User:
    """Return the person ``BearerToken`` authenticated for ``request``."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        # BearerToken runs first, so this cannot happen on a configured route. Raising keeps a
        # misconfigured one from acting without a person.
        raise TypeError("the request was not authenticated by BearerToken")
    return user
