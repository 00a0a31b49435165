"""``cpmp sources report …``: the source unit's reports, as one person may see them."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand

from cpmp.access.compartments import visible_sources
from cpmp.sources.access import can_open_source_reports
from cpmp.sources.commands import (
    FORMATS,
    access_denied,
    audit_report,
    parse_now,
    person_named,
    write_rows,
)
from cpmp.sources.selectors import clock_report, contact_gaps, payment_anomalies

REPORTS = ("contact-gaps", "payment-anomalies", "potential-sources")

COLUMNS = {
    "contact-gaps": ("record_type", "record_id", "source_id", "source_reference", "at"),
    "payment-anomalies": ("code", "message", "source_id", "source_reference", "payment_ids"),
    "potential-sources": (
        "source_id",
        "source_reference",
        "contact_count",
        "days_since_first_contact",
        "triage_due",
        "days_to_authorise",
    ),
}


def report_rows(report: str, sources: Any, now: datetime) -> list[dict[str, Any]]:
    """Return the rows of ``report`` over ``sources``, as plain values."""
    if report == "contact-gaps":
        return [
            {
                "record_type": gap.record_type,
                "record_id": gap.record_id,
                "source_id": gap.source_id,
                "source_reference": gap.source_reference,
                "at": gap.at.isoformat(),
            }
            for gap in contact_gaps(sources)
        ]
    if report == "payment-anomalies":
        return [
            {
                "code": anomaly.code,
                "message": anomaly.message,
                "source_id": anomaly.source_id,
                "source_reference": anomaly.source_reference,
                "payment_ids": list(anomaly.payment_ids),
            }
            for anomaly in payment_anomalies(sources, now)
        ]
    return [
        {
            "source_id": clock.source.pk,
            "source_reference": clock.source.reference,
            "contact_count": clock.contact_count,
            "days_since_first_contact": clock.days_since_first_contact,
            "triage_due": clock.triage_due,
            "days_to_authorise": clock.days_to_authorise,
        }
        for clock in clock_report(sources, now)
    ]


class Command(BaseCommand):
    help = "Source unit reports. Run 'cpmp sources report --help' for the options."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        report = subcommands.add_parser(
            "report",
            help="Write one report over the sources the person named by --as may see.",
        )
        report.add_argument("report", choices=REPORTS, help="Which report to write.")
        report.add_argument(
            "--as",
            dest="username",
            required=True,
            metavar="USERNAME",
            help="Username of the person whose view of the sources the report shows.",
        )
        report.add_argument(
            "--format", choices=FORMATS, default="text", help="Output format (default: text)."
        )
        report.add_argument(
            "--now",
            metavar="ISO",
            help="The instant the report is as at, with its UTC offset "
            "(default: the current time).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options["now"])
        user = person_named(options["username"])
        if not can_open_source_reports(user, now):
            raise access_denied(options["username"], "open the source reports")
        report = options["report"]
        rows = report_rows(report, visible_sources(user, now), now)
        audit_report(user, f"sources-{report}", options["format"], len(rows))
        write_rows(self.stdout, rows, COLUMNS[report], options["format"])
