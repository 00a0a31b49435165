"""Shared fixtures: named personas and the paths of the sample registers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Django's live test server runs in a thread; Playwright's sync API runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPOSITORY = Path(__file__).resolve().parents[1]
SAMPLES = REPOSITORY / "tests" / "data" / "central-records"


@pytest.fixture
def samples_dir() -> Path:
    if not SAMPLES.is_dir():
        pytest.fail(f"sample registers not found at {SAMPLES}")
    return SAMPLES
