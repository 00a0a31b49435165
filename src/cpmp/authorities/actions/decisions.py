"""The authorising officer's decision: a written grant, a refusal, or an urgent oral grant."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from cpmp.access.models import User

from ..models import Application, Authorisation


def grant_application(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    decision: Mapping[str, Any],
    at: datetime | None = None,
) -> list[Authorisation]:
    """Grant every power applied for, in writing, and return one authorisation per power.

    ``decision`` holds the authorising officer's statement of what is authorised
    (``statement``: who, what, where, when and how), ``necessity`` and ``proportionality`` in
    their own words, ``first_review_on`` (ISO date), the authorised ``conduct`` items, and
    where relevant ``directly_involved`` with ``self_authorisation_reason``,
    ``confidential_material_consideration`` and ``designated_deputy``. The law core decides
    whether the officer's rank may grant each power in ``settings.CPMP_FORCE``. A power that
    needs a Commissioner's prior approval is recorded as awaiting approval and has no effect
    until ``record_commissioner_decision`` approves it.
    """
    raise NotImplementedError


def refuse_application(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    reasons: str,
    at: datetime | None = None,
) -> Application:
    """Refuse the application, recording the authorising officer's reasons."""
    raise NotImplementedError


def record_oral_grant(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    authorising_officer: User,
    decision: Mapping[str, Any],
    at: datetime | None = None,
) -> list[Authorisation]:
    """Record an urgent oral grant by ``authorising_officer``, made to ``acting_user``.

    The grant lasts 72 hours from ``at`` (RIPA s.43(3)(a)) and is flagged "written record
    outstanding" until ``record_written_grant`` is made. ``decision`` needs ``urgency_reason``
    (why the case could not wait for a written authorisation) as well as the fields of
    ``grant_application``.
    """
    raise NotImplementedError


def record_written_grant(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    mode: Literal["fresh-grant", "renewal"],
    decision: Mapping[str, Any],
    at: datetime | None = None,
) -> list[Authorisation]:
    """Make the written instrument that follows an oral grant (convention C7).

    ``mode="fresh-grant"`` starts a new written period from the day of ``at`` and records the
    oral grant as superseded; ``mode="renewal"`` renews it from the end of the 72 hours
    (RIPA s.43(9)(b)). Either clears the "written record outstanding" flag.
    """
    raise NotImplementedError
