"""The one policy for operational records: who may see which operation's records.

Every operation is a compartment. A person sees an operation's records when they hold a role
that oversees every operation, or when they are in the operation's team. Nobody else sees
them, and a record they may not see must answer exactly as a record that does not exist: so
pages start from the querysets here (``visible_authorisations``, ``visible_sources``) and
filter, count, sort and page within them, never on the whole table.

Each predicate takes the instant of the decision, so a time-limited role (an inspector's)
lapses without a job having to remove it. docs/access.md describes the policy for readers.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from cpmp.audit.actions import append_event
from cpmp.audit.events import EventType
from cpmp.audit.requests import source_from_request
from cpmp.authorities.models import Authorisation
from cpmp.operations.models import Operation

from .roles import Role

if TYPE_CHECKING:
    from cpmp.assets.models import Source

# Roles whose work needs every operation's records, each for a reason of its own:
# - the gatekeeper (Central Authorities Bureau) keeps the force's central record of
#   authorisations and checks every application before it reaches an authorising officer;
# - the senior authorising officer authorises the most intrusive activity and is accountable
#   for the force's use of covert powers, so must be able to deconflict across operations;
# - the senior responsible officer answers to the Investigatory Powers Commissioner for the
#   force's compliance and so needs the whole picture;
# - the inspector (IPCO) examines any record the force holds, read-only, for as long as the
#   time-limited role lasts;
# - the auditor checks the records and their audit trail across the force, read-only.
# The authorising officer is absent on purpose. A force has many of them (superintendents
# across its commands), each deciding only the applications put to them, and the Codes of
# Practice expect them to be independent of the investigation. Giving every one of them the
# whole force's covert activity would break need to know, so an authorising officer sees an
# operation's records only when added to its team.
OVERSEE_ALL_ROLES = frozenset(
    {
        Role.GATEKEEPER,
        Role.SENIOR_AUTHORISING_OFFICER,
        Role.SENIOR_RESPONSIBLE_OFFICER,
        Role.INSPECTOR,
        Role.AUDITOR,
    }
)

# A person holding one of these roles sees no operational content at all, whatever other role
# or team they have. The administrator manages accounts, roles and teams, so could otherwise
# grant themselves access; keeping the role out of every compartment makes that grant need a
# second, separately administered account.
NO_OPERATIONAL_CONTENT_ROLES = frozenset({Role.ADMINISTRATOR})

# The dedicated source unit's registrar keeps the register of every source (with true
# identities), so sees every source record. The registrar does not see other operational
# records unless in the operation's team.
SOURCE_REGISTER_ROLES = frozenset({Role.SOURCE_REGISTRAR})


def _active_roles(user: Any, now: datetime) -> frozenset[str]:
    """Return ``user.active_roles(now)``, remembered on the user object for the same ``now``.

    A page passes one ``now`` to every check it makes, so the roles are read once per request
    rather than once per check.
    """
    remembered = getattr(user, "_compartment_roles", None)
    if remembered is not None and remembered[0] == now:
        return remembered[1]
    roles = user.active_roles(now)
    user._compartment_roles = (now, roles)
    return roles


def may_see_operational_content(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may see any operational record at all, before compartments."""
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    return not _active_roles(user, now) & NO_OPERATIONAL_CONTENT_ROLES


def oversees_all_operations(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` sees every operation's records because of a role they hold."""
    if not may_see_operational_content(user, now):
        return False
    return bool(_active_roles(user, now) & OVERSEE_ALL_ROLES)


def compartment_ids(user: Any) -> QuerySet[Operation, Any]:
    """Return the ids (as a subquery) of the operations whose team ``user`` is in.

    The operation's senior investigating officer leads its team, so counts as a member. This
    checks no role: callers must ask ``may_see_operational_content`` first.
    """
    in_team = Q(memberships__user=user)
    leads_it = Q(senior_investigating_officer=user)
    return Operation.objects.filter(in_team | leads_it).values("pk")


def visible_operations(user: Any, now: datetime) -> QuerySet[Operation]:
    """Return the operations ``user`` may see at ``now``: all of them, theirs, or none."""
    if oversees_all_operations(user, now):
        return Operation.objects.all()
    if not may_see_operational_content(user, now):
        return Operation.objects.none()
    return Operation.objects.filter(pk__in=compartment_ids(user))


def can_view_operation(user: Any, operation: Operation, now: datetime) -> bool:
    """Decide whether ``user`` may see ``operation`` and the records in it at ``now``."""
    if not may_see_operational_content(user, now):
        return False
    if oversees_all_operations(user, now):
        return True
    if operation.senior_investigating_officer_id == user.pk:
        return True
    return operation.memberships.filter(user=user).exists()


def can_open_register(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may open the register page, which lists what they may see.

    Someone in no team and with no oversee-all role would only ever see an empty register, so
    they get the "no access" page instead.
    """
    if oversees_all_operations(user, now):
        return True
    if not may_see_operational_content(user, now):
        return False
    return compartment_ids(user).exists()


def visible_authorisations(user: Any, now: datetime) -> QuerySet[Authorisation]:
    """Return the authorisations ``user`` may see at ``now``.

    A record with no operation (its source register named none) is in no team's compartment,
    so only the oversee-all roles see it.
    """
    if oversees_all_operations(user, now):
        return Authorisation.objects.all()
    if not may_see_operational_content(user, now):
        return Authorisation.objects.none()
    return Authorisation.objects.filter(operation_ref__in=compartment_ids(user))


def can_view_authorisation(user: Any, authorisation: Authorisation, now: datetime) -> bool:
    """Decide whether ``user`` may see ``authorisation`` at ``now``."""
    if not may_see_operational_content(user, now):
        return False
    if oversees_all_operations(user, now):
        return True
    if authorisation.operation_ref is None:
        return False
    return can_view_operation(user, authorisation.operation_ref, now)


def _source_unit_conditions(user: Any, now: datetime) -> Q:
    """Build the condition for the sources ``user`` handles or controls by role and by name.

    Being named as a source's handler is not enough on its own: the person must still hold the
    handler role, so someone who has left the source unit loses the source.
    """
    roles = _active_roles(user, now)
    condition = Q(pk__in=[])
    if Role.HANDLER in roles:
        condition |= Q(handler=user)
    if Role.CONTROLLER in roles:
        condition |= Q(controller=user)
    return condition


def visible_sources(user: Any, now: datetime) -> QuerySet[Source]:
    """Return the sources ``user`` may see at ``now`` (by pseudonym; identity is separate)."""
    # Imported here so that this policy, and the register that uses it, load even where the
    # assets app is not installed.
    from cpmp.assets.models import Source

    if not may_see_operational_content(user, now):
        return Source.objects.none()
    if oversees_all_operations(user, now):
        return Source.objects.all()
    if _active_roles(user, now) & SOURCE_REGISTER_ROLES:
        return Source.objects.all()
    in_compartment = Q(operation__in=compartment_ids(user))
    return Source.objects.filter(in_compartment | _source_unit_conditions(user, now))


def can_open_source_list(user: Any, now: datetime) -> bool:
    """Decide whether ``user`` may open the list of sources, which shows what they may see.

    Someone who may see no source gets the "no access" page rather than an empty list.
    """
    if not may_see_operational_content(user, now):
        return False
    if oversees_all_operations(user, now):
        return True
    if _active_roles(user, now) & SOURCE_REGISTER_ROLES:
        return True
    return visible_sources(user, now).exists()


def can_view_source(user: Any, source: Source, now: datetime) -> bool:
    """Decide whether ``user`` may see ``source`` (its reference and pseudonym) at ``now``."""
    return visible_sources(user, now).filter(pk=source.pk).exists()


def can_view_true_identity(user: Any, source: Source, now: datetime) -> bool:
    """Decide whether ``user`` may see the true identity of ``source`` at ``now``.

    The sterile corridor: only the source unit sees who a source really is. That is the source
    registrar, and the source's own handler and controller while they hold those roles.
    Oversee-all roles, team members and the undercover and technical unit managers see the
    reference and pseudonym only. The unit managers deploy alongside sources and need the
    pseudonym to deconflict, never the person behind it.
    """
    if not may_see_operational_content(user, now):
        return False
    roles = _active_roles(user, now)
    if roles & SOURCE_REGISTER_ROLES:
        return True
    if Role.HANDLER in roles and source.handler_id == user.pk:
        return True
    return Role.CONTROLLER in roles and source.controller_id == user.pk


# Query parameters that choose a page rather than narrow the list.
PAGING = frozenset({"page", "page_size"})


def audit_list_view(
    request: HttpRequest, *, object_type: str, row_count: int, now: datetime
) -> None:
    """Append an audit event when someone who oversees every operation opens a list page.

    Team members' list views are not recorded: they see only their own compartments, and
    each record they open is recorded by its detail page. ``row_count`` is the number of
    records the page reported (the total across pages, after filters); the filters are the
    request's non-empty query parameters other than those choosing the page.
    """
    if not oversees_all_operations(request.user, now):
        return
    source, request_id = source_from_request(request)
    match = getattr(request, "resolver_match", None)
    filters = {name: value for name, value in request.GET.items() if value and name not in PAGING}
    append_event(
        EventType.RECORD_LIST_VIEWED,
        actor=request.user,
        object_type=object_type,
        object_id="list",
        payload={
            "view_name": match.view_name if match is not None else "",
            "row_count": row_count,
            "filters": filters,
        },
        source=source,
        request_id=request_id,
    )
