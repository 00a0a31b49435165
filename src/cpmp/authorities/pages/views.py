"""The list of applications, starting one, editing the draft, and the case page."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cpmp.access.compartments import (
    audit_list_view,
    can_view_operation,
    visible_authorisations,
    visible_operations,
    visible_sources,
)
from cpmp.access.models import User
from cpmp.access.roles import Role
from cpmp.assets.models import Source
from cpmp.law.kinds import AuthorityKind
from cpmp.operations.models import Operation
from cpmp.web.pagination import pagination_links
from cpmp.web.views import forbidden

from .. import actions
from ..deadlines import deadlines_at
from ..errors import ApplicationInvalid, NotPermitted, StaleVersion
from ..models import ApplicationState, Authorisation, DocumentType
from ..selectors import with_status
from . import access
from .common import (
    RowMap,
    StepPage,
    action_errors,
    form_errors,
    formset_errors,
    load_case,
    signed_in,
    stale_message,
)
from .forms import ApplicationForm, StartForm, conduct_formset

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
DEADLINE_LABELS = {
    "review": "Review",
    "expiry": "Expiry",
    "written-record": "Written record of the oral grant",
    "commissioner-notice": "Notice to a Judicial Commissioner",
    "commissioner-approval": "Judicial Commissioner's approval",
    "equipment-recovery": "Equipment to recover",
}
# How far ahead the case page lists deadlines.
DEADLINE_HORIZON = timedelta(days=366)


def application_list(request: HttpRequest) -> HttpResponse:
    """List the applications in the operations the person may see, newest change first."""
    now = timezone.now()
    if not access.can_open_applications(request.user, now):
        return forbidden(request)
    applications = (
        access.visible_applications(request.user, now)
        .select_related("operation")
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_list_view(
        request, object_type="application_list", row_count=page.paginator.count, now=now
    )
    return render(
        request,
        "authorities/lifecycle/list.html",
        {
            "page": page,
            "pagination": pagination_links(page, request.GET),
            "can_start": access.can_start_application(request.user, now),
            "can_record_external": access.can_start_application(request.user, now)
            or access.may_record_commissioner_steps(request.user, now),
        },
    )


def application_start(request: HttpRequest) -> HttpResponse:
    """Ask for the operation, the powers and the urgency, then create the draft."""
    now = timezone.now()
    if not access.can_start_application(request.user, now):
        return forbidden(request)
    user = request.user
    operations = [
        operation
        for operation in visible_operations(user, now).order_by("name")
        if can_view_operation(user, operation, now)
    ]
    sources = visible_sources(user, now).order_by("reference")
    chis_rows = visible_authorisations(user, now).filter(
        kind__in=[AuthorityKind.CHIS.value, AuthorityKind.JUVENILE_CHIS.value],
        application__isnull=False,
    )

    def build(data: Any = None) -> StartForm:
        return StartForm(data, operations=operations, sources=sources, chis_rows=chis_rows)

    if request.method != "POST":
        return _render_start(request, build(), [])
    form = build(request.POST)
    if not form.is_valid():
        return _render_start(request, form, form_errors(form), status=400)
    data = form.cleaned_data
    errors = []
    if not data["operation"]:
        errors.append(("id_operation", "Select the operation the application is for"))
    if data["urgent"] not in ("yes", "no"):
        errors.append(("id_urgent", "Select whether the application is urgent"))
    if errors:
        for field_id, message in errors:
            form.add_error(field_id[3:], message)
        return _render_start(request, form, errors, status=400)
    try:
        application = actions.create_application(
            acting_user=signed_in(request),
            operation=Operation.objects.get(pk=data["operation"]),
            kinds=data["kinds"],
            reference=data["reference"],
            urgent=data["urgent"] == "yes",
            source=Source.objects.get(pk=data["source"]) if data["source"] else None,
            chis_authorisation=(
                Authorisation.objects.get(pk=data["chis_authorisation"])
                if data["chis_authorisation"]
                else None
            ),
        )
    except (ApplicationInvalid, NotPermitted) as error:
        return _render_start(request, form, action_errors(error, form), status=400)
    messages.success(request, "Application started. Fill in each section, then submit it")
    return redirect("authorities:application-edit", application_id=application.pk)


def _render_start(
    request: HttpRequest, form: StartForm, errors: list[tuple[str, str]], status: int = 200
) -> HttpResponse:
    return render(
        request,
        "authorities/lifecycle/start.html",
        {"form": form, "errors": errors},
        status=status,
    )


def _people(now: Any) -> dict[str, list[User]]:
    """Return the people who may be named as handler, controller and records officer."""

    def holding(*roles: str) -> list[User]:
        return list(
            User.objects.filter(is_active=True, role_assignments__role__in=roles)
            .distinct()
            .order_by("last_name", "first_name")
        )

    return {
        "handler": holding(Role.HANDLER),
        "controller": holding(Role.CONTROLLER),
        "records": holding(Role.CONTROLLER, Role.SOURCE_REGISTRAR),
    }


def application_edit(request: HttpRequest, application_id: int) -> HttpResponse:
    """Edit the draft section by section; save it, or save and submit it."""
    now, application = load_case(request, application_id)
    if not access.may_edit(request.user, application, now):
        if request.user.pk == application.applicant_id:
            messages.error(request, "You can change the application only while it is a draft")
            return redirect("authorities:case", application_id=application.pk)
        return forbidden(request)
    people = _people(now)

    def build(data: Any = None) -> ApplicationForm:
        return ApplicationForm(
            data,
            kinds=application.authority_kinds,
            urgent=application.urgent,
            returned=application.state == ApplicationState.RETURNED,
            people=people,
            content=None if data is not None else application.content,
            initial={"version": application.version},
        )

    def build_formset(data: Any = None) -> Any:
        return conduct_formset(data, items=list(application.content.get("conduct") or []))

    page = StepPage(
        request,
        application,
        template="authorities/lifecycle/edit.html",
        build=build,
        context={
            "needs_source": _needs_missing_source(application),
            "returned_reasons": _returned_reasons(application),
        },
    )
    if request.method != "POST":
        return page.show(build(), formset=build_formset())

    form, formset = build(request.POST), build_formset(request.POST)
    if not (form.is_valid() & formset.is_valid()):
        errors = form_errors(form) + formset_errors(formset)
        return page.show(form, formset=formset, errors=errors, status=400)
    content = form.content()
    items, rows = formset.items()
    content["conduct"] = items
    try:
        actions.save_draft(
            application,
            acting_user=signed_in(request),
            expected_version=form.cleaned_data["version"],
            content=content,
        )
    except StaleVersion as error:
        application.refresh_from_db()
        return page.show(
            build(),
            formset=build_formset(),
            errors=[("", stale_message(error))],
            status=409,
        )
    if request.POST.get("action") != "submit":
        messages.success(request, "Draft saved")
        return redirect("authorities:application-edit", application_id=application.pk)

    # The draft is saved, so the page shown after a failed submission carries the new version.
    data = request.POST.copy()
    data["version"] = str(application.version)
    form, formset = build(data), build_formset(data)
    form.is_valid()
    formset.is_valid()
    return page.run(
        form,
        lambda: actions.submit_application(
            application,
            acting_user=signed_in(request),
            expected_version=application.version,
            amendment_reason=str(request.POST.get("amendment_reason", "")),
        ),
        success="Application submitted to the Central Authorities Bureau",
        row_map=RowMap(formset, rows),
        rebuild=lambda: {"formset": build_formset()},
        extra={"formset": formset},
    )


def _returned_reasons(application: Any) -> str:
    """Return the gatekeeper's reasons when the application is back for amendment."""
    if application.state != ApplicationState.RETURNED:
        return ""
    check = (
        application.documents.filter(document_type=DocumentType.GATEKEEPER_CHECK)
        .order_by("-created_at", "-pk")
        .first()
    )
    return str(check.content.get("reasons", "")) if check else ""


def _needs_missing_source(application: Any) -> bool:
    from .forms import needs_source

    return needs_source(application.authority_kinds) and application.source_id is None


def case(request: HttpRequest, application_id: int) -> HttpResponse:
    """Show the whole case: the application, every document version, the events, each power
    with its own status, the deadlines and the steps the person may take."""
    now, application = load_case(request, application_id)
    user = request.user
    powers = list(with_status(application.authorisations.all(), now).order_by("pk"))
    documents = list(application.documents.select_related("author").order_by("created_at", "pk"))
    events = list(
        application.events.select_related("actor", "document").order_by("occurred_at", "pk")
    )

    # NOTE: deadlines_at reads every live authorisation, so this page's cost grows with the
    # register; a per-application read in the deadlines module would remove that.
    deadlines = [
        {"label": DEADLINE_LABELS.get(deadline.kind, deadline.kind), "deadline": deadline}
        for deadline in deadlines_at(now, within=DEADLINE_HORIZON)
        if deadline.application_id == application.pk
    ]

    oral_outstanding = [row for row in powers if "written_record_outstanding" in row.findings]
    latest_check = next(
        (
            document
            for document in reversed(documents)
            if document.document_type == DocumentType.GATEKEEPER_CHECK
        ),
        None,
    )
    warnings = (latest_check.content.get("similarity_warnings") or []) if latest_check else []

    decides = access.may_decide(user, now)
    return render(
        request,
        "authorities/lifecycle/case.html",
        {
            "application": application,
            "kinds": [kind.label for kind in application.authority_kinds],
            "powers": [_power_row(application, row, user, now, decides) for row in powers],
            "documents": [_document_row(document) for document in documents],
            "events": events,
            "deadlines": deadlines,
            "oral_outstanding": oral_outstanding,
            "warnings": warnings,
            "steps": _case_steps(application, user, now, bool(oral_outstanding), bool(powers)),
            "external_authorities": application.external_authorities.order_by("starts_on"),
        },
    )


def _power_row(application: Any, row: Authorisation, user: Any, now: Any, decides: bool) -> dict:
    from django.urls import reverse

    from ..actions.lifecycle import equipment_outstanding

    live = row.status == "live"  # type: ignore[attr-defined]
    links = []
    args = {"application_id": application.pk, "kind": row.kind}
    if decides and live:
        for name, text in (
            ("review", "Review"),
            ("renew", "Renew"),
            ("vary", "Vary"),
            ("cancel", "Cancel"),
        ):
            links.append({"text": text, "href": reverse(f"authorities:{name}", kwargs=args)})
    elif decides and row.state == "awaiting-approval" and not row.cancelled_from:
        links.append({"text": "Cancel", "href": reverse("authorities:cancel", kwargs=args)})
    outstanding = equipment_outstanding(row, now)
    if outstanding and access.may_record_equipment_recovered(user, application, now):
        links.append(
            {
                "text": "Record equipment recovered",
                "href": reverse("authorities:equipment-recovered", kwargs=args),
            }
        )
    return {
        "row": row,
        "label": AuthorityKind(row.kind).label if row.kind else "",
        "links": links,
        "equipment_outstanding": outstanding,
        "conduct": list(row.conduct.order_by("pk")),
    }


def _case_steps(
    application: Any, user: Any, now: Any, oral_outstanding: bool, granted: bool
) -> list[dict[str, str]]:
    from django.urls import reverse

    args = {"application_id": application.pk}
    steps = []

    def offer(name: str, text: str) -> None:
        steps.append({"text": text, "href": reverse(f"authorities:{name}", kwargs=args)})

    state = application.state
    if access.may_edit(user, application, now):
        offer("application-edit", "Continue the application")
    if state == ApplicationState.SUBMITTED and access.may_gatekeep(user, application, now):
        offer("gatekeep", "Check the application")
    if state == ApplicationState.WITH_AUTHORISING_OFFICER and access.may_decide(user, now):
        offer("decide", "Decide the application")
    if access.undecided(application) and access.may_record_oral_grant(user, application, now):
        offer("oral-grant", "Record an urgent oral grant")
    if oral_outstanding and access.may_decide(user, now):
        offer("written-grant", "Make the written record of the oral grant")
    if granted and access.may_record_commissioner_steps(user, now):
        offer("commissioner-notice", "Record a notice to a Judicial Commissioner")
        offer("commissioner-decision", "Record a Judicial Commissioner's decision")
    if access.may_record_commissioner_steps(user, now) or access.may_record_oral_grant(
        user, application, now
    ):
        offer("external-authority", "Record a Prison Rule 35A or prison-agreed authority")
    return steps


LABELS = {
    "kinds": "Powers",
    "source_id": "Source (id)",
    "chis_authorisation_id": "CHIS authorisation (id)",
    "application_document_id": "Application version decided (id)",
    "application_sha256": "SHA-256 of the application version decided",
}


def _document_row(document: Any) -> dict[str, Any]:
    rows = [
        {"key": LABELS.get(key, key.replace("_", " ").capitalize()), "value": _text(value)}
        for key, value in document.content.items()
    ]
    return {"document": document, "rows": rows}


def _text(value: object) -> str:
    if value is None or value == "":
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "\n".join(value) or "None"
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
