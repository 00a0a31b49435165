"""``cpmp deconfliction index``: bring the index up to date with authorised conduct.

Run it from cron after grants and variations. It writes one summary line with counts.
"""

from __future__ import annotations

import logging
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from cpmp.audit.actions import SystemActor
from cpmp.deconfliction.actions import index_authorised_conduct
from cpmp.sources.commands import parse_now

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Maintain the deconfliction index. Run 'cpmp deconfliction index --help' for the options."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        index = subcommands.add_parser(
            "index",
            help="Index every in-force subject, premises, vehicle and online-account conduct "
            "item, deactivate withdrawn ones, and raise a case for each new match.",
        )
        index.add_argument(
            "--now",
            metavar="ISO",
            help="The instant the run is recorded at, with its UTC offset (default: the "
            "current time).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options["now"])
        counts = index_authorised_conduct(acting_user=SystemActor.COMMAND_LINE, at=now)
        logger.info(
            "Deconfliction index run: added=%d deactivated=%d cases_raised=%d",
            counts["added"],
            counts["deactivated"],
            counts["cases_raised"],
        )
        self.stdout.write(
            f"Deconfliction index: {counts['added']} identifiers added, "
            f"{counts['deactivated']} deactivated, {counts['cases_raised']} cases raised."
        )
