"""Fixtures for the JSON API: a client with no session, and tokens for named personas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cpmp.access.models import User
from cpmp.api.actions import create_token
from cpmp.audit.actions import COMMAND_LINE_SOURCE, SystemActor


class ApiClient(Client):
    """A client with no session that sends ``token`` as a bearer token on each request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.token: str | None = None

    def request(self, **request: Any) -> Any:
        if self.token is not None:
            request.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        return super().request(**request)

    def as_user(self, user: User) -> ApiClient:
        self.token = make_token(user)
        return self


def make_token(user: User, **options: Any) -> str:
    issued = create_token(
        user,
        name=options.pop("name", "test"),
        now=options.pop("now", timezone.now()),
        acting_user=SystemActor.COMMAND_LINE,
        source=COMMAND_LINE_SOURCE,
        **options,
    )
    return issued.token


@pytest.fixture
def api_client() -> ApiClient:
    return ApiClient()


@pytest.fixture
def token_for() -> Callable[..., str]:
    return make_token
