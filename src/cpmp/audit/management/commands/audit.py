"""``cpmp audit verify|export|checkpoint|rotate-key``: check, export and maintain the audit chain.

Exit status: 0 when the command succeeds (for ``verify``, when the chain is intact), 1 when
``verify`` finds tampering, 2 on bad usage or a missing key.
"""

from __future__ import annotations

import json
import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from cpmp.audit.actions import (
    COMMAND_LINE_SOURCE,
    ChainKeyMismatch,
    SystemActor,
    append_event,
    create_checkpoint,
    rotate_key,
)
from cpmp.audit.events import EventType
from cpmp.audit.export import write_export
from cpmp.audit.verification import MissingKeyError, VerificationReport, verify_chain

EXIT_TAMPERED = 1
EXIT_USAGE = 2


class Command(BaseCommand):
    help = "Verify, export and maintain the hash-chained audit of reads and changes."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)

        verify = subcommands.add_parser(
            "verify",
            help="Check every event's hash and every checkpoint; exit 1 if anything was changed.",
        )
        verify.add_argument(
            "--from-checkpoint",
            action="store_true",
            help="Check events only after the last checkpoint (every checkpoint is still checked).",
        )
        verify.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="Output format (default text).",
        )

        export = subcommands.add_parser(
            "export", help="Write events as JSON lines, one event per line, for a SIEM."
        )
        export.add_argument(
            "--since",
            type=int,
            default=0,
            metavar="SEQ",
            help="Export only events with a sequence number above SEQ (default 0: all events).",
        )
        export.add_argument(
            "--output",
            metavar="FILE",
            help="File to write, created readable by its owner only (default standard output).",
        )

        subcommands.add_parser(
            "checkpoint", help="Sign the last event now as an on-demand checkpoint."
        )
        subcommands.add_parser(
            "rotate-key",
            help=(
                "Hand the chain to the key in CPMP_AUDIT_KEY. The old key must be in "
                "CPMP_AUDIT_PREVIOUS_KEYS."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        try:
            if subcommand == "verify":
                self._verify(from_checkpoint=options["from_checkpoint"], output=options["format"])
            elif subcommand == "export":
                self._export(since=options["since"], output=options["output"])
            elif subcommand == "checkpoint":
                checkpoint = create_checkpoint()
                self.stdout.write(
                    f"Checkpoint {checkpoint.number} signs event {checkpoint.sequence}."
                )
            elif subcommand == "rotate-key":
                checkpoint = rotate_key(actor=SystemActor.COMMAND_LINE, source=COMMAND_LINE_SOURCE)
                self.stdout.write(
                    f"Key rotated at checkpoint {checkpoint.number} (event {checkpoint.sequence}): "
                    f"new events are signed with key {checkpoint.key_id}. Keep the old key in "
                    "CPMP_AUDIT_PREVIOUS_KEYS to verify older events."
                )
        except (MissingKeyError, ChainKeyMismatch, ImproperlyConfigured, ValueError) as error:
            raise CommandError(str(error), returncode=EXIT_USAGE) from error

    def _verify(self, *, from_checkpoint: bool, output: str) -> None:
        report = verify_chain(from_checkpoint=from_checkpoint)
        if output == "json":
            self.stdout.write(json.dumps(report.as_dict(), sort_keys=True))
        else:
            self.stdout.write(_report_text(report))
        if not report.intact:
            sys.exit(EXIT_TAMPERED)
        append_event(
            EventType.AUDIT_VERIFIED,
            actor=SystemActor.COMMAND_LINE,
            object_type="audit_chain",
            object_id="",
            payload={
                "first_sequence": report.first_sequence,
                "last_sequence": report.last_sequence,
                "event_count": report.events_checked,
                "from_checkpoint": report.from_checkpoint,
            },
            source=COMMAND_LINE_SOURCE,
        )

    def _export(self, *, since: int, output: str | None) -> None:
        if since < 0:
            raise CommandError(f"--since must be 0 or more, not {since}.", returncode=EXIT_USAGE)
        # No surrounding transaction: on SQLite it would hold the write lock for the whole export.
        if output is None:
            count, last = write_export(self.stdout, since=since)
        else:
            count, last = self._export_to_file(output, since)
        append_event(
            EventType.AUDIT_EXPORTED,
            actor=SystemActor.COMMAND_LINE,
            object_type="audit_chain",
            object_id="",
            payload={"after_sequence": since, "last_sequence": last, "event_count": count},
            source=COMMAND_LINE_SOURCE,
        )
        if output is not None:
            self.stderr.write(f"Wrote {count} events, up to event {last}, to {output}.")

    def _export_to_file(self, output: str, since: int) -> tuple[int, int]:
        try:
            descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as error:
            raise CommandError(
                f"Cannot write the export to {output}: {error.strerror}.", returncode=EXIT_USAGE
            ) from error
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            return write_export(stream, since=since)


def _report_text(report: VerificationReport) -> str:
    scope = "after the last checkpoint" if report.from_checkpoint else "from the first event"
    problem = report.first_problem
    if problem is None:
        if report.events_checked:
            events = (
                f"{report.events_checked} events {scope} "
                f"(events {report.first_sequence} to {report.last_sequence})"
            )
        else:
            events = f"no events {scope}"
        return (
            f"Audit chain intact: checked {events} and {report.checkpoints_checked} checkpoint(s)."
        )
    return (
        f"Audit chain TAMPERED: first bad event is {problem.sequence} ({problem.kind}). "
        f"{problem.detail}"
    )
