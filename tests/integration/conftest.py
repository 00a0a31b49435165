"""Integration fixtures: a ``client`` whose ``force_login`` also passes the second factor."""

from __future__ import annotations

import pytest

from tests.factories import SignedInClient


@pytest.fixture
def client() -> SignedInClient:
    return SignedInClient()
