"""Reads of the asset register: each asset's state now, undercover officers' warnings and the
roster for the national undercover index."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet

from cpmp.authorities.models import Authorisation
from cpmp.authorities.selectors import Status, with_status
from cpmp.law.periods import london_day
from cpmp.law.sources import CumulativePeriod, relevant_source_cumulative

from .models import Asset, UndercoverOfficer

# How far ahead a due date is shown as a warning.
DUE_WARNING_DAYS = 30
# An undercover deployment in one operation is long-running after six months (HMIC,
# "An inspection of undercover policing in England and Wales", 2014, recommended an
# authorising officer's review at that point), counted here as 183 days.
LONG_RUNNING_DAYS = 183


class AssetState:
    AVAILABLE = "available"
    BOOKED = "booked"
    DEPLOYED = "deployed"
    # Deployed under an authorisation that is no longer live: a red exception.
    DEPLOYED_UNDER_ENDED_AUTHORITY = "deployed-under-ended-authority"


STATE_LABELS = {
    AssetState.AVAILABLE: "Available",
    AssetState.BOOKED: "Booked",
    AssetState.DEPLOYED: "Deployed",
    AssetState.DEPLOYED_UNDER_ENDED_AUTHORITY: "Deployed under expired authority",
}


@dataclass(frozen=True)
class AssetRow:
    asset: Asset
    state: str
    deployment: Any
    booking: Any

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def exception(self) -> bool:
        return self.state == AssetState.DEPLOYED_UNDER_ENDED_AUTHORITY


def asset_rows(assets: QuerySet[Asset], now: datetime) -> list[AssetRow]:
    """Return each asset with its state at ``now``, exceptions first."""
    from cpmp.deployments.models import Booking, Deployment

    assets_list = list(assets.order_by("reference"))
    ids = [asset.pk for asset in assets_list]
    deployments = {
        deployment.asset_id: deployment
        for deployment in Deployment.objects.filter(
            asset_id__in=ids, ended_at__isnull=True, starts_at__lte=now
        ).select_related("operation", "authorisation")
    }
    live_ids = set(
        # The stubs cannot see the ``status`` annotation that ``with_status`` adds.
        with_status(  # type: ignore[misc]
            Authorisation.objects.filter(
                pk__in=[deployment.authorisation_id for deployment in deployments.values()]
            ),
            now,
        )
        .filter(status=Status.LIVE)
        .values_list("pk", flat=True)
    )
    bookings = {
        booking.asset_id: booking
        for booking in Booking.objects.filter(
            asset_id__in=ids, cancelled_at__isnull=True, ends_at__gt=now
        )
        .select_related("operation")
        .order_by("-starts_at")
    }
    rows = []
    for asset in assets_list:
        deployment = deployments.get(asset.pk)
        booking = bookings.get(asset.pk)
        if deployment is not None and deployment.authorisation_id not in live_ids:
            state = AssetState.DEPLOYED_UNDER_ENDED_AUTHORITY
        elif deployment is not None:
            state = AssetState.DEPLOYED
        elif booking is not None:
            state = AssetState.BOOKED
        else:
            state = AssetState.AVAILABLE
        rows.append(AssetRow(asset, state, deployment, booking))
    return sorted(rows, key=lambda row: (not row.exception, row.asset.reference))


@dataclass(frozen=True)
class Warning:
    """One warning about an undercover officer, such as an assessment falling due."""

    code: str
    message: str


def _due(code: str, label: str, due_on: date | None, today: date) -> Warning | None:
    if due_on is None:
        return Warning(code, f"No {label} date is recorded.")
    if due_on < today:
        return Warning(code, f"The {label} was due on {due_on:%d %B %Y}.")
    if due_on <= today + timedelta(days=DUE_WARNING_DAYS):
        return Warning(code, f"The {label} is due on {due_on:%d %B %Y}.")
    return None


def undercover_warnings(officer: UndercoverOfficer, now: datetime) -> list[Warning]:
    """Return the warnings for ``officer`` at ``now``: accreditation, training, psychological
    assessment and the cumulative time in each operation."""
    today = london_day(now)
    warnings = [
        warning
        for warning in (
            _due("accreditation", "accreditation expiry", officer.accreditation_expires_on, today),
            _due("training", "refresher training", officer.training_due_on, today),
            _due(
                "psychological-assessment",
                "psychological assessment",
                officer.psychological_assessment_due_on,
                today,
            ),
        )
        if warning is not None
    ]
    for operation_name, period in cumulative_by_operation(officer).items():
        if period.long_term:
            warnings.append(
                Warning(
                    "long-term",
                    f"{operation_name}: {period.total_days} days deployed, over 12 months. "
                    "Any further authorisation is long-term and needs the higher authorising "
                    "officer and a Judicial Commissioner's prior approval.",
                )
            )
        elif period.warning:
            warnings.append(
                Warning(
                    "long-term-soon",
                    f"{operation_name}: {period.total_days} days deployed, "
                    f"{period.days_remaining} days before an authorisation becomes long-term.",
                )
            )
    return warnings


def cumulative_by_operation(officer: UndercoverOfficer) -> dict[str, CumulativePeriod]:
    """Return the officer's cumulative deployed days in each operation, by operation name.

    Each deployment counts from its first to its last day in Europe/London, to its recorded
    end or, while still in place, its planned end. The law counts authorised periods, which
    are at least as long, so this can only warn later than the law would.
    """
    # NOTE: counts deployment days, not the authorised periods that SI 2013/2788 adds up;
    # add those once relevant-source authorisations name their undercover officer directly.
    from cpmp.deployments.models import Deployment

    periods: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for deployment in Deployment.objects.filter(asset_id=officer.pk).select_related("operation"):
        end = deployment.ended_at or deployment.ends_at
        last = london_day(end - timedelta(microseconds=1))
        periods[deployment.operation.name].append((london_day(deployment.starts_at), last))
    return {name: relevant_source_cumulative(days) for name, days in periods.items()}


ROSTER_COLUMNS = (
    "reference",
    "national_index_reference",
    "status",
    "accreditation_level",
    "accreditation_expires_on",
    "training_due_on",
    "psychological_assessment_due_on",
    "deployments",
    "operations",
    "last_deployed_on",
)


def roster_rows(now: datetime) -> list[dict[str, Any]]:
    """Return one row per undercover officer for the national undercover index.

    The rows carry references, statuses, dates and counts only: no names and no operations.
    """
    from cpmp.deployments.models import Deployment

    rows = []
    for officer in UndercoverOfficer.objects.order_by("reference"):
        deployments = Deployment.objects.filter(asset_id=officer.pk)
        last = deployments.order_by("-starts_at").first()
        rows.append(
            {
                "reference": officer.reference,
                "national_index_reference": officer.national_index_reference,
                "status": officer.status,
                "accreditation_level": officer.accreditation_level,
                "accreditation_expires_on": _iso(officer.accreditation_expires_on),
                "training_due_on": _iso(officer.training_due_on),
                "psychological_assessment_due_on": _iso(officer.psychological_assessment_due_on),
                "deployments": deployments.count(),
                "operations": deployments.values("operation").distinct().count(),
                "last_deployed_on": _iso(london_day(last.starts_at)) if last else "",
            }
        )
    return rows


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""
