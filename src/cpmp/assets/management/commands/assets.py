"""``cpmp assets uco-roster``: the undercover roster as CSV for the national undercover index."""

from __future__ import annotations

import csv
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cpmp.assets.selectors import ROSTER_COLUMNS, roster_rows
from cpmp.audit.actions import COMMAND_LINE_SOURCE, SystemActor, append_event
from cpmp.audit.events import EventType


class Command(BaseCommand):
    help = "Export asset registers. Run 'cpmp assets uco-roster --help' for the options."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        subcommands.add_parser(
            "uco-roster",
            help="Write every undercover officer's reference, status, due dates and deployment "
            "counts as CSV to standard output. No names or operations are included.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = roster_rows(timezone.now())
        append_event(
            EventType.EXPORT_CREATED,
            actor=SystemActor.COMMAND_LINE,
            object_type="undercover_roster",
            object_id="national-index",
            payload={"format": "csv", "row_count": len(rows)},
            source=COMMAND_LINE_SOURCE,
        )
        writer = csv.DictWriter(self.stdout, fieldnames=ROSTER_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
