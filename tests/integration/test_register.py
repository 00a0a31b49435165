"""The register page: filters, sorting, paging and the number of queries per page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import a_gatekeeper, make_authorisation

pytestmark = pytest.mark.django_db

REGISTER = reverse("authorities:register")


@pytest.fixture
def gatekeeper_client(client: Client) -> Client:
    client.force_login(a_gatekeeper())
    return client


def _references(client: Client, **params: str) -> list[str]:
    """Return the references in the register table, top to bottom, for the GET ``params``."""
    response = client.get(REGISTER, params)
    assert response.status_code == 200
    return [str(record.reference) for record in response.context["page"].object_list]


def test_filter_by_kind(gatekeeper_client: Client) -> None:
    make_authorisation(reference="DS-1", kind="directed-surveillance")
    make_authorisation(reference="CHIS-1", kind="chis")
    assert _references(gatekeeper_client, kind="chis") == ["CHIS-1"]


def test_filter_by_status(gatekeeper_client: Client) -> None:
    now = timezone.now()
    make_authorisation(reference="LIVE", expires_latest=now + timedelta(days=10))
    make_authorisation(reference="EXPIRED", expires_latest=now - timedelta(days=10))
    make_authorisation(reference="REFUSED", state="refused")
    assert _references(gatekeeper_client, status="live") == ["LIVE"]
    assert _references(gatekeeper_client, status="expired-not-cancelled") == ["EXPIRED"]
    assert _references(gatekeeper_client, status="refused") == ["REFUSED"]


def test_filter_by_operation_ignores_case(gatekeeper_client: Client) -> None:
    make_authorisation(reference="A", operation="Op Gingerbread")
    make_authorisation(reference="B", operation="Op Nutmeg")
    assert _references(gatekeeper_client, operation="gingerB") == ["A"]


def test_filter_by_reference_text(gatekeeper_client: Client) -> None:
    make_authorisation(reference="DS/2022/087")
    make_authorisation(reference="CHIS/2023/004")
    assert _references(gatekeeper_client, reference="2022/0") == ["DS/2022/087"]


def test_filter_due_within_days(gatekeeper_client: Client) -> None:
    now = timezone.now()
    make_authorisation(reference="IN-5-DAYS", expires_latest=now + timedelta(days=5))
    make_authorisation(reference="IN-40-DAYS", expires_latest=now + timedelta(days=40))
    make_authorisation(reference="EXPIRED", expires_latest=now - timedelta(days=1))
    make_authorisation(
        reference="CANCELLED",
        expires_latest=now + timedelta(days=3),
        cancelled_from=now - timedelta(days=1),
    )
    assert _references(gatekeeper_client, due="28") == ["IN-5-DAYS"]
    assert sorted(_references(gatekeeper_client, due="60")) == ["IN-40-DAYS", "IN-5-DAYS"]


def test_invalid_due_shows_error_and_all_records(gatekeeper_client: Client) -> None:
    make_authorisation(reference="A")
    response = gatekeeper_client.get(REGISTER, {"due": "soon"})
    content = response.content.decode()
    assert '<a href="#id_due">Enter the number of days as a whole number, like 28</a>' in content
    assert [r.reference for r in response.context["page"].object_list] == ["A"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("reference", ["A", "B", "C"]),
        ("-reference", ["C", "B", "A"]),
        ("operation", ["B", "C", "A"]),
        ("-operation", ["A", "C", "B"]),
        ("kind", ["C", "A", "B"]),
        ("-kind", ["B", "A", "C"]),
        ("granted", ["C", "A", "B"]),
        ("-granted", ["B", "A", "C"]),
        ("expires", ["B", "A", "C"]),
        ("-expires", ["C", "A", "B"]),
        ("status", ["C", "A", "B"]),
        ("-status", ["B", "A", "C"]),
    ],
)
def test_sorting(gatekeeper_client: Client, sort: str, expected: list[str]) -> None:
    now = timezone.now()
    make_authorisation(
        reference="A",
        operation="Op Zebra",
        kind="directed-surveillance",
        granted_from=now - timedelta(days=20),
        expires_latest=now + timedelta(days=1),
    )
    make_authorisation(
        reference="B",
        operation="Op Apple",
        kind="property-interference",
        granted_from=now - timedelta(days=10),
        expires_latest=now - timedelta(days=1),
        state="refused",
    )
    make_authorisation(
        reference="C",
        operation="Op Mango",
        kind="chis",
        granted_from=now - timedelta(days=30),
        expires_latest=now + timedelta(days=5),
        cancelled_from=now - timedelta(days=2),
    )
    assert _references(gatekeeper_client, sort=sort) == expected


def test_sort_headings_are_accessible(gatekeeper_client: Client) -> None:
    make_authorisation()
    content = gatekeeper_client.get(REGISTER, {"sort": "-expires"}).content.decode()
    assert re.search(r'aria-sort="descending">\s*<a [^>]*href="\?sort=expires"', content)
    assert re.search(r'aria-sort="none">\s*<a [^>]*href="\?sort=reference"', content)
    assert content.count('aria-sort="none"') == 5


def test_unknown_sort_uses_default(gatekeeper_client: Client) -> None:
    now = timezone.now()
    make_authorisation(reference="OLD", granted_from=now - timedelta(days=9))
    make_authorisation(reference="NEW", granted_from=now - timedelta(days=1))
    assert _references(gatekeeper_client, sort="password") == ["NEW", "OLD"]


def test_paging_fifty_per_page(gatekeeper_client: Client) -> None:
    for number in range(101):
        make_authorisation(reference=f"REF-{number:03d}")
    first = _references(gatekeeper_client, sort="reference")
    third = _references(gatekeeper_client, sort="reference", page="3")
    assert len(first) == 50
    assert first[0] == "REF-000"
    assert third == ["REF-100"]

    content = gatekeeper_client.get(REGISTER, {"sort": "reference", "page": "2"}).content
    text = content.decode()
    assert "Showing 51 to 100 of 101 authorisations" in text
    assert 'href="?sort=reference&amp;page=1" rel="prev"' in text
    assert 'href="?sort=reference&amp;page=3" rel="next"' in text
    assert 'aria-current="page">2</a>' in text


def test_page_beyond_last_shows_last(gatekeeper_client: Client) -> None:
    for number in range(3):
        make_authorisation(reference=f"REF-{number}")
    assert len(_references(gatekeeper_client, page="99")) == 3


def test_query_count_does_not_grow_with_rows(gatekeeper_client: Client) -> None:
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = gatekeeper_client.get(REGISTER)
        assert response.status_code == 200
        return len(captured)

    for number in range(5):
        make_authorisation(reference=f"REF-{number}", findings=["never_cancelled"])
    gatekeeper_client.get(REGISTER)  # the first audited view also creates the chain head
    with_few_rows = queries_for_page()
    for number in range(5, 60):
        make_authorisation(reference=f"REF-{number}", findings=["never_cancelled"])

    assert queries_for_page() == with_few_rows
    # Session, user, device, roles, count, rows, the audited list view, the navigation's
    # checks of each part of the service, and the session save.
    assert with_few_rows <= 25


def test_row_shows_dates_status_and_findings(gatekeeper_client: Client) -> None:
    record = make_authorisation(
        reference="DS/1",
        granted="2023-01-03T22:40:00+00:00",
        expires_at=timezone.now() + timedelta(days=400),
        expires_latest=timezone.now() + timedelta(days=400),
        findings=["never_cancelled", "review_overdue"],
    )
    content = gatekeeper_client.get(REGISTER).content.decode()
    assert "3 January 2023, 10:40pm" in content
    assert 'govuk-tag govuk-tag--green">Live<' in content
    assert f'href="{reverse("authorities:detail", args=[record.pk])}">DS/1</a>' in content
    assert re.search(r'numeric">2</td>', content)


def test_expired_uncancelled_record_counts_never_cancelled(gatekeeper_client: Client) -> None:
    # Granted in 2024 with no cancellation: expired long ago, though stored with no findings.
    record = make_authorisation(reference="DS/EXPIRED", findings=[])

    register = gatekeeper_client.get(REGISTER).content.decode()
    detail = gatekeeper_client.get(reverse("authorities:detail", args=[record.pk]))

    assert 'govuk-table__cell--numeric">1</td>' in register
    assert "never_cancelled" in detail.content.decode()
