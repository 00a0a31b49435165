"""Bytes to records: CSV in any common delimiter and encoding, or the first sheet of an XLSX.

Records are numbered exactly as Python's ``csv.reader`` counts them, from 1: a quoted cell
with line breaks is one record. For a workbook the record number is the row number.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time

from .errors import ImportFailed

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_RECORDS = 200
XLSX_SIGNATURE = b"PK\x03\x04"
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0"
# C0 control characters never appear in a text register; finding one means binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class SourceRecord:
    number: int
    cells: tuple[str, ...]

    def is_blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


@dataclass(frozen=True)
class Table:
    """Every record of one file, with how the file was read."""

    file_name: str
    file_format: str  # "csv" or "xlsx"
    encoding: str | None
    delimiter: str | None
    records: tuple[SourceRecord, ...]


def read_table(file_name: str, content: bytes) -> Table:
    """Read ``content`` as CSV or XLSX; raise ``ImportFailed`` for anything else."""
    if not content or not content.strip():
        raise ImportFailed(file_name, "the file is empty. Choose the file that holds the register.")
    if content.startswith(b"%PDF"):
        raise ImportFailed(
            file_name,
            "the file is a PDF document, not CSV or XLSX. Export the register from its "
            "spreadsheet as CSV or XLSX and import that.",
        )
    if content.startswith(OLD_EXCEL_SIGNATURE):
        raise ImportFailed(
            file_name,
            "the file is an Excel 97-2003 workbook (.xls), which the importer cannot read. "
            "Save it as .xlsx or CSV and import that.",
        )
    if content.startswith(XLSX_SIGNATURE):
        return _read_xlsx(file_name, content)
    text, encoding = _decode(file_name, content)
    return _read_csv(file_name, text, encoding)


def _decode(file_name: str, content: bytes) -> tuple[str, str]:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in content:
        raise ImportFailed(
            file_name,
            f"the file holds binary data (a NUL byte at position {content.index(0)}), so it is "
            "not a CSV file. Export the register as CSV or XLSX and import that.",
        )
    else:
        candidates = ["utf-8-sig", "cp1252"]
    failure: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError as error:
            failure = error
            continue
        control = _CONTROL.search(text)
        if control:
            raise ImportFailed(
                file_name,
                f"the file holds binary data (byte {ord(control.group()):#04x} at character "
                f"{control.start()}), so it is not a CSV file. Export the register as CSV or "
                "XLSX and import that.",
            )
        return text, "utf-8" if encoding == "utf-8-sig" else encoding
    assert failure is not None
    bad = failure.object[failure.start : failure.start + 1]
    raise ImportFailed(
        file_name,
        f"the text is neither UTF-8 nor Windows-1252 (byte {bad.hex()} at position "
        f"{failure.start} is invalid in both). Save the register as UTF-8 CSV and import that.",
    )


def _read_csv(file_name: str, text: str, encoding: str) -> Table:
    delimiter = _choose_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ImportFailed(
            file_name, f"the CSV is malformed ({error}). Check the file opens in a spreadsheet."
        ) from error
    records = tuple(SourceRecord(number, tuple(row)) for number, row in enumerate(rows, start=1))
    return Table(file_name, "csv", encoding, delimiter, records)


def _choose_delimiter(text: str) -> str:
    """Return the delimiter under which most records share one width of two cells or more."""
    best = (0, 0, ",")
    for delimiter in DELIMITERS:
        widths: Counter[int] = Counter()
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            for index, row in enumerate(reader):
                if index >= SAMPLE_RECORDS:
                    break
                if len(row) >= 2:
                    widths[len(row)] += 1
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        if (count, width) > best[:2]:
            best = (count, width, delimiter)
    return best[2]


def _read_xlsx(file_name: str, content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFailed(
            file_name,
            f"the file is a ZIP archive but not a readable XLSX workbook ({error}). "
            "Open it in a spreadsheet and save it as .xlsx or CSV.",
        ) from error
    sheet = workbook.worksheets[0]
    records = []
    for number, row in enumerate(
        sheet.iter_rows(min_row=1, max_row=sheet.max_row, values_only=True), start=1
    ):
        records.append(SourceRecord(number, tuple(_cell_text(value) for value in row)))
    return Table(file_name, "xlsx", None, None, tuple(records))


def _cell_text(value: object) -> str:
    """Write a workbook value as a register would show it; a date at midnight is a day."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
