"""Settings for the test suite: SQLite unless DATABASE_URL names a PostgreSQL server."""

from __future__ import annotations

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-a-secret"  # noqa: S105
DEBUG = False
CPMP_AUDIT_KEY = "test-audit-key-not-a-secret"
# A fixed Fernet key for tests only.
CPMP_FIELD_ENCRYPTION_KEYS = ["dGVzdC1vbmx5LWZpZWxkLWtleS1ub3QtYS1zZWNyZXQ="]
CPMP_DEMONSTRATION_DATA_ALLOWED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Hashed manifest storage needs collectstatic; the live test server serves plain files.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests never run collectstatic: WhiteNoise serves the files from the apps' static folders.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
