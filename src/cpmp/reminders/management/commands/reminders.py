"""``cpmp reminders send [--now ISO]``: one pass of deadline reminders, for cron or a timer.

It prints one summary line with counts and exits 0, or 1 when a send failed (the failed
reminders are retried by the next pass). docs/reminders.md shows a systemd timer.
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cpmp.reminders.sending import send_reminders


class Command(BaseCommand):
    help = "Send the deadline reminders that are due. Run 'cpmp reminders send --help'."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        send = subcommands.add_parser("send", help="run one pass and print a summary line")
        send.add_argument(
            "--now",
            metavar="INSTANT",
            help="the instant to run the pass at, ISO 8601 with offset (default: now)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError(
                    f"--now '{options['now']}' is not a date and time: give ISO 8601 with an "
                    "offset, such as 2026-03-01T07:00:00+00:00.",
                    returncode=2,
                ) from None
            if timezone.is_naive(now):
                raise CommandError(
                    f"--now '{options['now']}' has no offset: add one, such as +00:00.",
                    returncode=2,
                )
        summary = send_reminders(now)
        self.stdout.write(summary.line())
        if summary.failed:
            raise CommandError(
                f"{summary.failed} reminders could not be sent (ids "
                f"{', '.join(map(str, summary.failed_ids))}); the next pass retries them.",
                returncode=1,
            )
