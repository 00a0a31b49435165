"""Who may see, write and accept risk assessments, through the compartment policy.

A source's assessment is visible to whoever may see the source (``visible_sources``); any
other assessment to whoever may see its operation (``visible_operations``).
"""

from __future__ import annotations

import operator
from datetime import datetime
from functools import reduce
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cpmp.access.compartments import (
    may_see_operational_content,
    visible_operations,
    visible_sources,
)
from cpmp.access.roles import Role
from cpmp.assets.models import Source
from cpmp.operations.models import Operation

from .models import RiskAssessment, SubjectType
from .scoring import Band

# Who may accept a risk in each band that needs acceptance, most senior first.
ACCEPTING_ROLES: dict[Band, tuple[str, ...]] = {
    Band.HIGH: (Role.SENIOR_RESPONSIBLE_OFFICER, Role.SENIOR_AUTHORISING_OFFICER),
    Band.VERY_HIGH: (Role.SENIOR_RESPONSIBLE_OFFICER,),
}

# Besides a source's own handler and controller, who may write an assessment they can see.
ASSESSOR_ROLES = frozenset(
    {
        Role.RISK_MANAGER,
        Role.UNDERCOVER_UNIT_MANAGER,
        Role.TECHNICAL_UNIT_MANAGER,
        Role.SENIOR_RESPONSIBLE_OFFICER,
    }
)


def visible_assessments(user: Any, now: datetime) -> QuerySet[RiskAssessment]:
    """Return the assessments ``user`` may see at ``now``."""
    if not may_see_operational_content(user, now):
        return RiskAssessment.objects.none()
    of_visible_source = Q(subject_type=SubjectType.SOURCE, source__in=visible_sources(user, now))
    of_visible_operation = ~Q(subject_type=SubjectType.SOURCE) & Q(
        operation__in=visible_operations(user, now)
    )
    return RiskAssessment.objects.filter(of_visible_source | of_visible_operation)


def can_open_risk_register(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may open the register, which lists what they may see.

    Open to the oversee-all roles and to anyone who may see a source or is in a team; anyone
    else would only ever see an empty register, so gets the "no access" page.
    """
    if not may_see_operational_content(user, now):
        return False
    if visible_operations(user, now).exists():
        return True
    return visible_sources(user, now).exists()


def access_assessment(user: Any, assessment_id: int, now: datetime) -> RiskAssessment:
    """Return the assessment if ``user`` may see it; raise ``Http404`` otherwise or if missing."""
    try:
        return (
            visible_assessments(user, now)
            .select_related("source", "operation", "owner")
            .defer("source__true_name", "source__true_date_of_birth", "source__true_address")
            .get(pk=assessment_id)
        )
    except RiskAssessment.DoesNotExist as error:
        raise Http404("No risk assessment found") from error


def can_write_assessment(user: Any, *, source: Any, operation: Any, now: datetime) -> bool:
    """Decide whether ``user`` may create or revise an assessment of ``source`` or in ``operation``.

    A source's handler and controller (while they hold the role) assess their own source.
    Risk managers, unit managers and the senior responsible officer assess what they can see.
    """
    if not may_see_operational_content(user, now):
        return False
    roles = user.active_roles(now)
    if source is not None:
        if not visible_sources(user, now).filter(pk=source.pk).exists():
            return False
        if Role.HANDLER in roles and source.handler_id == user.pk:
            return True
        if Role.CONTROLLER in roles and source.controller_id == user.pk:
            return True
        return bool(roles & {Role.RISK_MANAGER, Role.SENIOR_RESPONSIBLE_OFFICER})
    if not visible_operations(user, now).filter(pk=operation.pk).exists():
        return False
    return bool(roles & ASSESSOR_ROLES)


def assessable_sources(user: Any, now: datetime) -> QuerySet[Source]:
    """Return the sources whose risk ``user`` may assess, as ``can_write_assessment`` decides."""
    if not may_see_operational_content(user, now):
        return Source.objects.none()
    roles = user.active_roles(now)
    visible = visible_sources(user, now)
    if roles & {Role.RISK_MANAGER, Role.SENIOR_RESPONSIBLE_OFFICER}:
        return visible
    own = [
        condition
        for role, condition in (
            (Role.HANDLER, Q(handler=user)),
            (Role.CONTROLLER, Q(controller=user)),
        )
        if role in roles
    ]
    if not own:
        return Source.objects.none()
    return visible.filter(reduce(operator.or_, own))


def assessable_operations(user: Any, now: datetime) -> QuerySet[Operation]:
    """Return the operations in which ``user`` may assess an officer, tactic or deployment."""
    if not may_see_operational_content(user, now):
        return Operation.objects.none()
    if not user.active_roles(now) & ASSESSOR_ROLES:
        return Operation.objects.none()
    return visible_operations(user, now)


def can_accept_risks(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may accept a high risk, so may open the acceptance page."""
    return accepting_role(user, Band.HIGH, now) is not None


def accepting_role(user: Any, band: Band, now: datetime) -> str | None:
    """Return the role in which ``user`` may accept a risk in ``band``, or None if they may not."""
    if not may_see_operational_content(user, now):
        return None
    roles = user.active_roles(now)
    for role in ACCEPTING_ROLES.get(band, ()):
        if role in roles:
            return str(role)
    return None
