"""The whole import of one file: read, classify, assess, and the JSON or text report.

The JSON report is a public interface (the web page and scripts read it), so its keys and
value formats never change:
``{"file", "as_at", "records": [{"source_record", "reference", "kind", "urgent",
"granted_at", "takes_effect_at", "expires_at", "status", "findings"}], "skipped":
[{"source_record", "reason"}]}``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings

from cpmp.law.calendar import Calendars
from cpmp.law.ranks import Force

from ..findings import Finding
from .assess import Assessment, assess
from .facts import RecordFacts, read_facts, regime_of
from .force import infer_force
from .header import Header, find_header
from .reading import Table, read_table
from .rows import DataRow, Skipped, classify


@dataclass(frozen=True)
class ImportedRecord:
    row: DataRow
    facts: RecordFacts
    assessment: Assessment

    def as_json(self) -> dict[str, Any]:
        kind = self.facts.kind.kind if self.facts.kind else None
        takes_effect = self.assessment.takes_effect
        expires_at = self.assessment.expires_at
        return {
            "source_record": self.row.number,
            "reference": self.facts.reference,
            "kind": kind.value if kind else None,
            "urgent": self.facts.urgent,
            "granted_at": self.facts.granted.iso() if self.facts.granted else None,
            "takes_effect_at": takes_effect.iso() if takes_effect else None,
            "expires_at": expires_at.isoformat() if expires_at else None,
            "status": self.assessment.status,
            "findings": list(self.assessment.findings),
        }


@dataclass(frozen=True)
class ImportReport:
    table: Table
    header: Header
    as_at: date
    records: tuple[ImportedRecord, ...]
    skipped: tuple[Skipped, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.table.file_name,
            "as_at": self.as_at.isoformat(),
            "records": [record.as_json() for record in self.records],
            "skipped": [
                {"source_record": skipped.number, "reason": skipped.reason}
                for skipped in self.skipped
            ],
        }


def build_report(
    file_name: str,
    content: bytes,
    *,
    as_at: date,
    mapping: dict[str, str] | None = None,
    calendars: Calendars | None = None,
    force: Force | None = None,
) -> ImportReport:
    """Read and assess a whole file; raise ``ImportFailed`` if it cannot be read.

    ``force`` decides whose rank rules apply; without it the ranks the register names decide,
    and where they fit every force, the configured ``CPMP_FORCE``.
    """
    calendars = calendars or Calendars.default()
    table = read_table(file_name, content)
    header = find_header(file_name, table.records, mapping or {})
    regime = regime_of(header)
    rows: list[tuple[DataRow, RecordFacts]] = []
    skipped: list[Skipped] = []
    for item in classify(table.records, header):
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        rows.append((item, read_facts(item, regime)))
    if force is None:
        force = infer_force((facts.authoriser for _, facts in rows), Force(settings.CPMP_FORCE))
    records = [
        ImportedRecord(row, facts, assess(facts, as_at=as_at, calendars=calendars, force=force))
        for row, facts in rows
    ]
    return ImportReport(table, header, as_at, tuple(_flag_duplicates(records)), tuple(skipped))


def _flag_duplicates(records: list[ImportedRecord]) -> list[ImportedRecord]:
    """Add ``duplicate_ref`` to every record whose reference another record also uses."""
    counts = Counter(
        record.facts.reference.casefold() for record in records if record.facts.reference
    )
    flagged: list[ImportedRecord] = []
    for record in records:
        reference = record.facts.reference
        if reference and counts[reference.casefold()] > 1:
            findings = tuple(sorted({*record.assessment.findings, Finding.DUPLICATE_REF.value}))
            assessment = Assessment(**{**record.assessment.__dict__, "findings": findings})
            record = ImportedRecord(record.row, record.facts, assessment)
        flagged.append(record)
    return flagged


def format_text(report: dict[str, Any]) -> str:
    """Return the report as a table of records, the skipped records and summary counts."""
    lines = [f"{report['file']}: status as at the close of {report['as_at']}", ""]
    columns = ("record", "reference", "kind", "granted", "expires", "status", "findings")
    rows = [columns]
    for record in report["records"]:
        rows.append(
            (
                str(record["source_record"]),
                record["reference"] or "-",
                record["kind"] or "-",
                record["granted_at"] or "-",
                record["expires_at"] or "-",
                record["status"],
                ", ".join(record["findings"]) or "-",
            )
        )
    widths = [max(len(row[index]) for row in rows) for index in range(len(columns) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    lines.append("")
    lines.append("Skipped records:")
    for skipped in report["skipped"]:
        lines.append(f"  {skipped['source_record']}: {skipped['reason']}")
    lines.append("")
    statuses = Counter(record["status"] for record in report["records"])
    findings = Counter(code for record in report["records"] for code in record["findings"])
    lines.append(
        f"{len(report['records'])} records, {len(report['skipped'])} skipped, "
        f"{sum(1 for r in report['records'] if r['findings'])} with findings"
    )
    lines.append("By status: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    if findings:
        lines.append("By finding: " + ", ".join(f"{k} {v}" for k, v in sorted(findings.items())))
    return "\n".join(lines) + "\n"
