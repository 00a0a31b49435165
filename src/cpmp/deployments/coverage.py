"""The coverage rule: whether an authorisation covers an asset, subject, tactic and window.

A deployment is covered only when all of these hold:

- the authorisation is ``live`` at the start of the window (``selectors.with_status``), has
  taken effect by then, and neither expires nor is cancelled before the window ends. A power
  awaiting a Commissioner's approval is never live, so it never covers anything;
- its conduct in force names the subject and the tactic, and the asset: equipment, a
  vehicle, premises or an online account by one of the asset's identifiers, and an
  undercover officer through the relevant-source or CHIS authorisation of their source;
- each of those conduct items, and any time-window item, spans the whole window.

Identifiers are compared without regard to case or repeated spaces ("ab12  cde" names
"AB12 CDE").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from cpmp.assets.models import Asset, AssetKind, UndercoverOfficer
from cpmp.assets.models.register import CONDUCT_CATEGORY
from cpmp.authorities.models import Authorisation, AuthorisedConduct, ConductCategory
from cpmp.authorities.selectors import STATUS_LABELS, Status, with_status
from cpmp.law.kinds import AuthorityKind
from cpmp.law.periods import to_london

# The powers under which an undercover officer may be deployed as a source.
SOURCE_KINDS = frozenset({AuthorityKind.RELEVANT_SOURCE.value, AuthorityKind.CHIS.value})


@dataclass(frozen=True)
class CoverCheck:
    """The outcome of checking one authorisation; covered when ``problems`` is empty."""

    authorisation_id: int
    reference: str
    problems: tuple[str, ...]

    @property
    def covered(self) -> bool:
        return not self.problems


def normalise(identifier: str) -> str:
    return " ".join(identifier.split()).casefold()


def display(instant: datetime) -> str:
    """Return ``instant`` in Europe/London as "14:00 on 3 March 2026"."""
    local = to_london(instant)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def _spans(item: AuthorisedConduct, starts_at: datetime, ends_at: datetime) -> bool:
    if item.starts_at is not None and item.starts_at > starts_at:
        return False
    return item.ends_at is None or item.ends_at >= ends_at


def _named(
    items: Iterable[AuthorisedConduct],
    identifiers: set[str],
    starts_at: datetime,
    ends_at: datetime,
) -> str | None:
    """Return None when an item names one of ``identifiers`` over the window, else why not."""
    wanted = {normalise(identifier) for identifier in identifiers}
    matching = [item for item in items if normalise(item.identifier) in wanted]
    if not matching:
        return "not named"
    if any(_spans(item, starts_at, ends_at) for item in matching):
        return None
    return "named only for a shorter time"


def _status_problems(row: Authorisation, starts_at: datetime, ends_at: datetime) -> list[str]:
    status = row.status  # type: ignore[attr-defined]
    if status != Status.LIVE:
        label = STATUS_LABELS.get(status, status).lower()
        return [f"The authorisation is {label} at {display(starts_at)}."]
    problems = []
    effective_from = row.takes_effect_from or row.granted_from
    if effective_from is None or effective_from > starts_at:
        problems.append(f"The authorisation has not taken effect by {display(starts_at)}.")
    # The earliest possible end, so that a deployment is never allowed past a possible expiry.
    end = row.expires_at or row.expires_earliest or row.expires_latest
    if end is None or end < ends_at:
        problems.append(f"The authorisation ends before the deployment does ({display(ends_at)}).")
    if row.cancelled_from is not None and row.cancelled_from < ends_at:
        problems.append(f"The authorisation is cancelled from {display(row.cancelled_from)}.")
    return problems


def _asset_problem(
    row: Authorisation,
    conduct: list[AuthorisedConduct],
    asset: Asset,
    starts_at: datetime,
    ends_at: datetime,
) -> str | None:
    if asset.kind == AssetKind.UNDERCOVER_OFFICER:
        officer = asset.detail()
        assert isinstance(officer, UndercoverOfficer)
        application = row.application
        if (
            row.kind in SOURCE_KINDS
            and officer.source_id is not None
            and application is not None
            and application.source_id == officer.source_id
        ):
            return None
        return f"Undercover officer {asset.reference} is not the source this authorisation is for."
    category = CONDUCT_CATEGORY[AssetKind(asset.kind)]
    items = [item for item in conduct if item.category == category]
    outcome = _named(items, asset.conduct_identifiers(), starts_at, ends_at)
    if outcome is None:
        return None
    return (
        f"{AssetKind(asset.kind).label} {asset.reference} is {outcome} in the authorised conduct."
    )


def check_authorisation(
    authorisation: Authorisation,
    *,
    asset: Asset,
    subject: str,
    tactic: str,
    starts_at: datetime,
    ends_at: datetime,
) -> CoverCheck:
    """Check whether ``authorisation`` covers the deployment described, and say why not."""
    row = (
        with_status(Authorisation.objects.filter(pk=authorisation.pk), starts_at)
        .select_related("application")
        .get()
    )
    problems = _status_problems(row, starts_at, ends_at)
    conduct = list(row.conduct.in_force())
    for category, identifier, label in (
        (ConductCategory.SUBJECT, subject, "Subject"),
        (ConductCategory.TACTIC, tactic, "Tactic"),
    ):
        items = [item for item in conduct if item.category == category]
        outcome = _named(items, {identifier}, starts_at, ends_at)
        if outcome is not None:
            problems.append(f"{label} {identifier} is {outcome} in the authorised conduct.")
    asset_problem = _asset_problem(row, conduct, asset, starts_at, ends_at)
    if asset_problem is not None:
        problems.append(asset_problem)
    windows = [item for item in conduct if item.category == ConductCategory.TIME_WINDOW]
    if windows and not any(_spans(item, starts_at, ends_at) for item in windows):
        problems.append("The deployment falls outside every authorised time window.")
    return CoverCheck(row.pk, row.reference or f"authorisation {row.pk}", tuple(problems))


def find_cover(
    authorisations: Iterable[Authorisation],
    *,
    asset: Asset,
    subject: str,
    tactic: str,
    starts_at: datetime,
    ends_at: datetime,
) -> list[CoverCheck]:
    """Check each of ``authorisations``; the covering ones come first."""
    checks = [
        check_authorisation(
            authorisation,
            asset=asset,
            subject=subject,
            tactic=tactic,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        for authorisation in authorisations
    ]
    return sorted(checks, key=lambda check: (not check.covered, check.reference))
