"""Every route the project resolves, against every persona, allowed and denied.

``test_every_route_is_in_the_matrix`` walks the URL configuration (including any django-ninja
API mounted in it) and fails, naming the route, when a route is missing from ``MATRIX``. A
new page or endpoint therefore needs a row here, which makes its author state who may open
it. Each route is then requested by every persona with the same setup, and the response must
be the allowed or the denied one the row gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cpmp.operations.models import OperationMembership
from cpmp.oversight.models import CentralRecordImport
from tests.integration.api.lifecycle_support import an_application_in
from tests.integration.errors_register.matrix import ERROR_MANAGERS, ERROR_VIEWERS, error_id
from tests.integration.pages.matrix import case_kwargs

from .personas import (
    OUR_OPERATION,
    OVERSEE_ALL,
    PERSONAS,
    make_operation,
    make_record,
    make_source,
)

pytestmark = pytest.mark.django_db

# Routes anyone may open without signing in, so they are not requested per persona: the
# sign-in steps (password, organisation account, second factor) and static files, which
# are served before URL routing.
PUBLIC = frozenset(
    {
        "web:login",
        "web:oidc-start",
        "web:oidc-callback",
        "web:second-factor",
        "web:second-factor-set-up",
    }
)

ADMINISTRATORS = frozenset({"administrator"})
SOURCE_VIEWERS = OVERSEE_ALL | {"member", "handler", "controller", "source registrar"}


@dataclass(frozen=True)
class Route:
    """Who may open one route, and what the allowed and denied responses are."""

    allowed: frozenset[str]
    method: str = "get"
    # Builds the URL's keyword arguments from the shared setup.
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda world: {})
    allowed_status: frozenset[int] = frozenset({200})
    denied_status: frozenset[int] = frozenset({404})
    # An API route: the request carries a bearer token for the persona, never the session.
    api: bool = False
    data: dict[str, Any] = field(default_factory=dict)


def _everyone() -> frozenset[str]:
    return frozenset(PERSONAS)


def _admin(status: frozenset[int] = frozenset({200}), **options: Any) -> Route:
    # The accounts site returns 403 to a signed-in person without the administrator role.
    return Route(ADMINISTRATORS, allowed_status=status, denied_status=frozenset({403}), **options)


def _user_id(world: dict[str, Any]) -> dict[str, Any]:
    return {"object_id": str(world["user"].pk)}


def _api(allowed: frozenset[str], **options: Any) -> Route:
    return Route(allowed, api=True, **options)


def _matrix_asset(world: dict[str, Any]) -> int:
    """Return the id of an item of equipment for the asset routes, made once per test."""
    from cpmp.assets.models import Equipment

    equipment, _ = Equipment.objects.get_or_create(
        kind="equipment", reference="TECH/MATRIX", defaults={"equipment_type": "Tracker"}
    )
    return int(equipment.pk)


def _matrix_booking(world: dict[str, Any]) -> int:
    """Return the id of a booking of that equipment for the world's operation."""
    from django.utils import timezone

    from cpmp.deployments.models import Booking

    if "operation" not in world:
        return 999_999
    now = timezone.now()
    booking = Booking.objects.create(
        asset_id=_matrix_asset(world),
        operation=world["operation"],
        starts_at=now,
        ends_at=now + timedelta(days=1),
        booked_by=world["user"],
        booked_at=now,
    )
    return int(booking.pk)


def _matrix_recovery_task(world: dict[str, Any]) -> int:
    """Return the id of an open recovery task for equipment deployed in the operation."""
    from django.utils import timezone

    from cpmp.deployments.models import Booking, Deployment, RecoveryTask

    if "operation" not in world:
        return 999_999
    now = timezone.now()
    booking = Booking.objects.get(pk=_matrix_booking(world))
    deployment = Deployment.objects.create(
        booking=booking,
        asset_id=booking.asset_id,
        operation=world["operation"],
        authorisation=world["record"],
        subject="NOMINAL-001",
        tactic="static-observation",
        location="Car park",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        recorded_by=world["user"],
        recorded_at=now,
    )
    task = RecoveryTask.objects.create(
        deployment=deployment, authorisation=world["record"], reason="expired", raised_at=now
    )
    return int(task.pk)


def _matrix_officer(world: dict[str, Any]) -> int:
    """Return the id of an undercover officer for the asset routes, made once per test."""
    from cpmp.assets.models import UndercoverOfficer

    officer, _ = UndercoverOfficer.objects.get_or_create(
        kind="undercover-officer", reference="UCO/MATRIX"
    )
    return int(officer.pk)


def _matrix_review_trigger(world: dict[str, Any]) -> int:
    """Return the id of an open review of that officer's deployment in the operation."""
    from django.utils import timezone

    from cpmp.deployments.models import ReviewTrigger

    if "operation" not in world:
        return 999_999
    now = timezone.now()
    trigger = ReviewTrigger.objects.create(
        undercover_officer_id=_matrix_officer(world),
        operation=world["operation"],
        raised_at=now,
        first_deployed_at=now - timedelta(days=200),
        deployed_days=200,
    )
    return int(trigger.pk)


def _operation_id(world: dict[str, Any]) -> dict[str, Any]:
    return {"operation_id": getattr(world["record"], "operation_ref_id", 999_999)}


# Who may open the booking, deployment and asset pages: the roles that oversee every operation,
# the undercover unit manager, and anyone in an operation's team.
DEPLOYMENT_USERS = OVERSEE_ALL | {"member", "undercover unit manager"}
# Who may book and deploy for the world's operation: its team and the oversee-all roles that
# are not read-only.
OPERATION_ACTORS = frozenset(
    {"member", "gatekeeper", "senior authorising officer", "senior responsible officer"}
)
TEAM_MANAGERS = frozenset({"gatekeeper", "senior authorising officer", "senior responsible officer"})
ROSTER_VIEWERS = OVERSEE_ALL | {"undercover unit manager"}
RISK_WRITERS = frozenset({"handler", "controller", "senior responsible officer"})


def _matrix_world() -> Any:
    """Return the module that builds source, risk and deconfliction records for a row."""
    from tests.integration.sources import matrix_world

    return matrix_world


MATRIX: dict[str, Route] = {
    # Signed-in pages with no operational content.
    "web:home": Route(_everyone(), allowed_status=frozenset({200, 302})),
    "web:logout": Route(_everyone(), method="post", allowed_status=frozenset({302})),
    # The register and its records: oversee-all roles and the operation's team.
    "authorities:register": Route(OVERSEE_ALL | {"member"}, denied_status=frozenset({403})),
    "authorities:detail": Route(
        OVERSEE_ALL | {"member"}, kwargs=lambda world: {"authorisation_id": world["record"].pk}
    ),
    # The lifecycle pages. Lists and cases: like the register, for people with a lifecycle role.
    "authorities:application-list": Route(
        OVERSEE_ALL | {"member"}, denied_status=frozenset({403})
    ),
    "authorities:application-start": Route(frozenset({"member"}), denied_status=frozenset({403})),
    "authorities:case": Route(OVERSEE_ALL | {"member"}, kwargs=case_kwargs("draft")),
    # Each step: the role that takes it, 403 for others who see the case, 404 for the rest.
    "authorities:application-edit": Route(
        frozenset({"member"}), kwargs=case_kwargs("draft"), denied_status=frozenset({403, 404})
    ),
    "authorities:gatekeep": Route(
        frozenset({"gatekeeper"}),
        kwargs=case_kwargs("submitted"),
        denied_status=frozenset({403, 404}),
    ),
    "authorities:decide": Route(
        frozenset({"senior authorising officer"}),
        kwargs=case_kwargs("accepted"),
        denied_status=frozenset({403, 404}),
    ),
    "authorities:oral-grant": Route(
        frozenset({"member"}), kwargs=case_kwargs("draft"), denied_status=frozenset({403, 404})
    ),
    # With no oral grant outstanding, the page sends the person back to the case.
    "authorities:written-grant": Route(
        frozenset({"senior authorising officer"}),
        kwargs=case_kwargs("granted"),
        allowed_status=frozenset({302}),
        denied_status=frozenset({403, 404}),
    ),
    **{
        key: Route(
            frozenset({"gatekeeper", "senior authorising officer"}),
            kwargs=case_kwargs("granted"),
            denied_status=frozenset({403, 404}),
        )
        for key in ("authorities:commissioner-notice", "authorities:commissioner-decision")
    },
    "authorities:external-authority": Route(
        frozenset({"gatekeeper", "senior authorising officer", "member"}),
        kwargs=case_kwargs("draft"),
        denied_status=frozenset({403, 404}),
    ),
    **{
        key: Route(
            frozenset({"senior authorising officer"}),
            kwargs=case_kwargs("granted", "directed-surveillance"),
            denied_status=frozenset({403, 404}),
        )
        for key in (
            "authorities:review",
            "authorities:renew",
            "authorities:vary",
            "authorities:cancel",
        )
    },
    # Nothing is waiting to be recovered, so the page sends the person back to the case.
    "authorities:equipment-recovered": Route(
        frozenset({"gatekeeper", "senior authorising officer", "member"}),
        kwargs=case_kwargs("granted", "directed-surveillance"),
        allowed_status=frozenset({302}),
        denied_status=frozenset({403, 404}),
    ),
    # Imports of the central record: the gatekeeper, who also oversees every operation.
    "oversight:import-start": Route(frozenset({"gatekeeper"}), denied_status=frozenset({403})),
    "oversight:import-detail": Route(
        frozenset({"gatekeeper"}), kwargs=lambda world: {"import_id": world["import"].pk}
    ),
    # The file contains no readable register, so the allowed response is the page with its error.
    "oversight:import-confirm": Route(
        frozenset({"gatekeeper"}),
        method="post",
        kwargs=lambda world: {"import_id": world["import"].pk},
        allowed_status=frozenset({302, 400}),
    ),
    # Sources: oversee-all roles, the team, the source's handler and controller, the registrar.
    "assets:source-list": Route(SOURCE_VIEWERS, denied_status=frozenset({403})),
    "assets:source-detail": Route(
        SOURCE_VIEWERS, kwargs=lambda world: {"source_id": world["source"].pk}
    ),
    # A source's status changes only by the source registrar: 403 for others who see it.
    "assets:source-status": Route(
        frozenset({"source registrar"}),
        kwargs=lambda world: {"source_id": world["source"].pk},
        denied_status=frozenset({403, 404}),
    ),
    # Operations and their teams: the oversee-all roles and the team.
    "operations:list": Route(OVERSEE_ALL | {"member"}, denied_status=frozenset({403})),
    "operations:detail": Route(OVERSEE_ALL | {"member"}, kwargs=_operation_id),
    # A team changes only by its SIO or a non-read-only oversee-all role; an empty form
    # redirects back with its error.
    "operations:team-add": Route(
        TEAM_MANAGERS,
        method="post",
        kwargs=_operation_id,
        allowed_status=frozenset({302}),
        denied_status=frozenset({403, 404}),
    ),
    "operations:team-remove": Route(
        TEAM_MANAGERS,
        method="post",
        kwargs=lambda world: {**_operation_id(world), "user_id": world["user"].pk},
        allowed_status=frozenset({302}),
        denied_status=frozenset({403, 404}),
    ),
    # The asset register, bookings and deployments.
    "asset-register:list": Route(DEPLOYMENT_USERS, denied_status=frozenset({403})),
    "asset-register:detail": Route(
        DEPLOYMENT_USERS, kwargs=lambda world: {"asset_id": _matrix_asset(world)}
    ),
    "asset-register:book": Route(
        DEPLOYMENT_USERS, kwargs=lambda world: {"asset_id": _matrix_asset(world)}
    ),
    # Registering and changing assets: the unit manager who keeps that kind. No persona
    # manages equipment (the technical unit manager's tests are in tests/integration/assets),
    # so the custody page is denied to all of them.
    "asset-register:register": Route(
        frozenset({"undercover unit manager"}),
        kwargs=lambda world: {"kind": "undercover-officer"},
        denied_status=frozenset({403}),
    ),
    "asset-register:custody-add": Route(
        frozenset(),
        kwargs=lambda world: {"asset_id": _matrix_asset(world)},
        denied_status=frozenset({403, 404}),
    ),
    "asset-register:status": Route(
        frozenset({"undercover unit manager"}),
        kwargs=lambda world: {"asset_id": _matrix_officer(world)},
        denied_status=frozenset({403, 404}),
    ),
    "asset-register:uco-roster": Route(ROSTER_VIEWERS, denied_status=frozenset({403})),
    "asset-register:uco-roster-export": Route(ROSTER_VIEWERS, denied_status=frozenset({403})),
    "deployments:now": Route(DEPLOYMENT_USERS, denied_status=frozenset({403})),
    "deployments:lookup": Route(DEPLOYMENT_USERS, denied_status=frozenset({403})),
    "deployments:recovery-list": Route(DEPLOYMENT_USERS, denied_status=frozenset({403})),
    "deployments:recovery-detail": Route(
        OVERSEE_ALL | {"member"}, kwargs=lambda world: {"task_id": _matrix_recovery_task(world)}
    ),
    "deployments:deploy": Route(
        OPERATION_ACTORS, kwargs=lambda world: {"booking_id": _matrix_booking(world)}
    ),
    # Reviews of long-running undercover deployments: listed for anyone who may use the
    # deployment pages, closed by a senior officer who sees the operation (403 for others who
    # see it, 404 for the rest).
    "deployments:review-list": Route(DEPLOYMENT_USERS, denied_status=frozenset({403})),
    "deployments:review-close": Route(
        frozenset({"senior authorising officer", "senior responsible officer"}),
        kwargs=lambda world: {"trigger_id": _matrix_review_trigger(world)},
        denied_status=frozenset({403, 404}),
    ),
    "api:asset-booking-create": _api(
        DEPLOYMENT_USERS,
        method="post",
        kwargs=lambda world: {"asset_id": _matrix_asset(world)},
        allowed_status=frozenset({400, 422}),
        denied_status=frozenset({403}),
    ),
    "api:booking-deployment-create": _api(
        DEPLOYMENT_USERS,
        method="post",
        kwargs=lambda world: {"booking_id": _matrix_booking(world)},
        allowed_status=frozenset({400, 422}),
        denied_status=frozenset({403}),
    ),
    "api:deployments-now": _api(DEPLOYMENT_USERS, denied_status=frozenset({403})),
    "api:authorised-now": _api(
        DEPLOYMENT_USERS, allowed_status=frozenset({422}), denied_status=frozenset({403})
    ),
    "api:recovery-task-record": _api(
        DEPLOYMENT_USERS,
        method="post",
        kwargs=lambda world: {"task_id": _matrix_recovery_task(world)},
        allowed_status=frozenset({400, 422}),
        denied_status=frozenset({403}),
    ),
    # The relevant errors register: seen by the compliance roles and the operation's team,
    # changed by the gatekeeper and the senior responsible officer. A step page answers 403
    # to someone who sees the error read-only and 404 to everyone else.
    "errors:list": Route(ERROR_VIEWERS, denied_status=frozenset({403})),
    "errors:detail": Route(ERROR_VIEWERS, kwargs=error_id),
    "errors:new": Route(ERROR_MANAGERS, denied_status=frozenset({403})),
    **{
        key: Route(ERROR_MANAGERS, kwargs=error_id, denied_status=frozenset({403, 404}))
        for key in (
            "errors:confirm",
            "errors:dismiss",
            "errors:report",
            "errors:decision",
            "errors:close",
        )
    },
    "api:relevant-error-list": _api(ERROR_VIEWERS, denied_status=frozenset({403})),
    "api:relevant-error-detail": _api(ERROR_VIEWERS, kwargs=error_id),
    # Closing a candidate is an invalid step (422) for a manager, and the access check comes
    # first for everyone else.
    "api:relevant-error-close": _api(
        ERROR_MANAGERS,
        method="post",
        kwargs=error_id,
        allowed_status=frozenset({422}),
        denied_status=frozenset({403, 404}),
    ),
    # The test client sends a form body, which the JSON schema rejects before the access
    # check for anyone who may see operational content; the errors tests send JSON per role.
    **{
        key: _api(
            _everyone() - {"administrator"},
            method="post",
            kwargs=error_id,
            allowed_status=frozenset({400, 422}),
            denied_status=frozenset({404}),
        )
        for key in (
            "api:relevant-error-confirm",
            "api:relevant-error-dismiss",
            "api:relevant-error-report",
            "api:relevant-error-decision",
        )
    },
    # Source records, risk and deconfliction. Records and reports follow the sources a
    # person may see; writing is for the source's own handler and controller. Each side of
    # a deconfliction case is its operation's team; resolving is for a deconfliction officer.
    "sources:records": Route(SOURCE_VIEWERS, kwargs=lambda world: {"source_id": world["source"].pk}),
    "sources:contact-add": Route(
        frozenset({"handler", "controller"}),
        kwargs=lambda world: {"source_id": world["source"].pk},
        denied_status=frozenset({403, 404}),
    ),
    "sources:reports": Route(SOURCE_VIEWERS, denied_status=frozenset({403})),
    "risk:register": Route(SOURCE_VIEWERS, denied_status=frozenset({403})),
    "risk:detail": Route(
        SOURCE_VIEWERS, kwargs=lambda world: {"assessment_id": __import__("tests.integration.sources.matrix_world", fromlist=["case"]).assessment(world).pk}
    ),
    "deconfliction:case-list": Route(OVERSEE_ALL | {"member"}, denied_status=frozenset({403})),
    "deconfliction:case-detail": Route(
        OVERSEE_ALL | {"member"}, kwargs=lambda world: {"case_id": __import__("tests.integration.sources.matrix_world", fromlist=["case"]).case(world).pk}
    ),
    "deconfliction:case-resolve": Route(
        frozenset(),
        kwargs=lambda world: {"case_id": __import__("tests.integration.sources.matrix_world", fromlist=["case"]).case(world).pk},
        denied_status=frozenset({403, 404}),
    ),
    "deconfliction:identifier-add": Route(frozenset({"member"}), denied_status=frozenset({403})),
    # The source record forms: the source's own handler and controller, 403 for others who
    # see the source. A payment is decided by a controller or a more senior approver.
    **{
        key: Route(
            frozenset({"handler", "controller"}),
            kwargs=lambda world: {"source_id": world["source"].pk},
            denied_status=frozenset({403, 404}),
        )
        for key in (
            "sources:tasking-add",
            "sources:payment-add",
            "sources:welfare-add",
            "sources:triage-add",
        )
    },
    "sources:payment-decide": Route(
        frozenset({"controller", "senior authorising officer", "senior responsible officer"}),
        kwargs=lambda world: {"payment_id": _matrix_world().payment(world).pk},
        denied_status=frozenset({403, 404}),
    ),
    # Risk forms: the source's handler and controller and the senior responsible officer
    # write the world's source assessment; a high risk is accepted by the senior officers.
    "risk:create": Route(RISK_WRITERS, denied_status=frozenset({403})),
    "risk:revise": Route(
        RISK_WRITERS,
        kwargs=lambda world: {"assessment_id": _matrix_world().assessment(world).pk},
        denied_status=frozenset({403, 404}),
    ),
    "risk:accept": Route(
        frozenset({"senior authorising officer", "senior responsible officer"}),
        kwargs=lambda world: {"assessment_id": _matrix_world().assessment(world).pk},
        denied_status=frozenset({403, 404}),
    ),
    # The accounts and roles site, which shows no operational content.
    "admin:index": _admin(),
    "admin:login": Route(_everyone(), allowed_status=frozenset({302})),
    "admin:logout": _admin(frozenset({302}), method="post"),
    "admin:password_change": _admin(),
    "admin:password_change_done": _admin(),
    "admin:autocomplete": _admin(frozenset({403})),
    "admin:jsi18n": _admin(),
    # Django's redirect to an object's page on the site; an unknown content type is a 404.
    "admin:view_on_site": _admin(
        frozenset({404}), kwargs=lambda world: {"content_type_id": "0", "object_id": "0"}
    ),
    "admin:app_list": Route(
        ADMINISTRATORS, kwargs=lambda world: {"app_label": "access"}, denied_status=frozenset({403})
    ),
    "admin:access_user_changelist": _admin(),
    "admin:access_user_add": _admin(),
    "admin:access_user_history": _admin(kwargs=_user_id),
    "admin:access_user_delete": _admin(frozenset({200, 403}), kwargs=_user_id),
    "admin:access_user_change": _admin(kwargs=_user_id),
    "admin:auth_user_password_change": _admin(kwargs=lambda world: {"id": world["user"].pk}),
    "admin:axes_accessattempt_changelist": _admin(),
    "admin:axes_accessattempt_add": _admin(frozenset({403})),
    "admin:axes_accessattempt_history": _admin(frozenset({302}), kwargs=_user_id),
    "admin:axes_accessattempt_delete": _admin(frozenset({302}), kwargs=_user_id),
    "admin:axes_accessattempt_change": _admin(frozenset({302}), kwargs=_user_id),
    # Unnamed admin routes, by pattern: the old object URLs redirect to the change page, and
    # the catch-all returns 404 to administrators and 403 to everyone else.
    "admin/access/user/<path:object_id>/": _admin(frozenset({301, 302}), kwargs=_user_id),
    "admin/axes/accessattempt/<path:object_id>/": _admin(frozenset({301, 302}), kwargs=_user_id),
    "admin/(?P<url>.*)$": _admin(frozenset({404}), kwargs=lambda world: {"url": "no-such-page/"}),
    # The JSON API: the same policy as the pages, with a bearer token instead of a session.
    "api:api-root": _api(_everyone(), allowed_status=frozenset({404})),
    "api:openapi-json": _api(_everyone()),
    # Open to anyone with a live role. The lapsed inspector has none.
    "api:law-deadlines": _api(
        _everyone() - {"lapsed inspector"},
        allowed_status=frozenset({200, 400, 422}),
        denied_status=frozenset({403}),
    ),
    "api:authorisation-list": _api(OVERSEE_ALL | {"member"}, denied_status=frozenset({403})),
    "api:authorisation-detail": _api(
        OVERSEE_ALL | {"member"}, kwargs=lambda world: {"authorisation_id": world["record"].pk}
    ),
    "api:central-record-import-create": _api(
        frozenset({"gatekeeper"}),
        method="post",
        allowed_status=frozenset({400, 422}),
        denied_status=frozenset({403}),
    ),
    "api:central-record-import-confirm": _api(
        frozenset({"gatekeeper"}),
        method="post",
        kwargs=lambda world: {"import_id": world["import"].pk},
        allowed_status=frozenset({200, 400, 422}),
    ),
    # The lifecycle: anyone with a live role who may see operational content may call the
    # creating endpoints (the action then checks role and rank); a step on one application or
    # authorisation is open to those who see its operation, and the body sent here is invalid.
    **{
        key: _api(
            _everyone() - {"administrator", "lapsed inspector"},
            method="post",
            allowed_status=frozenset({400, 422}),
            denied_status=frozenset({403}),
        )
        for key in ("api:application-create", "api:external-authority-create")
    },
    **{
        key: _api(
            OVERSEE_ALL | {"member"},
            kwargs=lambda world: {"application_id": an_application_in(world["operation"])},
        )
        for key in ("api:application-detail", "api:application-deadlines")
    },
    "api:application-draft": _api(
        OVERSEE_ALL | {"member"},
        method="put",
        kwargs=lambda world: {"application_id": an_application_in(world["operation"])},
        allowed_status=frozenset({400, 403, 409, 422}),
    ),
    **{
        key: _api(
            OVERSEE_ALL | {"member"},
            method="post",
            kwargs=lambda world: {"application_id": an_application_in(world["operation"])},
            allowed_status=frozenset({400, 422}),
        )
        for key in (
            "api:application-submit",
            "api:application-accept",
            "api:application-return",
            "api:application-grant",
            "api:application-refuse",
            "api:application-oral-grant",
            "api:application-written-grant",
            "api:application-commissioner-notice",
            "api:application-commissioner-decision",
        )
    },
    **{
        key: _api(
            OVERSEE_ALL | {"member"},
            method="post",
            kwargs=lambda world: {"authorisation_id": world["record"].pk},
            allowed_status=frozenset({400, 422}),
        )
        for key in (
            "api:authorisation-review",
            "api:authorisation-renew",
            "api:authorisation-vary",
            "api:authorisation-cancel",
            "api:authorisation-equipment-recovered",
        )
    },
    "api:source-records": _api(SOURCE_VIEWERS, kwargs=lambda world: {"source_id": world["source"].pk}),
    "api:source-reports": _api(SOURCE_VIEWERS, denied_status=frozenset({403})),
    "api:risk-register": _api(SOURCE_VIEWERS, denied_status=frozenset({403})),
    "api:risk-assessment-detail": _api(
        SOURCE_VIEWERS, kwargs=lambda world: {"assessment_id": __import__("tests.integration.sources.matrix_world", fromlist=["case"]).assessment(world).pk}
    ),
    "api:deconfliction-case-list": _api(OVERSEE_ALL | {"member"}, denied_status=frozenset({403})),
    "api:deconfliction-case-detail": _api(
        OVERSEE_ALL | {"member"}, kwargs=lambda world: {"case_id": __import__("tests.integration.sources.matrix_world", fromlist=["case"]).case(world).pk}
    ),
    "api:deconfliction-case-resolve": _api(
        frozenset(),
        method="post",
        kwargs=lambda world: {"case_id": __import__("tests.integration.sources.matrix_world", fromlist=["case"]).case(world).pk},
        denied_status=frozenset({403}),
    ),
    # The writing endpoints check the record after reading the body, so an empty body is
    # rejected (400 or 422) for everyone who may see operational content at all.
    **{
        name: _api(
            _everyone() - {"administrator"},
            method="post",
            kwargs=kwargs,
            allowed_status=frozenset({400, 422}),
            denied_status=frozenset({403, 404}),
        )
        for name, kwargs in (
            ("api:source-contact-create", lambda world: {"source_id": world["source"].pk}),
            ("api:source-tasking-create", lambda world: {"source_id": world["source"].pk}),
            ("api:source-payment-create", lambda world: {"source_id": world["source"].pk}),
            ("api:source-triage-create", lambda world: {"source_id": world["source"].pk}),
            ("api:source-payment-decide", lambda world: {"payment_id": 999_999}),
            ("api:risk-assessment-create", lambda world: {}),
            ("api:risk-assessment-revise", lambda world: {"assessment_id": 999_999}),
            ("api:risk-assessment-accept", lambda world: {"assessment_id": 999_999}),
            ("api:deconfliction-identifier-add", lambda world: {}),
        )
    },
}


def _walk(
    patterns: list[Any], namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """Yield (key, pattern text, pattern) for every route, descending into includes."""
    for pattern in patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from _walk(pattern.url_patterns, inner, text)
            continue
        if pattern.name:
            key = f"{namespace}:{pattern.name}" if namespace else pattern.name
        else:
            key = text
        yield key, text, pattern


def _all_routes() -> dict[str, str]:
    return {key: text for key, text, _ in _walk(get_resolver().url_patterns)}


def test_every_route_is_in_the_matrix() -> None:
    missing = sorted(
        f"{key} ({text})"
        for key, text in _all_routes().items()
        if key not in MATRIX and key not in PUBLIC
    )
    assert not missing, f"routes with no row in the access matrix: {', '.join(missing)}"


def test_matrix_lists_no_route_that_is_gone() -> None:
    routes = _all_routes()
    stale = sorted(key for key in MATRIX if key not in routes)
    if not any(key.startswith("api:") for key in routes):
        stale = [key for key in stale if not key.startswith("api:")]
    assert not stale, f"rows for routes that no longer exist: {', '.join(stale)}"


@pytest.fixture
def world(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Build the one setup every case shares: an operation with a record and a source."""
    persona_name = request.node.callspec.params["persona"]
    persona = PERSONAS[persona_name]
    user = persona.make()
    operation = make_operation(OUR_OPERATION)
    if persona.member:
        OperationMembership.objects.create(operation=operation, user=user)
    world: dict[str, Any] = {
        "user": user,
        "operation": operation,
        "record": make_record(operation),
        "import": CentralRecordImport.objects.create(
            file_name="register.csv",
            sha256="0" * 64,
            content=b"x",
            as_at="2024-03-31",
            state="previewed",
            report={"records": [], "skipped": []},
        ),
    }
    world["source"] = make_source(
        operation,
        handler=user if persona_name == "handler" else None,
        controller=user if persona_name == "controller" else None,
    )
    return world


def _url(key: str, route: Route, world: dict[str, Any]) -> str:
    if ":" in key and "/" not in key:
        return reverse(key, kwargs=route.kwargs(world))
    # An unnamed route: fill its one parameter into the pattern text.
    kwargs = route.kwargs(world)
    path = key.replace("(?P<url>.*)$", kwargs.get("url", ""))
    for name, value in kwargs.items():
        path = path.replace(f"<path:{name}>", str(value))
    return "/" + path


@pytest.mark.parametrize("persona", sorted(PERSONAS))
@pytest.mark.parametrize("key", sorted(MATRIX))
def test_route_access(client: Client, world: dict[str, Any], key: str, persona: str) -> None:
    route = MATRIX[key]
    if route.api and key not in _all_routes():
        pytest.skip("the API is not mounted in the URL configuration")
    if route.api:
        response = _api_request(key, route, world)
    else:
        client.force_login(world["user"])
        response = getattr(client, route.method)(_url(key, route, world))
    if persona in route.allowed:
        assert response.status_code in route.allowed_status, f"{persona} allowed on {key}"
    else:
        assert response.status_code in route.denied_status, f"{persona} denied on {key}"


def _api_request(key: str, route: Route, world: dict[str, Any]) -> Any:
    from django.utils import timezone

    from cpmp.api.actions import create_token
    from cpmp.audit.actions import COMMAND_LINE_SOURCE, SystemActor

    user = world["user"]
    if not user.is_active:
        pytest.skip("an inactive person cannot hold an API token")
    issued = create_token(
        user,
        name="access matrix",
        now=timezone.now(),
        acting_user=SystemActor.COMMAND_LINE,
        source=COMMAND_LINE_SOURCE,
    )
    request = getattr(Client(), route.method)
    path = _url(key, route, world)
    response = request(path, route.data, HTTP_AUTHORIZATION=f"Bearer {issued.token}")
    if response.status_code == 302 and response["Location"].startswith(reverse("web:login")):
        pytest.skip("LoginRequiredMiddleware redirects /api/ to the sign-in page")
    return response


@pytest.mark.parametrize(
    "key", sorted(key for key, route in MATRIX.items() if key != "admin:login" and not route.api)
)
def test_route_needs_sign_in(client: Client, key: str) -> None:
    route = MATRIX[key]
    world = {"user": PERSONAS["member"].make()}
    path = _url(key, route, _placeholders(world))
    response = getattr(Client(), route.method)(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def _placeholders(world: dict[str, Any]) -> dict[str, Any]:
    """Stand in for the shared setup with ids that name nothing, for signed-out requests."""

    class Missing:
        pk = 999_999

    return {**world, "record": Missing, "import": Missing, "source": Missing}
