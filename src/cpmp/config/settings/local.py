"""Settings for a workstation: ``make run`` and the ``cpmp`` command use these by default."""

from __future__ import annotations

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR


def _local_secret(variable: str, file_name: str) -> str:
    """Read a workstation secret from the environment or ``var/``, creating it on first use."""
    if variable in os.environ:
        return os.environ[variable]
    path = VAR_DIR / file_name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _local_fernet_key() -> str:
    """Read the workstation's field-encryption key from ``var/``, creating it on first use."""
    from cryptography.fernet import Fernet

    path = VAR_DIR / "field-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _local_secret("CPMP_SECRET_KEY", "secret-key")
CPMP_AUDIT_KEY = _local_secret("CPMP_AUDIT_KEY", "audit-key")
CPMP_FIELD_ENCRYPTION_KEYS = (
    os.environ.get("CPMP_FIELD_ENCRYPTION_KEYS", "").split(",")
    if "CPMP_FIELD_ENCRYPTION_KEYS" in os.environ
    else [_local_fernet_key()]
)
DEBUG = os.environ.get("CPMP_DEBUG", "") == "1"
CPMP_DEMONSTRATION_DATA_ALLOWED = True
