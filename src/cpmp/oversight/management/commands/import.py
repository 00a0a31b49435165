"""``cpmp import central-record FILE``: read a legacy central record, report it, store it."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cpmp.law.periods import LONDON
from cpmp.law.ranks import Force
from cpmp.oversight.actions import (
    confirm_central_record_import,
    preview_central_record_import,
)
from cpmp.oversight.importing.errors import ImportFailed
from cpmp.oversight.importing.header import FIELDS, IGNORE, check_mapping
from cpmp.oversight.importing.report import build_report, format_text


class Command(BaseCommand):
    help = "Import a legacy register. Run 'cpmp import central-record --help' for the options."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        central = subcommands.add_parser(
            "central-record",
            help="Read a central record (CSV or XLSX), report every record and store them.",
            description=(
                "Read a central record in CSV (any delimiter, UTF-8 or Windows-1252) or XLSX, "
                "report each record's kind, dates, status and findings, and store the "
                "records unless --dry-run is given. Importing the same file again stores "
                "nothing new."
            ),
        )
        central.add_argument("file", help="path of the CSV or XLSX file")
        central.add_argument(
            "--as-at",
            dest="as_at",
            help="day the status is taken at, as YYYY-MM-DD; status is taken at the close of "
            "that day (default: today in Europe/London)",
        )
        central.add_argument(
            "--dry-run", action="store_true", help="report the records without storing them"
        )
        central.add_argument(
            "--format", choices=("json", "text"), default="json", help="report format"
        )
        central.add_argument(
            "--force",
            choices=[force.value for force in Force],
            help="whose rank rules apply: county (a Police Act 1996 s.2 force), met or city "
            "(default: the force whose ranks the register names, else the configured force)",
        )
        central.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=FIELD",
            help="map the column headed COLUMN (as written) to FIELD; FIELD is one of "
            + ", ".join([*FIELDS, IGNORE]),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        file_name = path.name
        as_at = _as_at(file_name, options["as_at"])
        mapping = _mapping(file_name, options["map"])
        force = Force(options["force"]) if options["force"] else None
        try:
            check_mapping(file_name, mapping)
            content = _read(path)
            if options["dry_run"]:
                report = build_report(
                    file_name, content, as_at=as_at, mapping=mapping, force=force
                ).as_json()
                summary = None
            else:
                batch = preview_central_record_import(
                    file_name=file_name,
                    content=content,
                    as_at=as_at,
                    mapping=mapping,
                    acting_user=None,
                    from_command_line=True,
                )
                outcome = confirm_central_record_import(
                    batch.pk, acting_user=None, from_command_line=True
                )
                report = batch.report
                summary = outcome
        except ImportFailed as error:
            raise CommandError(error.message) from error

        if options["format"] == "json":
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self.stdout.write(format_text(report), ending="")
        if summary is not None:
            self.stderr.write(
                f"Import {summary.import_id}: {summary.created} records stored, "
                f"{summary.unchanged} already in the register."
            )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as error:
        raise ImportFailed(path.name, f"the file {path} was not found. Check the path.") from error
    except (IsADirectoryError, PermissionError) as error:
        raise ImportFailed(path.name, f"the file {path} cannot be read ({error}).") from error


def _as_at(file_name: str, text: str | None) -> date:
    if text is None:
        return datetime.now(LONDON).date()
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            f"Cannot import {file_name}: --as-at '{text}' is not a valid date. "
            "Enter the date as YYYY-MM-DD, for example 2024-03-31."
        ) from error


def _mapping(file_name: str, entries: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for entry in entries:
        column, separator, field = entry.rpartition("=")
        if not separator or not column.strip() or not field.strip():
            raise CommandError(
                f"Cannot import {file_name}: --map '{entry}' is not in the form COLUMN=FIELD. "
                "Give the column header as written, then =, then a field name."
            )
        mapping[column.strip()] = field.strip()
    return mapping
