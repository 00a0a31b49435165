"""Settings for a force's servers. Every secret comes from the environment."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

try:
    SECRET_KEY = os.environ["CPMP_SECRET_KEY"]
except KeyError as error:
    raise ImproperlyConfigured("Set CPMP_SECRET_KEY to a long random value.") from error

try:
    CPMP_AUDIT_KEY = os.environ["CPMP_AUDIT_KEY"]
except KeyError as error:
    raise ImproperlyConfigured(
        "Set CPMP_AUDIT_KEY to a long random value kept apart from the database."
    ) from error

CPMP_FIELD_ENCRYPTION_KEYS = [
    key for key in os.environ.get("CPMP_FIELD_ENCRYPTION_KEYS", "").split(",") if key
]
if not CPMP_FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "Set CPMP_FIELD_ENCRYPTION_KEYS to one or more Fernet keys, the current key first."
    )

DEBUG = False
CPMP_DEMONSTRATION_DATA_ALLOWED = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("CPMP_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 31536000
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
