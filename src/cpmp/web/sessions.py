"""The absolute session limit: a session ends a fixed time after sign-in, however active.

The idle limit is Django's own (``SESSION_COOKIE_AGE``, renewed on every request). This module
adds the limit that activity cannot extend, so a session left open on a shared desk ends with
the shift.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

# Seconds since the Unix epoch (UTC) when the person signed in, stored in the session.
SIGNED_IN_AT_SESSION_KEY = "cpmp_signed_in_at"


@receiver(user_logged_in, dispatch_uid="cpmp.web.sessions.record_sign_in_time")
def record_sign_in_time(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Store the sign-in instant in the new session, whichever backend signed the person in."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT_SESSION_KEY] = timezone.now().timestamp()


def session_has_expired(session: Any, now: datetime, limit_seconds: int) -> bool:
    """Return whether a signed-in session has passed ``limit_seconds`` since sign-in at ``now``.

    A session with no valid sign-in time counts as expired, so a session created before this
    limit existed ends rather than lasting for ever.
    """
    signed_in_at = session.get(SIGNED_IN_AT_SESSION_KEY)
    if not isinstance(signed_in_at, int | float):
        return True
    return now.timestamp() - signed_in_at >= limit_seconds
