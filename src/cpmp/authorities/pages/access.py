"""Predicates that choose the lifecycle pages a person is offered, and the one read of a case.

The actions decide again when the step is taken: these predicates only choose which pages and
links a person is offered. Someone outside the case's compartment gets ``Http404``, exactly as
for a case that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404

from cpmp.access.compartments import (
    compartment_ids,
    may_see_operational_content,
    oversees_all_operations,
    visible_operations,
)
from cpmp.access.roles import Role

from ..actions._common import AUTHORISING_ROLES
from ..actions.applications import APPLICANT_ROLES, EDITABLE_STATES, GATEKEEPER_ROLES
from ..actions.commissioner import COMMISSIONER_CLERK_ROLES
from ..models import Application, ApplicationState, Authorisation

# Roles that work on or oversee applications. Read-only roles (inspector, auditor, senior
# responsible officer) may open the list and case pages but are offered no step.
LIFECYCLE_ROLES = frozenset(
    {
        Role.APPLICANT,
        Role.GATEKEEPER,
        Role.AUTHORISING_OFFICER,
        Role.SENIOR_AUTHORISING_OFFICER,
        Role.SENIOR_RESPONSIBLE_OFFICER,
        Role.INSPECTOR,
        Role.AUDITOR,
    }
)


def _roles(user: Any, now: datetime) -> frozenset[str]:
    return frozenset(user.active_roles(now)) if user.is_authenticated else frozenset()


def can_open_applications(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may open the list of applications.

    Someone in no team and with no oversee-all role would only ever see an empty list, so,
    as with the register, they get the "no access" page instead.
    """
    if not may_see_operational_content(user, now):
        return False
    if not _roles(user, now) & LIFECYCLE_ROLES:
        return False
    return oversees_all_operations(user, now) or compartment_ids(user).exists()


def can_start_application(user: Any, now: datetime) -> bool:
    return can_open_applications(user, now) and bool(_roles(user, now) & APPLICANT_ROLES)


def visible_applications(user: Any, now: datetime) -> Any:
    """Return the applications in the operations ``user`` may see at ``now``."""
    if not can_open_applications(user, now):
        return Application.objects.none()
    return Application.objects.filter(operation__in=visible_operations(user, now))


def access_application(user: Any, application_id: int, now: datetime) -> Application:
    """Return the application if ``user`` may see it; ``Http404`` when missing or hidden."""
    try:
        return (
            visible_applications(user, now)
            .select_related("operation", "applicant")
            .get(pk=application_id)
        )
    except Application.DoesNotExist as error:
        raise Http404("No application found") from error


def access_power(application: Application, kind: str) -> Authorisation:
    """Return the authorisation of ``kind`` made by ``application``, or raise ``Http404``."""
    row = application.authorisations.filter(kind=kind).first()
    if row is None:
        raise Http404("No authorisation of that kind in this application")
    return row


def may_edit(user: Any, application: Application, now: datetime) -> bool:
    return (
        user.pk == application.applicant_id
        and bool(_roles(user, now) & APPLICANT_ROLES)
        and application.state in EDITABLE_STATES
    )


def may_gatekeep(user: Any, application: Application, now: datetime) -> bool:
    return bool(_roles(user, now) & GATEKEEPER_ROLES)


def may_decide(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` has a role that grants, reviews, renews, varies or cancels."""
    return bool(_roles(user, now) & AUTHORISING_ROLES)


def may_record_oral_grant(user: Any, application: Application, now: datetime) -> bool:
    """Decide whether ``user`` may record an oral grant: the applicant or a team member."""
    if not _roles(user, now) & (LIFECYCLE_ROLES - {Role.INSPECTOR, Role.AUDITOR}):
        return False
    return (
        user.pk == application.applicant_id
        or application.operation.memberships.filter(user=user).exists()
    )


def may_record_commissioner_steps(user: Any, now: datetime) -> bool:
    return bool(_roles(user, now) & COMMISSIONER_CLERK_ROLES)


def may_record_equipment_recovered(user: Any, application: Application, now: datetime) -> bool:
    """Decide whether ``user`` may record equipment as recovered.

    The bureau and authorising officers may, and so may the applicant and the technical unit
    manager when they work on the case. Read-only roles are never offered the step.
    """
    roles = _roles(user, now)
    if roles & (GATEKEEPER_ROLES | AUTHORISING_ROLES):
        return True
    return bool(roles & {Role.APPLICANT, Role.TECHNICAL_UNIT_MANAGER}) and (
        user.pk == application.applicant_id
        or application.operation.memberships.filter(user=user).exists()
    )


def undecided(application: Application) -> bool:
    return application.state not in (ApplicationState.GRANTED, ApplicationState.REFUSED)
