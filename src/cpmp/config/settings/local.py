"""Settings for a workstation: ``make run`` and the ``cpmp`` command use these by default."""

from __future__ import annotations

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR


def _local_secret_key() -> str:
    """Read the workstation's secret key from ``var/``, creating it on first use."""
    if "CPMP_SECRET_KEY" in os.environ:
        return os.environ["CPMP_SECRET_KEY"]
    path = VAR_DIR / "secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _local_secret_key()
DEBUG = os.environ.get("CPMP_DEBUG", "") == "1"
CPMP_DEMONSTRATION_DATA_ALLOWED = True
