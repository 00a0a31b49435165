"""Where the current change comes from, for the audit events appended while it runs.

Actions append their audit events deep inside the call, far from the request or command that
started it. Each front door states the source once, here, and ``current_source`` gives it to
whatever appends an event: the client address and request id for a web or API request,
"command-line" for the ``cpmp`` command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponseBase

from .requests import source_from_request

COMMAND_LINE = "command-line"

_SOURCE: ContextVar[tuple[str, str | None] | None] = ContextVar("cpmp_audit_source", default=None)


@contextmanager
def audit_source(source: str, request_id: str | None = None) -> Iterator[None]:
    """Attribute the audit events appended inside the block to ``source`` and ``request_id``."""
    token = _SOURCE.set((source, request_id))
    try:
        yield
    finally:
        _SOURCE.reset(token)


def current_source(default: str) -> tuple[str, str | None]:
    """Return the source and request id set by the front door, or ``default`` and None."""
    value = _SOURCE.get()
    return value if value is not None else (default, None)


class AuditSourceMiddleware:
    """Attribute every audit event appended while a request runs to that request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        source, request_id = source_from_request(request)
        with audit_source(source, request_id):
            return self.get_response(request)
