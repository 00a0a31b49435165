"""Configurable limits of the risk register, read from ``settings.CPMP_RISK`` (a dict).

Any key left out keeps its default. For example, in a settings module::

    CPMP_RISK = {"max_age_days": 60, "escalate_to_sro_after_days": 7}
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from django.conf import settings


@dataclass(frozen=True)
class RiskPolicy:
    # An assessment older than this many days is stale even before its review date.
    max_age_days: int = 90
    # A stale assessment goes to the controller at once, and to the senior responsible
    # officer when it has been stale for this many days.
    escalate_to_sro_after_days: int = 14


def current_policy() -> RiskPolicy:
    """Return the defaults overridden by ``settings.CPMP_RISK``; an unknown key raises."""
    overrides = dict(getattr(settings, "CPMP_RISK", {}) or {})
    known = {field.name for field in fields(RiskPolicy)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValueError(
            f"CPMP_RISK has unknown keys {', '.join(unknown)}: use {', '.join(sorted(known))}"
        )
    return replace(RiskPolicy(), **overrides)
