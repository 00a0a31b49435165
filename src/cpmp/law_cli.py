"""``cpmp law``: the law core's deadlines and rule book on the command line.

Pure Python (argparse and json) so it runs before Django is set up and needs no database.
Every instant printed is an exclusive end or a start in ISO 8601 with the Europe/London
offset. A value known only to the day is printed as a date.

Exit status: 0 on success, 2 on invalid input (with a message on stderr that names the value
and what is accepted).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from cpmp.law.book import render_markdown, render_text
from cpmp.law.calendar import Calendars
from cpmp.law.commencement import not_in_force_problem
from cpmp.law.commissioner import Event, commissioner_deadline
from cpmp.law.durations import Grant, Moment, Period, period_of, renewal_of, renewal_window
from cpmp.law.errors import LawError
from cpmp.law.kinds import AuthorityKind
from cpmp.law.periods import LONDON, day_end, day_start, london_day, to_london
from cpmp.law.ranks import AuthoriserDecision, Force, Rank, check_authoriser
from cpmp.law.records import RETENTION_3_YEARS, error_report_due, retention_until
from cpmp.law.reviews import CHIS_KINDS, check_chis_renewal, first_statutory_review_due

GENERATED_START = "<!-- BEGIN GENERATED RULES: cpmp law rules --format markdown -->"
GENERATED_END = "<!-- END GENERATED RULES -->"
UTC = ZoneInfo("UTC")
Choice = TypeVar("Choice", bound=StrEnum)


class UsageError(Exception):
    """An invalid command-line value; the message names it and what is accepted."""


# --- Parsing values ----------------------------------------------------------------------------


def _choice(enum: type[Choice], option: str) -> Callable[[str], Choice]:
    accepted = ", ".join(member.value for member in enum)

    def parse(text: str) -> Choice:
        try:
            return enum(text.strip().lower())
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{option} {text!r} is not valid: use one of {accepted}"
            ) from None

    return parse


def parse_moment(text: str, option: str) -> Moment:
    """Parse an ISO 8601 date or date and time; a time without an offset is Europe/London."""
    value = text.strip()
    if len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not a valid date or date and time: use ISO 8601, such as "
            "2026-01-31, 2026-01-31T09:30 (Europe/London) or 2026-01-31T09:30+00:00"
        ) from None
    if parsed.tzinfo is None:
        local = parsed.replace(tzinfo=LONDON)
        # A wall-clock time skipped when the clocks go forward does not survive a round trip.
        round_trip = local.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None)
        if round_trip != parsed:
            raise UsageError(
                f"{option} {text!r} does not exist in Europe/London because the clocks went "
                "forward then: give the time with its offset, such as +00:00 or +01:00"
            )
        return local
    return to_london(parsed)


def _instant(moment: Moment) -> datetime:
    return moment if isinstance(moment, datetime) else day_start(moment)


def _day(moment: Moment) -> date:
    return london_day(moment) if isinstance(moment, datetime) else moment


def _show(moment: Moment | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return to_london(moment).isoformat()
    return moment.isoformat()


# --- The deadlines command ---------------------------------------------------------------------


def deadlines(arguments: argparse.Namespace, calendars: Calendars) -> dict[str, object]:
    """Return every deadline of one grant, renewal or cancellation, as the JSON object printed."""
    kind: AuthorityKind = arguments.kind
    force: Force = arguments.force
    granted = parse_moment(arguments.granted, "--granted")
    approved = parse_moment(arguments.approved, "--approved") if arguments.approved else None
    cancelled = parse_moment(arguments.cancelled, "--cancelled") if arguments.cancelled else None
    renews = _instant(parse_moment(arguments.renews, "--renews")) if arguments.renews else None
    grant_day = _day(granted)
    rules: list[str] = []

    problem = not_in_force_problem(kind, grant_day)
    if problem is not None:
        raise UsageError(f"--granted {arguments.granted!r}: {problem}")
    if cancelled is not None and _instant(cancelled) < _instant(granted):
        raise UsageError(
            f"--cancelled {arguments.cancelled!r} is before --granted {arguments.granted!r}: "
            "give a cancellation on or after the grant"
        )

    decision = _authoriser_decision(arguments, kind, force, grant_day)
    urgent_only = decision.urgent_only if decision is not None else False
    is_renewal = renews is not None
    # An urgent-only rank acts only in urgent cases, so its grant is an urgent one. A warrant
    # renewal always needs a Commissioner's approval (IPA 2016 s.117), so it is never urgent.
    urgent = arguments.urgent or urgent_only
    if is_renewal and kind is AuthorityKind.EQUIPMENT_INTERFERENCE:
        urgent = False
    grant = Grant(
        kind,
        granted,
        oral=arguments.oral,
        urgent=urgent,
        urgent_only_authoriser=urgent_only,
        approved=approved,
        juvenile=arguments.juvenile,
        section_97=arguments.section_97,
        long_term=arguments.long_term,
        legally_privileged=arguments.legally_privileged,
        legal_consultation=arguments.legal_consultation,
    )

    if renews is not None:
        _check_warrant_renewal_window(kind, grant_day, renews)
        period = renewal_of(grant, renews, calendars)
    else:
        period = period_of(grant, calendars)
    rules.extend(period.rules)

    if cancelled is not None:
        event, event_day = Event.CANCELLATION, _day(cancelled)
    elif is_renewal:
        event, event_day = Event.RENEWAL, grant_day
    else:
        event, event_day = Event.GRANT, grant_day
    commissioner = commissioner_deadline(grant, event, event_day, calendars)
    rules.extend(commissioner.rules)

    review_due: date | None = None
    if period.first_day is not None and period.last_day is not None:
        review_due, review_rules = first_statutory_review_due(
            period.first_day, period.last_day, juvenile=grant.is_juvenile
        )
        rules.extend(review_rules)

    window = _renewal_window(grant, period, is_renewal=is_renewal)
    review_before_renewal = kind in CHIS_KINDS
    if review_before_renewal:
        rules.extend(check_chis_renewal(kind, review_recorded=False).rules)

    kept_until = _retention(period, cancelled)
    if kept_until is not None:
        rules.append(RETENTION_3_YEARS.identifier)
    if decision is not None:
        rules.extend(decision.rules)

    later = period.later_reading_last_day
    return {
        "kind": kind.value,
        "force": force.value,
        "event": event.value,
        "takes_effect_at": _show(period.takes_effect),
        "awaiting_approval": period.awaiting_approval,
        "first_day": _show(period.first_day),
        "last_day": _show(period.last_day),
        "expires_at": _show(period.expires_at),
        "expires_earliest_at": _show(period.expires_earliest),
        "expires_latest_at": _show(period.expires_latest),
        "last_day_later_reading": _show(later),
        "expires_at_later_reading": _show(day_end(later)) if later else None,
        "commissioner_requirement": commissioner.requirement.value,
        "commissioner_due_at": _show(commissioner.due_at),
        "statutory_review_due_at": _show(day_end(review_due)) if review_due else None,
        "review_required_before_renewal": review_before_renewal,
        "renewal_window_opens_at": _show(window[0]) if window else None,
        "renewal_window_closes_at": _show(window[1]) if window else None,
        "cancelled_at": _show(cancelled),
        "retention_until": _show(kept_until),
        "authoriser": arguments.authoriser.value if arguments.authoriser else None,
        "authoriser_permitted": decision.permitted if decision is not None else None,
        "authoriser_urgent_only": decision.urgent_only if decision is not None else None,
        "authoriser_problem": decision.problem if decision is not None else None,
        "rules": list(dict.fromkeys(rules)),
    }


def _authoriser_decision(
    arguments: argparse.Namespace, kind: AuthorityKind, force: Force, grant_day: date
) -> AuthoriserDecision | None:
    if arguments.authoriser is None:
        return None
    return check_authoriser(
        kind,
        arguments.authoriser,
        force,
        urgent=arguments.urgent,
        oral=arguments.oral,
        juvenile=arguments.juvenile,
        legally_privileged=arguments.legally_privileged,
        long_term=arguments.long_term,
        legal_consultation=arguments.legal_consultation,
        on=grant_day,
    )


def _check_warrant_renewal_window(kind: AuthorityKind, signed: date, renews: datetime) -> None:
    """Reject a warrant renewal signed before the 30 days ending with the old last day."""
    if kind is not AuthorityKind.EQUIPMENT_INTERFERENCE:
        return
    old_last_day = london_day(renews - timedelta(microseconds=1))
    opens = old_last_day - timedelta(days=29)
    if signed < opens:
        # IPA 2016 s.117: a warrant may be renewed only in its renewal period.
        raise UsageError(
            f"--granted {signed.isoformat()} is before the renewal period of the warrant, "
            f"which opens on {opens.isoformat()}: renew on or after that day"
        )


def _renewal_window(
    grant: Grant, period: Period, *, is_renewal: bool
) -> tuple[datetime, datetime] | None:
    if grant.kind is not AuthorityKind.EQUIPMENT_INTERFERENCE:
        return None
    urgent_warrant = grant.urgent and not is_renewal
    days = renewal_window(period, urgent=urgent_warrant)
    if days is None:
        return None
    opens = day_start(days[0])
    if urgent_warrant and isinstance(period.takes_effect, datetime):
        # An urgent warrant may be renewed at any time in its period, which begins on issue.
        opens = max(opens, period.takes_effect)
    return opens, day_end(days[1])


def _retention(period: Period, cancelled: Moment | None) -> date | None:
    if period.last_day is None:
        return None
    end = period.last_day
    if cancelled is not None:
        end = min(end, _day(cancelled))
    return retention_until(end)


# --- The other commands ------------------------------------------------------------------------


def error_report(arguments: argparse.Namespace, calendars: Calendars) -> dict[str, object]:
    established = parse_moment(arguments.established, "--established")
    if isinstance(established, datetime):
        established = london_day(established)
    deadline = error_report_due(established, calendars)
    return {
        "established": established.isoformat(),
        "due_last_day": deadline.due_last_day.isoformat(),
        "due_at": _show(deadline.due_at),
        "outside_limit_last_day": deadline.outside_limit_last_day.isoformat(),
        "outside_limit_at": _show(deadline.outside_limit_at),
        "rules": list(deadline.rules),
    }


def replace_generated_section(document: str, section: str) -> str:
    """Return ``document`` with the text between the generated-rules markers replaced."""
    start = document.find(GENERATED_START)
    end = document.find(GENERATED_END)
    if start == -1 or end == -1 or end < start:
        raise UsageError(
            f"the file has no generated section: add the lines {GENERATED_START!r} and "
            f"{GENERATED_END!r} where the rules belong"
        )
    head = document[: start + len(GENERATED_START)]
    return f"{head}\n\n{section.rstrip()}\n\n{document[end:]}"


def generated_section(document: str) -> str:
    """Return the text between the generated-rules markers, without surrounding blank lines."""
    start = document.index(GENERATED_START) + len(GENERATED_START)
    end = document.index(GENERATED_END)
    return document[start:end].strip()


def rules_command(arguments: argparse.Namespace) -> str | None:
    text = render_markdown() if arguments.format == "markdown" else render_text()
    if arguments.update is None:
        return text
    path = Path(arguments.update)
    try:
        document = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"--update {arguments.update!r} was not found: give docs/law.md") from None
    path.write_text(replace_generated_section(document, text), encoding="utf-8")
    return None


# --- Entry point -------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cpmp law", description="Deadlines and rules of the law of covert authorities."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    dl = commands.add_parser(
        "deadlines",
        help="print every deadline of a grant, renewal or cancellation as JSON",
        description="DATETIME is ISO 8601; without an offset it is Europe/London time, and a "
        "date alone is accepted. Printed instants are exclusive ends with the Europe/London "
        "offset.",
    )
    dl.add_argument("--kind", required=True, type=_choice(AuthorityKind, "--kind"))
    dl.add_argument("--granted", required=True, metavar="DATETIME", help="when it was granted")
    dl.add_argument(
        "--force", default=Force.MET, type=_choice(Force, "--force"), help="default: met"
    )
    dl.add_argument(
        "--authoriser",
        type=_choice(Rank, "--authoriser"),
        metavar="RANK",
        help="the authorising officer's rank; an urgent-only rank makes the grant last 72 "
        "hours (or makes a warrant an urgent warrant)",
    )
    dl.add_argument("--oral", action="store_true", help="granted orally")
    dl.add_argument(
        "--urgent", action="store_true", help="the authoriser relied on the urgency provisions"
    )
    dl.add_argument("--juvenile", action="store_true", help="the source is under 18")
    dl.add_argument(
        "--approved", metavar="DATETIME", help="when the Commissioner's approval took effect"
    )
    dl.add_argument(
        "--renews",
        metavar="DATETIME",
        help="this grant renews an authorisation whose period ends at this exclusive instant",
    )
    dl.add_argument(
        "--cancelled",
        metavar="DATETIME",
        help="when it was cancelled; the Commissioner deadline then refers to the cancellation",
    )
    dl.add_argument(
        "--section-97",
        action="store_true",
        help="property interference in a dwelling, hotel bedroom or office, or likely to reveal "
        "privileged or confidential material (Police Act 1997 s.97)",
    )
    dl.add_argument(
        "--long-term", action="store_true", help="a long-term relevant-source authorisation"
    )
    dl.add_argument(
        "--legally-privileged",
        action="store_true",
        help="intended or likely to obtain legally privileged material",
    )
    dl.add_argument(
        "--legal-consultation",
        action="store_true",
        help="surveillance of legal consultations, treated as intrusive",
    )

    er = commands.add_parser(
        "error-report-due",
        help="print when a relevant error must be reported to the Commissioner, as JSON",
    )
    er.add_argument(
        "--established", required=True, metavar="DATE", help="the day the error was established"
    )

    rl = commands.add_parser("rules", help="print every rule with its dates and source")
    rl.add_argument("--format", choices=("text", "markdown"), default="text")
    rl.add_argument(
        "--update",
        metavar="FILE",
        help="write the Markdown between the generated-rules markers of FILE (docs/law.md)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``cpmp law`` with ``argv`` (the words after ``law``) and return the exit status."""
    parser = build_parser()
    try:
        arguments = parser.parse_args(list(argv) if argv is not None else sys.argv[1:])
    except SystemExit as exit_:
        return int(exit_.code) if isinstance(exit_.code, int) else 2

    calendars = Calendars.default()
    try:
        if arguments.command == "deadlines":
            output: str | None = json.dumps(deadlines(arguments, calendars), indent=2)
        elif arguments.command == "error-report-due":
            output = json.dumps(error_report(arguments, calendars), indent=2)
        else:
            output = rules_command(arguments)
    except (UsageError, LawError) as error:
        print(f"cpmp law {arguments.command}: {error}", file=sys.stderr)
        return 2
    if output is not None:
        print(output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
