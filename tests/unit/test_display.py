"""British date and time forms shown on the pages."""

from __future__ import annotations

from datetime import datetime

import pytest

from cpmp.web.display import (
    finding_description,
    format_end_instant,
    format_expiry,
    format_iso_text,
    kind_label,
)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2023-01-03T22:40:00+00:00", "3 January 2023, 10:40pm"),
        ("2023-07-03T22:40:00+00:00", "3 July 2023, 11:40pm"),
        ("2023-07-03T23:30:00+00:00", "4 July 2023, 12:30am"),
        ("2023-01-03T09:00:00+00:00", "3 January 2023, 9am"),
        ("2023-01-03T12:00:00+00:00", "3 January 2023, midday"),
        ("2023-01-03T00:00:00+00:00", "3 January 2023, midnight"),
        ("2023-01-03T10:40", "3 January 2023, 10:40am"),
        ("2023-02-14", "14 February 2023"),
        ("2020-07", "July 2020"),
        ("2020", "2020"),
        ("", ""),
        ("14/02/2023", "14/02/2023"),
        ("2020-13", "2020-13"),
        ("2023-02-30", "2023-02-30"),
    ],
)
def test_format_iso_text(stored: str, shown: str) -> None:
    assert format_iso_text(stored) == shown


@pytest.mark.parametrize(
    ("end", "shown"),
    [
        ("2023-02-15T00:00:00+00:00", "23:59 on 14 February 2023"),
        ("2023-07-15T23:00:00+00:00", "23:59 on 15 July 2023"),
        ("2023-07-15T00:00:00+00:00", "1am on 15 July 2023"),
        ("2023-01-06T22:40:00+00:00", "10:40pm on 6 January 2023"),
        ("2024-03-01T00:00:00+00:00", "23:59 on 29 February 2024"),
    ],
)
def test_format_end_instant(end: str, shown: str) -> None:
    assert format_end_instant(datetime.fromisoformat(end)) == shown


def test_format_expiry_range_and_unknown() -> None:
    earliest = datetime.fromisoformat("2020-10-01T00:00:00+01:00")
    latest = datetime.fromisoformat("2020-11-01T00:00:00+00:00")
    assert format_expiry(None, earliest, latest) == (
        "Between 23:59 on 30 September 2020 and 23:59 on 31 October 2020"
    )
    assert format_expiry(None, latest, latest) == "23:59 on 31 October 2020"
    assert format_expiry(None, None, None) == "Not known"


def test_kind_label_and_unknown_kind() -> None:
    assert kind_label("chis") == "Covert human intelligence source"
    assert kind_label("telepathy") == "telepathy"
    assert kind_label(None) == "Not recorded"


def test_finding_description_and_unknown_code() -> None:
    assert finding_description("never_cancelled") == (
        "The authorisation expired without being cancelled."
    )
    assert finding_description("made_up_code") == "made_up_code"
