"""Access-test fixtures: the source pages are reachable whether or not the project mounts them."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse


@pytest.fixture(autouse=True)
def source_pages_mounted(settings: pytest.FixtureRequest) -> None:
    try:
        reverse("assets:source-list")
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.integration.access.urls"  # type: ignore[attr-defined]
