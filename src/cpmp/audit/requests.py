"""The client address of an HTTP request and the request id shared by its audit events."""

from __future__ import annotations

import ipaddress
import re
import uuid
from typing import NamedTuple

from django.conf import settings
from django.http import HttpRequest

# The attribute that keeps one request id for every event a request records.
_REQUEST_ID_ATTRIBUTE = "cpmp_audit_request_id"
_REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
UNKNOWN_SOURCE = "unknown"


class RequestSource(NamedTuple):
    """An event's ``source`` (an IP address) and ``request_id``."""

    source: str
    request_id: str


def source_from_request(request: HttpRequest) -> RequestSource:
    """Return the client's IP address and a request id for ``request``.

    The address is ``REMOTE_ADDR`` unless the setting ``CPMP_TRUSTED_PROXY_COUNT`` (default 0)
    gives the number of reverse proxies that append to ``X-Forwarded-For``. Then the address is
    the one the outermost trusted proxy saw, and a well-formed ``X-Request-ID`` from the proxies
    is kept. With no trusted proxy, both headers are ignored, because the client could forge them.
    The same request always gets the same id.
    """
    proxy_count = int(getattr(settings, "CPMP_TRUSTED_PROXY_COUNT", 0))
    address = _client_address(request, proxy_count)

    request_id = getattr(request, _REQUEST_ID_ATTRIBUTE, None)
    if request_id is None:
        header = request.META.get("HTTP_X_REQUEST_ID", "")
        if proxy_count > 0 and _REQUEST_ID_PATTERN.fullmatch(header):
            request_id = header
        else:
            request_id = uuid.uuid4().hex
        setattr(request, _REQUEST_ID_ATTRIBUTE, request_id)
    return RequestSource(address, request_id)


def _client_address(request: HttpRequest, proxy_count: int) -> str:
    candidate = request.META.get("REMOTE_ADDR", "")
    if proxy_count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        # Each trusted proxy appends the address it received from, so the client is the entry
        # ``proxy_count`` from the right. The client may have sent any entries left of it.
        if len(forwarded) >= proxy_count:
            candidate = forwarded[-proxy_count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return UNKNOWN_SOURCE
