"""Which records are authorisations and which are titles, headings, totals or repeats.

Every record in the file ends up either as a data row or as a skipped record with a reason,
so the report accounts for the whole file. A total row is checked against the data rows
counted since the previous total or section heading.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from .header import Header, normalise
from .kinds import read_kind
from .reading import SourceRecord

_EXTRACT_RUN = re.compile(
    r"^\s*(extract|report|export|data|file)\s+(run|produced|generated|created|extracted)\b"
    r"|^\s*(run|printed|generated) (on|at)\b",
    re.IGNORECASE,
)
_TOTAL = re.compile(r"\btotals?\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_NUMBER = re.compile(r"\d+")
_HEADING_MARKS = re.compile(r"^\s*[-=*#_]{2,}.*[-=*#_]{2,}\s*$")
_FOOTNOTE_START = re.compile(r"^\s*(\*|†|note|notes|source|nb\b|n\.b\.|key\b|please)", re.I)


@dataclass(frozen=True)
class DataRow:
    record: SourceRecord
    header: Header

    @property
    def number(self) -> int:
        return self.record.number

    def cell(self, field: str) -> str:
        return self.header.cell(self.record.cells, field)

    def cells_by_column(self) -> dict[str, str]:
        """Return header text -> cell text for every cell, named by column letter when unnamed."""
        cells: dict[str, str] = {}
        for index, value in enumerate(self.record.cells):
            name = self.header.columns[index] if index < len(self.header.columns) else ""
            cells[name or f"column {index + 1}"] = value
        return cells

    def fingerprint(self) -> str:
        """Return the SHA-256 of the normalised cells, keyed by normalised header text."""
        pairs = sorted(
            (normalise(name), " ".join(value.split()).casefold())
            for name, value in self.cells_by_column().items()
            if value.strip()
        )
        return hashlib.sha256(json.dumps(pairs).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Skipped:
    number: int
    reason: str


def classify(records: tuple[SourceRecord, ...], header: Header) -> list[DataRow | Skipped]:
    """Sort every record into a data row or a skipped record, in file order."""
    result: list[DataRow | Skipped] = []
    seen: dict[str, int] = {}
    counted_since_total = 0
    for record in records:
        if record.number < header.record_number:
            result.append(Skipped(record.number, _before_header_reason(record)))
            continue
        if record.number == header.record_number:
            result.append(Skipped(record.number, "header"))
            continue
        reason = _skip_reason(record, header)
        if reason == "total":
            result.append(Skipped(record.number, _total_reason(record, counted_since_total)))
            counted_since_total = 0
            continue
        if reason == "section heading":
            counted_since_total = 0
        if reason is not None:
            result.append(Skipped(record.number, reason))
            continue
        row = DataRow(record, header)
        kind = read_kind(row.cell("kind"))
        if kind is not None and kind.nil_return:
            result.append(Skipped(record.number, "nil return"))
            continue
        counted_since_total += kind.multiplier if kind is not None else 1
        fingerprint = row.fingerprint()
        if fingerprint in seen:
            result.append(Skipped(record.number, f"duplicate of record {seen[fingerprint]}"))
            continue
        seen[fingerprint] = record.number
        result.append(row)
    return result


def _before_header_reason(record: SourceRecord) -> str:
    if record.is_blank():
        return "blank"
    first = next(cell for cell in record.cells if cell.strip())
    if _EXTRACT_RUN.search(first):
        return "extract-run line"
    return "title"


def _skip_reason(record: SourceRecord, header: Header) -> str | None:
    if record.is_blank():
        return "blank"
    filled = [cell.strip() for cell in record.cells if cell.strip()]
    first = filled[0]
    if _EXTRACT_RUN.search(first):
        return "extract-run line"
    if _is_total(record, header):
        return "total"
    if len(filled) == 1:
        if _looks_like_heading(first):
            return "section heading"
        return "footnote"
    if _FOOTNOTE_START.match(first) and not header.cell(record.cells, "granted"):
        return "footnote"
    return None


def _looks_like_heading(text: str) -> bool:
    """Return whether a lone cell is a heading: marked with dashes, in capitals, or a few words."""
    if _HEADING_MARKS.match(text):
        return True
    if _FOOTNOTE_START.match(text):
        return False
    if text.upper() == text:
        return True
    return len(text.split()) <= 6 and not re.search(r"[.:;]", text)


def _is_total(record: SourceRecord, header: Header) -> bool:
    """Return whether the record is a total: "total" in its first cell and no grant date."""
    first_two = [cell for cell in record.cells[:2] if cell.strip()]
    if not first_two or not _TOTAL.search(first_two[0]):
        return False
    return not header.cell(record.cells, "granted")


def _total_reason(record: SourceRecord, counted: int) -> str:
    stated = _stated_total(record)
    if stated is None or stated == counted:
        return "total"
    return f"total row wrong: states {stated}, counted {counted}"


def _stated_total(record: SourceRecord) -> int | None:
    """Return the last number in the row once years are removed from its label."""
    numbers: list[int] = []
    for index, cell in enumerate(record.cells):
        text = _YEAR.sub(" ", cell) if _TOTAL.search(cell) or index == 0 else cell
        numbers.extend(int(found) for found in _NUMBER.findall(text))
    return numbers[-1] if numbers else None
