"""Helpers shared by the ``cpmp sources``, ``cpmp risk`` and ``cpmp deconfliction`` commands.

Exit statuses: 0 on success, 1 when the access policy refuses the person named by ``--as``,
and 2 for bad usage (an unknown option value, an unknown username, an unreadable ``--now``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.management.base import CommandError, OutputWrapper
from django.utils import timezone

from cpmp.access.models import User
from cpmp.audit.actions import COMMAND_LINE_SOURCE, append_event
from cpmp.audit.context import current_source
from cpmp.audit.events import EventType

REFUSED = 1
BAD_USAGE = 2
FORMATS = ("text", "json")


def person_named(username: str) -> User:
    """Return the active account with ``username``, or exit with status 2."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(
            f"No active account has the username {username!r}: give the username of an "
            "active account with --as.",
            returncode=BAD_USAGE,
        )
    return user


def access_denied(username: str, action: str) -> CommandError:
    """Return the error for a person whom the access policy does not allow ``action``."""
    return CommandError(
        f"{username!r} may not {action}: access denied for their roles and teams.",
        returncode=REFUSED,
    )


def parse_now(text: str | None) -> datetime:
    """Return the instant ``--now`` names, or the current time; exit with 2 when unreadable."""
    if text is None:
        return timezone.now()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        value = None
    if value is None or timezone.is_naive(value):
        raise CommandError(
            f"Invalid --now value {text!r}: give an ISO 8601 date and time with its UTC "
            "offset, such as 2026-03-04T18:30:00+00:00.",
            returncode=BAD_USAGE,
        )
    return value


def audit_report(user: User, report: str, output_format: str, row_count: int) -> None:
    """Record that ``user`` wrote ``report`` out, as the export pages do."""
    source, request_id = current_source(COMMAND_LINE_SOURCE)
    append_event(
        EventType.EXPORT_CREATED,
        actor=user,
        object_type="command_report",
        object_id=report,
        payload={"format": output_format, "row_count": row_count},
        source=source,
        request_id=request_id,
    )


def write_rows(
    stdout: OutputWrapper,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    output_format: str,
) -> None:
    """Write ``rows`` as a JSON list, or as tab-separated text with a header line."""
    if output_format == "json":
        stdout.write(json.dumps(list(rows), indent=2) + "\n")
        return
    stdout.write("\t".join(columns) + "\n")
    for row in rows:
        stdout.write("\t".join(_text(row[column]) for column in columns) + "\n")


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value) or "-"
    return str(value)
