"""Reads of deployments, always within what the person may see."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from cpmp.authorities.models import Authorisation
from cpmp.authorities.selectors import STATUS_LABELS, Status, with_status

from .access import visible_deployments
from .models import Deployment


def deployed_now(user: Any, now: datetime) -> list[tuple[Deployment, str]]:
    """Return each deployment in place at ``now`` that ``user`` may see, with the status of
    its authorisation. Deployments under an authority that is no longer live come first."""
    deployments = list(
        visible_deployments(user, now)
        .filter(starts_at__lte=now, ended_at__isnull=True)
        .select_related("asset", "operation", "authorisation")
        .order_by("starts_at", "pk")
    )
    statuses = dict(
        # The stubs cannot see the ``status`` annotation that ``with_status`` adds.
        with_status(  # type: ignore[misc]
            Authorisation.objects.filter(pk__in={d.authorisation_id for d in deployments}), now
        ).values_list("pk", "status")
    )
    rows = [(deployment, statuses[deployment.authorisation_id]) for deployment in deployments]
    return sorted(rows, key=lambda row: row[1] == Status.LIVE)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def live_authorisations(
    queryset: QuerySet[Authorisation], now: datetime
) -> QuerySet[Authorisation]:
    # The stubs cannot see the ``status`` annotation that ``with_status`` adds.
    return with_status(queryset, now).filter(status=Status.LIVE)  # type: ignore[misc]
