"""Raise recovery tasks as soon as an authority is cancelled."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from cpmp.audit.events import EventType
from cpmp.authorities.models import Authorisation

from .actions import raise_recovery_tasks


def on_lifecycle_step(
    sender: Any, *, step: str, authorisation_ids: list[int], **kwargs: Any
) -> None:
    """Raise recovery tasks for the assets still deployed under a cancelled authorisation.

    The task is dated from the cancellation, which may be recorded after it took effect.
    Expiry has no step of its own, so ``cpmp deployments raise-recovery-tasks`` finds those.
    """
    if step != EventType.AUTHORISATION_CANCELLED:
        return
    for pk, cancelled_from in Authorisation.objects.filter(pk__in=authorisation_ids).values_list(
        "pk", "cancelled_from"
    ):
        raise_recovery_tasks([pk], now=cancelled_from or timezone.now())
