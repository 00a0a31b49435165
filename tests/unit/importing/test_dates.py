"""The date parser: every style the sample registers use, at the precision each gives."""

from __future__ import annotations

import pytest

from cpmp.oversight.importing.dates import Marker, Precision, parse_date_cell

CASES = [
    ("3/8/23", ["2023-08-03"]),
    ("31/08/23", ["2023-08-31"]),
    ("13.11.2020", ["2020-11-13"]),
    ("45026", ["2023-04-10"]),
    ("45054", ["2023-05-08"]),
    ("2023-06-01", ["2023-06-01"]),
    ("3rd January 2023", ["2023-01-03"]),
    ("15/01/2020 at 14:10", ["2020-01-15T14:10:00+00:00"]),
    ("10:30 17/01/2019", ["2019-01-17T10:30:00+00:00"]),
    ("16/09/20 12.00", ["2020-09-16T12:00:00+01:00"]),
    ("Jul-20", ["2020-07"]),
    ("08/2020", ["2020-08"]),
    ("2019", ["2019"]),
    ("12/01/2023; 09/02/2023; 09/03/2023", ["2023-01-12", "2023-02-09", "2023-03-09"]),
    ("13/02/2023 & 13/03/2023 & 12/05/2023", ["2023-02-13", "2023-03-13", "2023-05-12"]),
    ("31/08/23, 28/09/23", ["2023-08-31", "2023-09-28"]),
    ("20/03/2023\n17/04/2023", ["2023-03-20", "2023-04-17"]),
    ("13.11.2020, 14.12.2020", ["2020-11-13", "2020-12-14"]),
    ("postponed - court closed; heard 26/03/2020 (remote)", ["2020-03-26"]),
    ("01/07/2019 (JP approved 01/07/2019)", ["2019-07-01"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_dates_found(text: str, expected: list[str]) -> None:
    cell = parse_date_cell(text)
    assert [found.iso() for found in cell.dates] == expected
    assert cell.marker is None


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("N/A", Marker.NOT_APPLICABLE),
        ("none", Marker.NOT_APPLICABLE),
        ("-", Marker.NOT_APPLICABLE),
        ("TBC", Marker.PENDING),
        ("awaited", Marker.PENDING),
        ("see file", Marker.TEXT),
        ("quarterly - see source file", Marker.TEXT),
        ("cancelled (date not recorded)", Marker.TEXT),
        ("31/02/2023", Marker.TEXT),
        ("", Marker.EMPTY),
        # A month with no year gives no date: the parser never invents the year.
        ("January", Marker.TEXT),
        ("Apr-Jun", Marker.TEXT),
    ],
)
def test_no_date_marker(text: str, marker: Marker) -> None:
    cell = parse_date_cell(text)
    assert cell.dates == ()
    assert cell.marker is marker


def test_month_completed_by_year() -> None:
    assert parse_date_cell("January", year=2020).dates[0].iso() == "2020-01"
    assert parse_date_cell("Oct", year=2020).dates[0].iso() == "2020-10"


def test_month_range_is_interval() -> None:
    found = parse_date_cell("Apr-Jun", year=2020).dates[0]
    assert found.iso() == "2020-04/2020-06"
    assert found.first_day().isoformat() == "2020-04-01"
    assert found.last_day().isoformat() == "2020-06-30"


@pytest.mark.parametrize(
    ("text", "precision"),
    [
        ("15/12/2022 11:00", Precision.INSTANT),
        ("14/02/2023", Precision.DAY),
        ("Jul-20", Precision.MONTH),
        ("2018", Precision.YEAR),
    ],
)
def test_precision_kept(text: str, precision: Precision) -> None:
    assert parse_date_cell(text).dates[0].precision is precision


def test_remarks_kept_beside_dates() -> None:
    cell = parse_date_cell("Hearing listed 04/01/2021")
    assert cell.remarks == ("Hearing listed",)


def test_serial_outside_range_is_text() -> None:
    assert parse_date_cell("12345").dates == ()
