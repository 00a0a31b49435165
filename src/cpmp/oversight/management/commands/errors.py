"""``cpmp errors list|detect|report``: the relevant errors register from the command line.

- ``list --as USERNAME``: the errors that person may see, with the reporting clock, overdue
  unreported errors first.
- ``detect``: raise a candidate for each problem found in the register and in recovery tasks
  that has none yet, and print one summary line. Run it from cron.
- ``report --as USERNAME ERROR_ID --reported-on DATE --reference REF``: record the report of a
  confirmed error to the Investigatory Powers Commissioner.

Exit statuses: 0 on success, 1 when the access policy refuses the person or the error's
status does not allow the step, and 2 for bad usage.
"""

from __future__ import annotations

import logging
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cpmp.audit.actions import COMMAND_LINE_SOURCE, SystemActor
from cpmp.oversight.errors_register import actions
from cpmp.oversight.errors_register.access import (
    can_manage_errors,
    can_open_error_list,
    visible_errors,
)
from cpmp.oversight.errors_register.clock import clock_for
from cpmp.oversight.errors_register.detection import detect_candidates
from cpmp.oversight.errors_register.errors import ErrorStepInvalid
from cpmp.oversight.errors_register.models import ErrorStatus
from cpmp.oversight.errors_register.selectors import error_view, filtered_rows
from cpmp.sources.commands import (
    BAD_USAGE,
    FORMATS,
    REFUSED,
    access_denied,
    audit_report,
    parse_now,
    person_named,
    write_rows,
)

logger = logging.getLogger(__name__)

LIST_COLUMNS = (
    "id",
    "status",
    "category",
    "operation_id",
    "established_on",
    "due_last_day",
    "outside_limit_last_day",
    "overdue",
    "reported_on",
    "late",
)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"Invalid --reported-on value {text!r}: give a date like 2026-04-17.",
            returncode=BAD_USAGE,
        ) from None


class Command(BaseCommand):
    help = "Work with the relevant errors register. Run 'cpmp errors <subcommand> --help'."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        now_help = (
            "The instant to work at, with its UTC offset (default: the current time), "
            "such as 2026-04-20T09:00:00+01:00."
        )

        listing = subcommands.add_parser(
            "list", help="List the errors a person may see, overdue unreported errors first."
        )
        listing.add_argument("--as", dest="username", required=True, help="Whose view to list.")
        listing.add_argument("--status", choices=ErrorStatus.values, help="Only this status.")
        listing.add_argument(
            "--overdue", action="store_true", help="Only overdue unreported errors."
        )
        listing.add_argument("--format", choices=FORMATS, default="text", help="Output format.")
        listing.add_argument("--now", metavar="ISO", help=now_help)

        detect = subcommands.add_parser(
            "detect",
            help="Raise candidate errors from register findings and recovery tasks. A "
            "candidate already raised is never raised again.",
        )
        detect.add_argument("--now", metavar="ISO", help=now_help)

        report = subcommands.add_parser(
            "report", help="Record the report of a confirmed error to the IPC."
        )
        report.add_argument("--as", dest="username", required=True, help="Who records it.")
        report.add_argument("error_id", type=int, help="The error's id.")
        report.add_argument(
            "--reported-on", required=True, metavar="DATE", help="Date reported, YYYY-MM-DD."
        )
        report.add_argument("--reference", required=True, help="The IPC's reference.")
        report.add_argument("--now", metavar="ISO", help=now_help)

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options["now"])
        if options["subcommand"] == "detect":
            self._detect(now)
        elif options["subcommand"] == "list":
            self._list(now, options)
        else:
            self._report(now, options)

    def _detect(self, now: Any) -> None:
        counts = detect_candidates(
            acting_user=SystemActor.COMMAND_LINE, now=now, source=COMMAND_LINE_SOURCE
        )
        logger.info(
            "Relevant error detection run: authorisations=%d recovery_tasks=%d raised=%d "
            "already_raised=%d",
            counts.checked_authorisations,
            counts.checked_recovery_tasks,
            counts.raised,
            counts.already_raised,
        )
        self.stdout.write(
            f"Relevant error detection: {counts.checked_authorisations} authorisations and "
            f"{counts.checked_recovery_tasks} recovery tasks checked, {counts.raised} "
            f"candidates raised, {counts.already_raised} already raised."
        )

    def _list(self, now: Any, options: dict[str, Any]) -> None:
        user = person_named(options["username"])
        if not can_open_error_list(user, now):
            raise access_denied(options["username"], "list relevant errors")
        rows = filtered_rows(
            visible_errors(user, now),
            now,
            status=options["status"] or "",
            overdue_only=options["overdue"],
        )
        views = [error_view(error, clock) for error, clock in rows]
        audit_report(user, "relevant_errors", options["format"], len(views))
        write_rows(self.stdout, views, LIST_COLUMNS, options["format"])

    def _report(self, now: Any, options: dict[str, Any]) -> None:
        user = person_named(options["username"])
        reported_on = _date(options["reported_on"])
        error = visible_errors(user, now).filter(pk=options["error_id"]).first()
        if error is None:
            # A hidden error answers as a missing one.
            raise CommandError(
                f"No relevant error was found with id {options['error_id']}.",
                returncode=REFUSED,
            )
        if not can_manage_errors(user, now):
            raise access_denied(options["username"], "record reports of relevant errors")
        try:
            actions.record_report(
                error,
                acting_user=user,
                reported_on=reported_on,
                reference=options["reference"],
                now=now,
                source=COMMAND_LINE_SOURCE,
            )
        except ErrorStepInvalid as problem:
            raise CommandError(problem.message, returncode=REFUSED) from None
        late = " It was reported late." if clock_for(error, now).late else ""
        self.stdout.write(f"Recorded the report of error {error.pk} to the IPC.{late}")
