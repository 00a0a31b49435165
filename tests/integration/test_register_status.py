"""The register's status annotation, checked on a table of cases and against the law core."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from cpmp.authorities.models import Authorisation
from cpmp.authorities.selectors import with_status
from tests.factories import make_authorisation

NOW = datetime.fromisoformat("2024-06-01T12:00:00+00:00")
DAY = timedelta(days=1)

# (case, state, cancelled_from, expires_latest, expected status at NOW)
CASES = [
    ("refused stays refused", "refused", None, NOW + DAY, "refused"),
    ("awaiting approval", "awaiting-approval", None, None, "awaiting-approval"),
    ("cancelled with no date", "cancelled-date-unknown", None, NOW - DAY, "cancelled-date-unknown"),
    ("invalid data", "invalid-data", NOW - DAY, NOW + DAY, "invalid-data"),
    ("live before expiry", "granted", None, NOW + DAY, "live"),
    ("expired at the instant", "granted", None, NOW, "expired-not-cancelled"),
    ("expired yesterday", "granted", None, NOW - DAY, "expired-not-cancelled"),
    ("cancelled before expiry", "granted", NOW - DAY, NOW + DAY, "cancelled"),
    ("cancelled at now", "granted", NOW, NOW + DAY, "cancelled"),
    ("cancellation in the future", "granted", NOW + DAY, NOW + 2 * DAY, "live"),
    ("future cancellation, expired", "granted", NOW + DAY, NOW - DAY, "expired-not-cancelled"),
    ("cancelled at expiry", "granted", NOW - DAY, NOW - DAY, "cancelled-after-expiry"),
    ("cancelled after expiry", "granted", NOW - DAY, NOW - 2 * DAY, "cancelled-after-expiry"),
    ("cancelled, no expiry known", "granted", NOW - DAY, None, "cancelled"),
    ("granted without expiry", "granted", None, None, "invalid-data"),
]


def _annotated_status(state: str, cancelled_from: datetime | None, expires: datetime | None) -> str:
    record = make_authorisation(state=state, cancelled_from=cancelled_from, expires_latest=expires)
    return with_status(Authorisation.objects.filter(pk=record.pk), NOW).get().status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "cancelled_from", "expires_latest", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_status_annotation(
    state: str, cancelled_from: datetime | None, expires_latest: datetime | None, expected: str
) -> None:
    assert _annotated_status(state, cancelled_from, expires_latest) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "cancelled_from", "expires_latest"),
    [case[1:4] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_annotation_agrees_with_law_core(
    state: str, cancelled_from: datetime | None, expires_latest: datetime | None
) -> None:
    law_status = pytest.importorskip(
        "cpmp.law.status", reason="the law core's status_at is not in this tree yet"
    )
    expected = law_status.status_at(
        state=state, expires_latest=expires_latest, cancelled_from=cancelled_from, at=NOW
    )
    assert _annotated_status(state, cancelled_from, expires_latest) == expected
