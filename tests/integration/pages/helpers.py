"""Personas, a shared case and form data for the lifecycle page tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from cpmp.access.models import User
from cpmp.access.roles import Rank, Role
from cpmp.authorities import actions
from cpmp.authorities.models import Application
from cpmp.operations.models import Operation
from tests.factories import make_user
from tests.lifecycle_factories import (
    a_source,
    an_applicant_officer,
    an_authoriser,
    an_operation,
    base_content,
    chis_content,
    decision,
)

LONDON = ZoneInfo("Europe/London")
_numbers = itertools.count(1)


@dataclass
class Team:
    """An operation with its applicant and authorising officer, and a gatekeeper outside it."""

    applicant: User
    gatekeeper: User
    authoriser: User
    operation: Operation


def a_team(*, authoriser_rank: str = Rank.SUPERINTENDENT, senior: bool = False) -> Team:
    applicant = an_applicant_officer()
    authoriser = an_authoriser(authoriser_rank, senior=senior)
    gatekeeper = make_user(Role.GATEKEEPER, first_name="Gita", last_name="Gatekeeper")
    return Team(applicant, gatekeeper, authoriser, an_operation(applicant, authoriser))


def a_reference() -> str:
    return f"URN/PAGES/{next(_numbers):04d}"


def today() -> date:
    return timezone.localdate(timezone.now(), LONDON)


def in_days(days: int) -> str:
    return (today() + timedelta(days=days)).isoformat()


def a_draft(team: Team, kinds: list[str], content: dict[str, Any] | None = None, **extra: Any):
    """Create a draft; ``at`` (in ``extra``) backdates it and each later step built on it."""
    return actions.create_application(
        acting_user=team.applicant,
        operation=team.operation,
        kinds=kinds,
        reference=a_reference(),
        content=content if content is not None else base_content(),
        **extra,
    )


def a_submitted(team: Team, kinds: list[str], content: dict[str, Any] | None = None, **extra: Any):
    application = a_draft(team, kinds, content, **extra)
    return actions.submit_application(
        application,
        acting_user=team.applicant,
        expected_version=application.version,
        at=extra.get("at"),
    )


def an_accepted(team: Team, kinds: list[str], content: dict[str, Any] | None = None, **extra: Any):
    application = a_submitted(team, kinds, content, **extra)
    return actions.accept_application(
        application,
        acting_user=team.gatekeeper,
        expected_version=application.version,
        at=extra.get("at"),
    ).application


def a_granted(team: Team, kinds: list[str], content: dict[str, Any] | None = None, **extra: Any):
    extra.setdefault("at", timezone.now() - timedelta(hours=2))
    application = an_accepted(team, kinds, content, **extra)
    actions.grant_application(
        application,
        acting_user=team.authoriser,
        expected_version=application.version,
        decision=decision(in_days(7)),
        at=extra.get("at"),
    )
    application.refresh_from_db()
    return application


def version(application: Application) -> int:
    return Application.objects.get(pk=application.pk).version


def date_fields(name: str, value: str) -> dict[str, str]:
    """Return the day, month and year inputs of a GOV.UK date field for an ISO date."""
    day = date.fromisoformat(value)
    return {name: str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def instant_fields(name: str, moment: datetime) -> dict[str, str]:
    """Return the inputs of a date-and-time field for ``moment``, in London time."""
    local = moment.astimezone(LONDON)
    return {
        **date_fields(name, local.date().isoformat()),
        f"{name}_time": f"{local:%H:%M}",
    }


def content_data(content: dict[str, Any], *, blank_rows: int = 1) -> dict[str, Any]:
    """Return the edit page's POST data for application ``content``."""
    data: dict[str, Any] = {}

    def put(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                put(f"{prefix}__{key}", inner)
        elif isinstance(value, bool):
            data[prefix] = "yes" if value else "no"
        elif prefix == "intelligence_references":
            data[prefix] = "\n".join(value)
        elif prefix == "juvenile__date_of_birth":
            data.update(date_fields(prefix, value))
        else:
            data[prefix] = value

    for key, value in content.items():
        if key != "conduct":
            put(key, value)
    items = content.get("conduct") or []
    for index, item in enumerate(items):
        for key, value in item.items():
            if key in ("starts_at", "ends_at"):
                data.update(instant_fields(f"conduct-{index}-{key}", datetime.fromisoformat(value)))
            else:
                data[f"conduct-{index}-{key}"] = value
    data.update(
        {
            "conduct-TOTAL_FORMS": str(len(items) + blank_rows),
            "conduct-INITIAL_FORMS": "0",
            "conduct-MIN_NUM_FORMS": "0",
            "conduct-MAX_NUM_FORMS": "1000",
        }
    )
    return data


def decision_data(application: Application, **extra: Any) -> dict[str, Any]:
    values = decision(in_days(7))
    data: dict[str, Any] = {
        "version": version(application),
        "outcome": "grant",
        "statement": values["statement"],
        "necessity": values["necessity"],
        "proportionality": values["proportionality"],
        **date_fields("first_review_on", values["first_review_on"]),
    }
    data.update(extra)
    return data


def url(name: str, application: Application, kind: str | None = None) -> str:
    kwargs: dict[str, Any] = {"application_id": application.pk}
    if kind:
        kwargs["kind"] = kind
    return reverse(f"authorities:{name}", kwargs=kwargs)


__all__ = [
    "a_source",
    "base_content",
    "chis_content",
    "decision",
]
