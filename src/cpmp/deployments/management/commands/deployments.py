"""``cpmp deployments raise-recovery-tasks``: the scheduled recovery and review pass."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cpmp.deployments.actions import run_scheduled_pass


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--now {text!r} is not an ISO 8601 instant") from None
    if value.tzinfo is None:
        raise CommandError(f"--now {text!r} has no UTC offset: add one, such as +00:00")
    return value


class Command(BaseCommand):
    help = "Raise recovery tasks for ended authorities and review triggers for long deployments."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        raise_tasks = subcommands.add_parser(
            "raise-recovery-tasks",
            help="Raise recovery tasks for assets deployed under expired or cancelled "
            "authorities, escalate open tasks by age and raise undercover review triggers.",
        )
        raise_tasks.add_argument(
            "--now", help="the instant of the pass, ISO 8601 with offset (default: now)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = _instant(options["now"]) if options.get("now") else timezone.now()
        result = run_scheduled_pass(now=now)
        self.stdout.write(
            f"recovery tasks raised: {result.raised}; escalated: {result.escalated}; "
            f"review triggers raised: {result.review_triggers}"
        )
