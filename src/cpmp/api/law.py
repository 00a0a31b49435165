"""``/api/law/deadlines``: every deadline of one grant, as ``cpmp law deadlines`` prints them.

The endpoint fills the namespace that the command's argument parser would and calls the
command's own ``deadlines`` function, so the two cannot disagree. It reads no record, so
anyone with a live role may use it.
"""

from __future__ import annotations

import argparse

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from cpmp.law.calendar import Calendars
from cpmp.law.kinds import AuthorityKind
from cpmp.law.ranks import Force, Rank
from cpmp.law_cli import deadlines

from .errors import error_responses
from .permissions import holds_a_live_role, requires

router = Router(tags=["law"])

DATETIME_HELP = "ISO 8601 date, or date and time; a time without an offset is Europe/London time."


class DeadlinesQuery(Schema):
    kind: AuthorityKind = Field(..., description="The kind of authorisation.")
    granted: str = Field(..., max_length=40, description=f"When it was granted. {DATETIME_HELP}")
    force: Force | None = Field(
        None, description="Whose rank rules apply. Default: the configured CPMP_FORCE."
    )
    authoriser: Rank | None = Field(
        None,
        description="The authorising officer's rank; an urgent-only rank makes the grant last "
        "72 hours (or makes a warrant an urgent warrant).",
    )
    oral: bool = Field(False, description="Granted orally.")
    urgent: bool = Field(False, description="The authoriser relied on the urgency provisions.")
    juvenile: bool = Field(False, description="The source is under 18.")
    approved: str | None = Field(
        None,
        max_length=40,
        description=f"When the Commissioner's approval took effect. {DATETIME_HELP}",
    )
    renews: str | None = Field(
        None,
        max_length=40,
        description="This grant renews an authorisation whose period ends at this exclusive "
        f"instant. {DATETIME_HELP}",
    )
    cancelled: str | None = Field(
        None, max_length=40, description=f"When it was cancelled. {DATETIME_HELP}"
    )
    section_97: bool = Field(
        False,
        description="Property interference in a dwelling, hotel bedroom or office, or likely to "
        "reveal privileged or confidential material (Police Act 1997 s.97).",
    )
    long_term: bool = Field(False, description="A long-term relevant-source authorisation.")
    legally_privileged: bool = Field(
        False, description="Intended or likely to obtain legally privileged material."
    )
    legal_consultation: bool = Field(
        False, description="Surveillance of legal consultations, treated as intrusive."
    )


class Deadlines(Schema):
    """The keys ``cpmp law deadlines`` prints; instants carry the Europe/London offset."""

    kind: str
    force: str
    event: str
    takes_effect_at: str | None
    awaiting_approval: bool
    first_day: str | None
    last_day: str | None
    expires_at: str | None
    expires_earliest_at: str | None
    expires_latest_at: str | None
    last_day_later_reading: str | None
    expires_at_later_reading: str | None
    commissioner_requirement: str
    commissioner_due_at: str | None
    statutory_review_due_at: str | None
    review_required_before_renewal: bool
    renewal_window_opens_at: str | None
    renewal_window_closes_at: str | None
    cancelled_at: str | None
    retention_until: str | None
    authoriser: str | None
    authoriser_permitted: bool | None
    authoriser_urgent_only: bool | None
    authoriser_problem: str | None
    rules: list[str]


def command_arguments(query: DeadlinesQuery) -> argparse.Namespace:
    """Return the namespace ``cpmp law deadlines`` builds from the same options."""
    return argparse.Namespace(
        command="deadlines",
        kind=query.kind,
        granted=query.granted,
        force=query.force or Force(settings.CPMP_FORCE),
        authoriser=query.authoriser,
        oral=query.oral,
        urgent=query.urgent,
        juvenile=query.juvenile,
        approved=query.approved,
        renews=query.renews,
        cancelled=query.cancelled,
        section_97=query.section_97,
        long_term=query.long_term,
        legally_privileged=query.legally_privileged,
        legal_consultation=query.legal_consultation,
    )


@router.get(
    "/law/deadlines",
    response={200: Deadlines, **error_responses(403)},
    url_name="law-deadlines",
    operation_id="law_deadlines",
    summary="Work out every deadline of a grant, renewal or cancellation",
    auth=requires(holds_a_live_role),
)
def law_deadlines(request: HttpRequest, query: Query[DeadlinesQuery]) -> dict[str, object]:
    """Return the deadlines; an invalid or impossible value gets a 422 naming it."""
    return deadlines(command_arguments(query), Calendars.default())
