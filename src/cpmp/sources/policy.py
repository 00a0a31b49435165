"""Configurable limits of source management, read from ``settings.CPMP_SOURCES`` (a dict).

Any key left out keeps its default. Amounts are in pounds. For example::

    CPMP_SOURCES = {"second_approval_above": "250.00", "potential_source_contacts": 3}
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import Decimal

from django.conf import settings


@dataclass(frozen=True)
class SourcePolicy:
    # A payment above this needs a second approver.
    second_approval_above: Decimal = Decimal("500.00")
    # A payment above this, or any payment to a high-risk source, needs a senior approver
    # (senior authorising officer or senior responsible officer).
    senior_approval_above: Decimal = Decimal("5000.00")
    # Payment anomaly report: total paid to one source in any 365 days above this.
    annual_total_above: Decimal = Decimal("20000.00")
    # Payment anomaly report: this many payments within ``split_window_days`` days, each
    # within ``split_margin`` (a fraction) below the second-approval limit, suggest a
    # payment split to avoid a second approver.
    split_count: int = 3
    split_window_days: int = 30
    split_margin: Decimal = Decimal("0.10")
    # The potential-source clock: someone giving information this many times, or for this
    # many days since the first contact, without a live CHIS authorisation needs a triage.
    potential_source_contacts: int = 3
    potential_source_days: int = 28


def current_policy() -> SourcePolicy:
    """Return the defaults overridden by ``settings.CPMP_SOURCES``; an unknown key raises."""
    overrides = dict(getattr(settings, "CPMP_SOURCES", {}) or {})
    known = {field.name: field for field in fields(SourcePolicy)}
    unknown = sorted(set(overrides) - set(known))
    if unknown:
        raise ValueError(
            f"CPMP_SOURCES has unknown keys {', '.join(unknown)}: use {', '.join(sorted(known))}"
        )
    defaults = SourcePolicy()
    cleaned = {
        name: type(getattr(defaults, name))(str(value) if isinstance(value, float) else value)
        for name, value in overrides.items()
    }
    return replace(defaults, **cleaned)
