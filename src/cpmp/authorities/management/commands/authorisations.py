"""``cpmp authorisations list|show|cancel|review|renew``: the lifecycle from the command line.

For scripting and the Central Authorities Bureau's back office. Every subcommand acts as the
person named by ``--as USERNAME``: it reads through the same compartment policy as the pages
and the API, and changes records only through ``cpmp.authorities.actions``, which check the
person's role and rank and write the audit events.

Exit status: 0 on success, and 1 when the law or the access policy rejects the step. A record
the person may not see also gives 1, reported as not found. Bad usage gives 2: an unknown
option, user or value, or a form with missing or invalid fields.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone

from cpmp.access.compartments import visible_authorisations
from cpmp.access.models import User
from cpmp.audit.actions import COMMAND_LINE_SOURCE, append_event
from cpmp.audit.events import EventType
from cpmp.authorities import actions
from cpmp.authorities.access import access_authorisation
from cpmp.authorities.errors import ApplicationInvalid
from cpmp.authorities.forms import MAX_DUE_WITHIN_DAYS
from cpmp.authorities.models import Authorisation, CaseEvent
from cpmp.authorities.selectors import STATUS_LABELS, RegisterFilters, filter_register, with_status
from cpmp.errors import CpmpError
from cpmp.law.periods import to_london

REJECTED = 1
BAD_USAGE = 2
# The name stored as ``view_name`` when ``show`` records its read in the audit chain.
SHOW_VIEW_NAME = "command:authorisations-show"


def _usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_USAGE)


def _instant(text: str, name: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _usage_error(
            f"{name} '{text}' is not a date and time: give ISO 8601 with an offset, such as "
            "2026-03-01T09:30:00+00:00."
        ) from None
    if timezone.is_naive(value):
        raise _usage_error(
            f"{name} '{text}' has no offset: add one, such as +00:00 in winter or +01:00 in summer."
        )
    return value


def _day(text: str, name: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise _usage_error(f"{name} '{text}' is not a date: give YYYY-MM-DD.") from None


def _user(username: str, option: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise _usage_error(
            f"{option} '{username}' names no active user. Give the username of an active account."
        )
    return user


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return to_london(value).isoformat(timespec="seconds")
    return str(value)


class Command(BaseCommand):
    help = (
        "List, show, cancel, review or renew authorisations as a named user. "
        "Run 'cpmp authorisations SUBCOMMAND --help' for the options of each."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)

        listing = subcommands.add_parser("list", help="list the authorisations USERNAME may see")
        self._acting(listing)
        listing.add_argument(
            "--status",
            choices=list(STATUS_LABELS),
            help="only authorisations with this status now",
        )
        listing.add_argument(
            "--due-within",
            type=int,
            metavar="N",
            help=f"only live authorisations whose latest end is within N days (0 to "
            f"{MAX_DUE_WITHIN_DAYS})",
        )
        listing.add_argument("--format", choices=["text", "json"], default="text")

        show = subcommands.add_parser("show", help="show one authorisation and its case events")
        show.add_argument("authorisation_id", type=int, metavar="ID")
        self._acting(show)
        show.add_argument("--format", choices=["text", "json"], default="text")

        cancel = subcommands.add_parser("cancel", help="cancel an authorisation")
        self._step(cancel)
        cancel.add_argument("--reasons", required=True, help="why it is no longer necessary")
        cancel.add_argument(
            "--outcome", required=True, help="the value of the activity to the operation"
        )
        cancel.add_argument(
            "--product-owner", required=True, metavar="USERNAME", help="who handles the product"
        )
        cancel.add_argument(
            "--product-instructions",
            required=True,
            help="how the product is kept, reviewed and destroyed",
        )
        cancel.add_argument(
            "--ceased-at",
            metavar="INSTANT",
            help="when activity was told to stop, ISO 8601 with offset (default: now)",
        )
        cancel.add_argument(
            "--equipment",
            action="append",
            metavar="IDENTIFIER",
            help="an item to recover; repeat for each (default: every item authorised)",
        )

        review = subcommands.add_parser("review", help="record a review of an authorisation")
        self._step(review)
        for name in ("contacts", "product", "risk", "collateral-intrusion"):
            review.add_argument(f"--{name}", required=True, help=f"what changed in {name}")
        decision = review.add_mutually_exclusive_group(required=True)
        decision.add_argument("--continue", dest="keep_going", action="store_true")
        decision.add_argument("--stop", dest="keep_going", action="store_false")
        review.add_argument("--reasoning", required=True)
        review.add_argument("--next-review-on", metavar="YYYY-MM-DD")
        for name in ("use-of-source", "tasks-given", "information-obtained"):
            review.add_argument(f"--{name}", default="", help="needed for a CHIS review")

        renew = subcommands.add_parser("renew", help="renew an authorisation before it ends")
        self._step(renew)
        for name in ("changes", "necessity", "proportionality", "value-so-far"):
            renew.add_argument(f"--{name}", required=True)
        renew.add_argument("--first-review-on", required=True, metavar="YYYY-MM-DD")

    def _acting(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--as", dest="username", required=True, metavar="USERNAME", help="who is acting"
        )

    def _step(self, parser: ArgumentParser) -> None:
        parser.add_argument("authorisation_id", type=int, metavar="ID")
        self._acting(parser)
        parser.add_argument(
            "--expected-version",
            type=int,
            required=True,
            metavar="N",
            help="the application version you last read ('show' prints it)",
        )
        parser.add_argument(
            "--at",
            metavar="INSTANT",
            help="when the step took effect, ISO 8601 with offset (default: now)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        handlers = {
            "list": self._list,
            "show": self._show,
            "cancel": self._cancel,
            "review": self._review,
            "renew": self._renew,
        }
        user = _user(options["username"], "--as")
        try:
            handlers[options["subcommand"]](user, options)
        except ApplicationInvalid as error:
            problems = "; ".join(f"{name}: {text}" for name, text in error.errors.items())
            raise _usage_error(f"{error.message}. {problems}") from error
        except CpmpError as error:
            raise CommandError(f"{error.message} ({error.code})", returncode=REJECTED) from error

    def _list(self, user: User, options: dict[str, Any]) -> None:
        due_within = options["due_within"]
        if due_within is not None and not 0 <= due_within <= MAX_DUE_WITHIN_DAYS:
            raise _usage_error(
                f"--due-within {due_within} is out of range: give 0 to {MAX_DUE_WITHIN_DAYS}."
            )
        now = timezone.now()
        filters = RegisterFilters(status=options["status"] or "", due_within_days=due_within)
        records = filter_register(with_status(visible_authorisations(user, now), now), filters, now)
        rows = [_row(record) for record in records.order_by("expires_latest", "pk")]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        self.stdout.write("id\treference\tkind\tstatus\texpires_at\tapplication_id")
        for row in rows:
            self.stdout.write(
                "\t".join(
                    _text(row[key])
                    for key in ("id", "reference", "kind", "status", "expires_at", "application_id")
                )
            )

    def _show(self, user: User, options: dict[str, Any]) -> None:
        record = self._visible(user, options["authorisation_id"])
        append_event(
            EventType.AUTHORISATION_VIEWED,
            actor=user,
            object_type="authorisation",
            object_id=record.pk,
            payload={"view_name": SHOW_VIEW_NAME},
            source=COMMAND_LINE_SOURCE,
        )
        detail = _row(record)
        detail["findings"] = list(record.findings or [])
        detail["periods"] = list((record.details or {}).get("periods", []))
        detail["application_version"] = record.application.version if record.application else None
        events = (
            CaseEvent.objects.filter(
                application_id=record.application_id, kind__in=[record.kind or "", ""]
            ).order_by("occurred_at", "pk")
            if record.application_id
            else []
        )
        detail["events"] = [
            {
                "id": event.pk,
                "event_type": event.event_type,
                "occurred_at": _text(event.occurred_at),
                "actor_id": event.actor_id,
            }
            for event in events
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps(detail, indent=2))
            return
        for key in (
            "id",
            "reference",
            "kind",
            "status",
            "takes_effect_at",
            "expires_at",
            "cancelled_at",
            "application_id",
            "application_version",
        ):
            self.stdout.write(f"{key}: {_text(detail[key])}")
        self.stdout.write(f"findings: {', '.join(detail['findings']) or '-'}")
        for period in detail["periods"]:
            self.stdout.write(f"period: {period.get('first_day')} to {period.get('last_day')}")
        for event in detail["events"]:
            self.stdout.write(
                f"event {event['id']}: {event['event_type']} at {event['occurred_at']} "
                f"by user {event['actor_id']}"
            )

    def _cancel(self, user: User, options: dict[str, Any]) -> None:
        record = self._visible(user, options["authorisation_id"])
        owner = _user(options["product_owner"], "--product-owner")
        at = _instant(options["at"], "--at") if options["at"] else None
        ceased = options["ceased_at"] or (at or timezone.now()).isoformat()
        cancellation: dict[str, Any] = {
            "reasons": options["reasons"],
            "outcome": options["outcome"],
            "ceased_at": _instant(ceased, "--ceased-at").isoformat(),
            "product_owner_id": owner.pk,
            "product_instructions": options["product_instructions"],
        }
        if options["equipment"] is not None:
            cancellation["equipment_to_recover"] = options["equipment"]
        row = actions.cancel_authorisation(
            record,
            acting_user=user,
            expected_version=options["expected_version"],
            cancellation=cancellation,
            at=at,
        )
        self._done(row, "cancelled")

    def _review(self, user: User, options: dict[str, Any]) -> None:
        record = self._visible(user, options["authorisation_id"])
        review: dict[str, Any] = {
            "changes": {
                "contacts": options["contacts"],
                "product": options["product"],
                "risk": options["risk"],
                "collateral_intrusion": options["collateral_intrusion"],
            },
            "continue": options["keep_going"],
            "reasoning": options["reasoning"],
            "next_review_on": (
                _day(options["next_review_on"], "--next-review-on")
                if options["next_review_on"]
                else None
            ),
        }
        # A CHIS review also records the use made of the source (RIPA s.43(7)).
        for key in ("use_of_source", "tasks_given", "information_obtained"):
            if options[key]:
                review[key] = options[key]
        actions.record_review(
            record,
            acting_user=user,
            expected_version=options["expected_version"],
            review=review,
            at=_instant(options["at"], "--at") if options["at"] else None,
        )
        self._done(record, "reviewed")

    def _renew(self, user: User, options: dict[str, Any]) -> None:
        record = self._visible(user, options["authorisation_id"])
        renewal = {
            "changes": options["changes"],
            "necessity": options["necessity"],
            "proportionality": options["proportionality"],
            "value_so_far": options["value_so_far"],
            "first_review_on": _day(options["first_review_on"], "--first-review-on"),
        }
        row = actions.renew_authorisation(
            record,
            acting_user=user,
            expected_version=options["expected_version"],
            renewal=renewal,
            at=_instant(options["at"], "--at") if options["at"] else None,
        )
        self._done(row, "renewed")

    def _visible(self, user: User, authorisation_id: int) -> Authorisation:
        try:
            return access_authorisation(user, authorisation_id, timezone.now())
        except Http404:
            raise CommandError(
                f"No authorisation {authorisation_id} was found that you may see. Check the id "
                "with 'cpmp authorisations list'.",
                returncode=REJECTED,
            ) from None

    def _done(self, record: Authorisation, step: str) -> None:
        record.refresh_from_db()
        application = record.application
        version = application.version if application is not None else "-"
        self.stdout.write(
            f"Authorisation {record.pk} {step}. Application {record.application_id} is now at "
            f"version {version}."
        )


def _row(record: Authorisation) -> dict[str, Any]:
    return {
        "id": record.pk,
        "reference": record.reference,
        "kind": record.kind,
        "status": record.status,  # type: ignore[attr-defined]
        "takes_effect_at": _iso(record.takes_effect_from),
        "expires_at": _iso(record.expires_at),
        "cancelled_at": _iso(record.cancelled_from),
        "application_id": record.application_id,
    }


def _iso(value: datetime | None) -> str | None:
    return to_london(value).isoformat() if value is not None else None
