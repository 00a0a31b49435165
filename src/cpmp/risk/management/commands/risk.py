"""``cpmp risk register``: the risk register with escalation, as one person may see it.

Escalation is worked out from the clock each time the register is read (see
``cpmp.risk.selectors.risk_state``), so no scheduled pass is needed to escalate.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from cpmp.risk.access import can_open_risk_register, visible_assessments
from cpmp.risk.selectors import RiskState, register_rows
from cpmp.sources.commands import (
    FORMATS,
    access_denied,
    audit_report,
    parse_now,
    person_named,
    write_rows,
)

COLUMNS = (
    "assessment_id",
    "subject_type",
    "source_id",
    "version",
    "score",
    "band",
    "review_on",
    "stale",
    "accepted",
    "blocks_tasking",
    "escalation",
)


def register_row(state: RiskState) -> dict[str, Any]:
    version = state.version
    return {
        "assessment_id": state.assessment.pk,
        "subject_type": state.assessment.subject_type,
        "source_id": state.assessment.source_id,
        "version": version.number if version else None,
        "score": version.score if version else None,
        "band": version.band if version else None,
        "review_on": version.review_on.isoformat() if version else None,
        "stale": list(state.stale),
        "accepted": state.acceptance is not None,
        "blocks_tasking": state.blocks_tasking,
        "escalation": state.escalation,
    }


class Command(BaseCommand):
    help = "The risk register. Run 'cpmp risk register --help' for the options."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        register = subcommands.add_parser(
            "register",
            help="Write the assessments the person named by --as may see, most escalated "
            "first, with the level each is escalated to.",
        )
        register.add_argument(
            "--as",
            dest="username",
            required=True,
            metavar="USERNAME",
            help="Username of the person whose view of the register is written.",
        )
        register.add_argument(
            "--format", choices=FORMATS, default="text", help="Output format (default: text)."
        )
        register.add_argument(
            "--now",
            metavar="ISO",
            help="The instant staleness and escalation are worked out at, with its UTC offset "
            "(default: the current time).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options["now"])
        user = person_named(options["username"])
        if not can_open_risk_register(user, now):
            raise access_denied(options["username"], "open the risk register")
        states = register_rows(visible_assessments(user, now).select_related("source"), now)
        rows = [register_row(state) for state in states]
        audit_report(user, "risk-register", options["format"], len(rows))
        write_rows(self.stdout, rows, COLUMNS, options["format"])
