"""``cpmp token create|list|revoke``: manage the bearer tokens of the JSON API.

Anyone who can run ``cpmp`` on a server can already act on its database, so the command checks
no role. Making and revoking a token is audited with the command line as the actor.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cpmp.access.models import User
from cpmp.api.actions import (
    DEFAULT_LIFETIME_DAYS,
    MAX_LIFETIME_DAYS,
    create_token,
    revoke_token,
)
from cpmp.api.models import ApiToken
from cpmp.audit.actions import COMMAND_LINE_SOURCE, SystemActor
from cpmp.errors import CpmpError
from cpmp.law.periods import to_london

DEFAULT_NAME = "unnamed"


class Command(BaseCommand):
    help = "Create, list or revoke JSON API tokens. Run 'cpmp token create --help' for options."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)

        create = subcommands.add_parser(
            "create",
            help="make a token for a user and print it once",
            description="Make a bearer token that calls the API as USERNAME, with that "
            "person's access. The token is printed once and cannot be shown again.",
        )
        create.add_argument("username", help="the username of the person the token acts as")
        create.add_argument(
            "--name", default=DEFAULT_NAME, help="what the token is for (default: unnamed)"
        )
        create.add_argument(
            "--expires-days",
            type=int,
            default=DEFAULT_LIFETIME_DAYS,
            metavar="N",
            help=f"days until the token expires, from 1 to {MAX_LIFETIME_DAYS} "
            f"(default: {DEFAULT_LIFETIME_DAYS})",
        )

        listing = subcommands.add_parser("list", help="list tokens, newest first")
        listing.add_argument("username", nargs="?", help="list only this person's tokens")

        revoke = subcommands.add_parser("revoke", help="revoke a token so it stops working")
        revoke.add_argument("token_id", type=int, help="the token's id, as 'cpmp token list' shows")

    def handle(self, *args: Any, **options: Any) -> None:
        handlers = {"create": self._create, "list": self._list, "revoke": self._revoke}
        try:
            handlers[options["subcommand"]](options)
        except CpmpError as error:
            raise CommandError(error.message) from error

    def _create(self, options: dict[str, Any]) -> None:
        user = _user(options["username"])
        issued = create_token(
            user,
            name=options["name"],
            now=timezone.now(),
            lifetime_days=options["expires_days"],
            acting_user=SystemActor.COMMAND_LINE,
            source=COMMAND_LINE_SOURCE,
        )
        # The token alone goes to standard output so a script can capture it.
        self.stdout.write(issued.token)
        self.stderr.write(
            f"Token {issued.record.pk} ({issued.record.prefix}…) for {user.get_username()} "
            f"expires at {_instant(issued.record.expires_at)}. "
            "Store it now: it cannot be shown again."
        )

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-pk")
        if options["username"]:
            tokens = tokens.filter(user=_user(options["username"]))
        now = timezone.now()
        self.stdout.write("id\tuser\tname\tprefix\tstate\tcreated_at\texpires_at\tlast_used_at")
        for token in tokens:
            self.stdout.write(
                "\t".join(
                    [
                        str(token.pk),
                        token.user.get_username(),
                        token.name,
                        token.prefix,
                        _state(token, now),
                        _instant(token.created_at),
                        _instant(token.expires_at),
                        _instant(token.last_used_at),
                    ]
                )
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        token = revoke_token(
            options["token_id"],
            now=timezone.now(),
            acting_user=SystemActor.COMMAND_LINE,
            source=COMMAND_LINE_SOURCE,
        )
        self.stdout.write(
            f"Token {token.pk} ({token.prefix}…) is revoked since {_instant(token.revoked_at)}."
        )


def _user(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(
            f"There is no user with the username '{username}'. Check the spelling."
        ) from None


def _state(token: ApiToken, now: Any) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= now:
        return "expired"
    return "active"


def _instant(value: Any) -> str:
    return to_london(value).isoformat(timespec="seconds") if value is not None else "-"
