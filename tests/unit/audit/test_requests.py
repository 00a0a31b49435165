"""Where a request came from, and its request id (no database)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from cpmp.audit.requests import source_from_request


@pytest.fixture
def factory() -> RequestFactory:
    return RequestFactory()


def test_source_is_remote_address(factory: RequestFactory) -> None:
    request = factory.get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert source_from_request(request).source == "192.0.2.10"


def test_forwarded_headers_ignored_without_trusted_proxy(factory: RequestFactory) -> None:
    request = factory.get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_REQUEST_ID="forged-id")
    assert source_from_request(request).request_id != "forged-id"


@override_settings(CPMP_TRUSTED_PROXY_COUNT=1)
def test_one_trusted_proxy_gives_client_address(factory: RequestFactory) -> None:
    request = factory.get(
        "/",
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
        HTTP_X_REQUEST_ID="proxy-id-1",
    )
    source = source_from_request(request)
    assert source.source == "198.51.100.7"
    assert source.request_id == "proxy-id-1"


@override_settings(CPMP_TRUSTED_PROXY_COUNT=2)
def test_two_trusted_proxies_skip_their_own_entry(factory: RequestFactory) -> None:
    request = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.4")
    assert source_from_request(request).source == "203.0.113.9"


@override_settings(CPMP_TRUSTED_PROXY_COUNT=1)
def test_malformed_request_id_replaced(factory: RequestFactory) -> None:
    request = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_REQUEST_ID="bad id;<script>")
    request_id = source_from_request(request).request_id
    assert request_id != "bad id;<script>"
    assert len(request_id) == 32


def test_malformed_address_becomes_unknown(factory: RequestFactory) -> None:
    request = factory.get("/", REMOTE_ADDR="not-an-address")
    assert source_from_request(request).source == "unknown"


def test_ipv6_address_normalised(factory: RequestFactory) -> None:
    request = factory.get("/", REMOTE_ADDR="2001:DB8:0:0::1")
    assert source_from_request(request).source == "2001:db8::1"


def test_request_id_stable_within_request(factory: RequestFactory) -> None:
    request = factory.get("/", REMOTE_ADDR="192.0.2.10")
    assert source_from_request(request).request_id == source_from_request(request).request_id


def test_request_ids_differ_between_requests(factory: RequestFactory) -> None:
    first = source_from_request(factory.get("/", REMOTE_ADDR="192.0.2.10"))
    second = source_from_request(factory.get("/", REMOTE_ADDR="192.0.2.10"))
    assert first.request_id != second.request_id
