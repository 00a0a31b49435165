"""The pages for each step after submission: gatekeeping, decisions, Commissioner steps,
reviews, renewals, variations, cancellations, equipment recovery and external authorities.

Each page reads the case through the access policy (``Http404`` outside the person's
compartment), audits the read, offers the step only to the roles that may take it, and calls
one action with the version the person saw.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from cpmp.access.compartments import visible_operations
from cpmp.access.models import User
from cpmp.access.roles import Role
from cpmp.law.kinds import AuthorityKind
from cpmp.web.views import forbidden

from .. import actions
from ..actions.applications import repeated_text_warnings
from ..actions.lifecycle import equipment_outstanding
from ..content import CHIS_KINDS
from ..errors import ApplicationInvalid, NotPermitted
from ..models import (
    ApplicationState,
    ConductCategory,
    DocumentType,
    DocumentVersion,
    RecordState,
)
from ..selectors import with_status
from . import access
from .common import (
    RowMap,
    StepPage,
    action_errors,
    form_errors,
    formset_errors,
    load_case,
    not_now,
    signed_in,
)
from .forms import (
    CancellationForm,
    CommissionerDecisionForm,
    CommissionerNoticeForm,
    DecisionForm,
    EquipmentRecoveredForm,
    ExternalAuthorityForm,
    GatekeeperForm,
    OralGrantForm,
    RenewalForm,
    ReviewForm,
    VariationForm,
    WrittenGrantForm,
    conduct_formset,
)
from .views import _document_row

STEP = "authorities/lifecycle/step.html"


def _submitted_application(application: Any) -> dict[str, Any] | None:
    latest = application.documents.filter(document_key="application").order_by("-number").first()
    return _document_row(latest) if latest else None


def _people_holding(*roles: str) -> list[User]:
    return list(
        User.objects.filter(is_active=True, role_assignments__role__in=roles)
        .distinct()
        .order_by("last_name", "first_name")
    )


def gatekeep(request: HttpRequest, application_id: int) -> HttpResponse:
    """Record the Central Authorities Bureau's check: accept with notes or return with reasons."""
    now, application = load_case(request, application_id)
    if not access.may_gatekeep(request.user, application, now):
        return forbidden(request)
    if application.state != ApplicationState.SUBMITTED:
        return not_now(request, application, "Only a submitted application can be checked")

    def build(data: Any = None) -> GatekeeperForm:
        return GatekeeperForm(data, initial={"version": application.version})

    page = StepPage(
        request,
        application,
        template=STEP,
        build=build,
        context={
            "title": "Check the application",
            "submit": "Record your check",
            "submitted": _submitted_application(application),
            "similarity_warnings": [
                warning.as_json() for warning in repeated_text_warnings(application)
            ],
        },
    )
    form, response = page.read_form()
    if response is not None:
        return response
    outcome = form.cleaned_data["outcome"]
    if outcome not in ("accept", "return"):
        form.add_error("outcome", "Select whether you accept the application or return it")
        return page.show(form, errors=form_errors(form), status=400)
    version = form.cleaned_data["version"]
    if outcome == "accept":
        return page.run(
            form,
            lambda: actions.accept_application(
                application,
                acting_user=signed_in(request),
                expected_version=version,
                notes=form.cleaned_data["notes"],
            ),
            success="Application accepted and passed to an authorising officer",
        )
    return page.run(
        form,
        lambda: actions.return_for_amendment(
            application,
            acting_user=signed_in(request),
            expected_version=version,
            reasons=form.cleaned_data["reasons"],
        ),
        success="Application returned to the applicant for amendment",
    )


def decide(request: HttpRequest, application_id: int) -> HttpResponse:
    """Record the authorising officer's written grant or refusal."""
    now, application = load_case(request, application_id)
    if not access.may_decide(request.user, now):
        return forbidden(request)
    if application.state != ApplicationState.WITH_AUTHORISING_OFFICER:
        return not_now(
            request, application, "Only an application accepted by the gatekeeper can be decided"
        )

    def build(data: Any = None) -> DecisionForm:
        form = DecisionForm(data, initial={"version": application.version})
        if not application.urgent:
            del form.fields["urgency_reason"]
        return form

    page = StepPage(
        request,
        application,
        template=STEP,
        build=build,
        context={
            "title": "Decide the application",
            "submit": "Record your decision",
            "submitted": _submitted_application(application),
            "self_authorisation": request.user.pk
            in (application.applicant_id, application.operation.senior_investigating_officer_id),
        },
    )
    form, response = page.read_form()
    if response is not None:
        return response
    outcome = form.cleaned_data["outcome"]
    version = form.cleaned_data["version"]
    if outcome == "refuse":
        return page.run(
            form,
            lambda: actions.refuse_application(
                application,
                acting_user=signed_in(request),
                expected_version=version,
                reasons=form.cleaned_data["reasons"],
            ),
            success="Application refused",
        )
    if outcome != "grant":
        form.add_error("outcome", "Select whether you grant or refuse the application")
        return page.show(form, errors=form_errors(form), status=400)
    return page.run(
        form,
        lambda: actions.grant_application(
            application,
            acting_user=signed_in(request),
            expected_version=version,
            decision=form.decision(),
        ),
        success="Application granted. Each power is listed with its own status",
    )


def oral_grant(request: HttpRequest, application_id: int) -> HttpResponse:
    """Record an urgent oral grant, entered by the person the officer spoke to."""
    now, application = load_case(request, application_id)
    if not access.may_record_oral_grant(request.user, application, now):
        return forbidden(request)
    if not access.undecided(application):
        return not_now(request, application, "An oral grant can be recorded only before a decision")
    officers = _people_holding(Role.AUTHORISING_OFFICER, Role.SENIOR_AUTHORISING_OFFICER)

    def build(data: Any = None) -> OralGrantForm:
        return OralGrantForm(data, officers=officers, initial={"version": application.version})

    page = StepPage(
        request,
        application,
        template=STEP,
        build=build,
        context={
            "title": "Record an urgent oral grant",
            "submit": "Record the oral grant",
            "intro": (
                "Record the grant you were given orally, in the authorising officer's words. It "
                "lasts 72 hours from the time it was given, and the authorising officer must "
                "make a written record by the end of the next working day."
            ),
        },
    )
    form, response = page.read_form()
    if response is not None:
        return response
    officer = next(
        (user for user in officers if str(user.pk) == form.cleaned_data["authorising_officer"]),
        None,
    )
    granted_at = form.cleaned_data["granted_at"]
    if officer is None or not granted_at:
        if officer is None:
            form.add_error("authorising_officer", "Select the authorising officer who granted it")
        if not granted_at:
            form.add_error("granted_at", "Enter the date and time the grant was given")
        return page.show(form, errors=form_errors(form), status=400)
    from datetime import datetime

    return page.run(
        form,
        lambda: actions.record_oral_grant(
            application,
            acting_user=signed_in(request),
            expected_version=form.cleaned_data["version"],
            authorising_officer=officer,
            decision=form.decision(),
            at=datetime.fromisoformat(granted_at),
        ),
        success="Oral grant recorded. The written record is outstanding",
    )


def written_grant(request: HttpRequest, application_id: int) -> HttpResponse:
    """Record the written grant after an oral one, as a fresh grant or a renewal."""
    now, application = load_case(request, application_id)
    if not access.may_decide(request.user, now):
        return forbidden(request)
    rows = application.authorisations.only("findings")
    if not any("written_record_outstanding" in row.findings for row in rows):
        return not_now(request, application, "No oral grant is waiting for its written record")

    def build(data: Any = None) -> WrittenGrantForm:
        return WrittenGrantForm(data, initial={"version": application.version})

    page = StepPage(
        request,
        application,
        template=STEP,
        build=build,
        context={
            "title": "Make the written record of the oral grant",
            "submit": "Record the written grant",
            "submitted": _submitted_application(application),
        },
    )
    form, response = page.read_form()
    if response is not None:
        return response
    return page.run(
        form,
        lambda: actions.record_written_grant(
            application,
            acting_user=signed_in(request),
            expected_version=form.cleaned_data["version"],
            mode=form.cleaned_data["mode"],
            decision=form.decision(),
        ),
        success="Written record made. The oral grant is no longer outstanding",
    )


def commissioner_notice(request: HttpRequest, application_id: int) -> HttpResponse:
    now, application = load_case(request, application_id)
    if not access.may_record_commissioner_steps(request.user, now):
        return forbidden(request)
    powers = list(application.authorisations.order_by("pk"))
    if not powers:
        return not_now(request, application, "Notices are recorded once a power is granted")

    def build(data: Any = None) -> CommissionerNoticeForm:
        return CommissionerNoticeForm(data, powers=powers, initial={"version": application.version})

    page = StepPage(
        request,
        application,
        template=STEP,
        build=build,
        context={
            "title": "Record a notice to a Judicial Commissioner",
            "submit": "Record the notice",
        },
    )
    form, response = page.read_form()
    if response is not None:
        return response
    notice = form.mapping()
    kind = notice.pop("kind", "")
    return page.run(
        form,
        lambda: actions.record_commissioner_notice(
            application,
            acting_user=signed_in(request),
            expected_version=form.cleaned_data["version"],
            kind=kind,
            notice=notice,
        ),
        success="Notice recorded",
    )


def commissioner_decision(request: HttpRequest, application_id: int) -> HttpResponse:
    now, application = load_case(request, application_id)
    if not access.may_record_commissioner_steps(request.user, now):
        return forbidden(request)
    powers = list(application.authorisations.order_by("pk"))
    if not powers:
        return not_now(request, application, "Decisions are recorded once a power is granted")

    def build(data: Any = None) -> CommissionerDecisionForm:
        return CommissionerDecisionForm(
            data, powers=powers, initial={"version": application.version}
        )

    page = StepPage(
        request,
        application,
        template=STEP,
        build=build,
        context={
            "title": "Record a Judicial Commissioner's decision",
            "submit": "Record the decision",
            "intro": (
                "An approval takes effect when the authorising officer is told of it. A "
                "refusal or quashing ends the power when it is made, and you must say what "
                "happens to material already obtained."
            ),
        },
    )
    form, response = page.read_form()
    if response is not None:
        return response
    decision = form.mapping()
    kind = decision.pop("kind", "")
    outcome = decision.pop("outcome", "")
    return page.run(
        form,
        lambda: actions.record_commissioner_decision(
            application,
            acting_user=signed_in(request),
            expected_version=form.cleaned_data["version"],
            kind=kind,
            outcome=outcome,
            decision=decision,
        ),
        success="Commissioner's decision recorded",
    )


def _power_page(
    request: HttpRequest, application_id: int, kind: str
) -> tuple[Any, Any, Any, HttpResponse | None]:
    """Load the case and one power, and refuse people who may not change authorisations."""
    now, application = load_case(request, application_id)
    row = access.access_power(application, kind)
    (row,) = with_status(type(row).objects.filter(pk=row.pk), now)
    if not access.may_decide(request.user, now):
        return now, application, row, forbidden(request)
    return now, application, row, None


def review(request: HttpRequest, application_id: int, kind: str) -> HttpResponse:
    """Record a review of what changed since the last one, showing that review and its diff."""
    _, application, row, refused = _power_page(request, application_id, kind)
    if refused:
        return refused
    if row.status != "live":
        return not_now(request, application, "Only a live authorisation can be reviewed")
    chis = kind in {value.value for value in CHIS_KINDS}
    previous = (
        DocumentVersion.objects.filter(
            application=application,
            document_type=DocumentType.REVIEW,
            document_key__startswith=f"review-{kind}-",
        )
        .order_by("-created_at", "-pk")
        .first()
    )

    def build(data: Any = None) -> ReviewForm:
        return ReviewForm(data, chis=chis, initial={"version": application.version})

    page = StepPage(
        request,
        application,
        template=STEP,
        build=build,
        context={
            "title": f"Review: {AuthorityKind(kind).label}",
            "submit": "Record the review",
            "power": row,
            "previous_review": previous,
            "intro": (
                "Say what changed since the last review. A review that restates the "
                "application is flagged to the authorising officer."
            ),
        },
    )
    form, response = page.read_form()
    if response is not None:
        return response
    return page.run(
        form,
        lambda: actions.record_review(
            row,
            acting_user=signed_in(request),
            expected_version=form.cleaned_data["version"],
            review=form.mapping(),
        ),
        success="Review recorded",
    )


def renew(request: HttpRequest, application_id: int, kind: str) -> HttpResponse:
    _, application, row, refused = _power_page(request, application_id, kind)
    if refused:
        return refused
    if row.status != "live":
        return not_now(request, application, "Only a live authorisation can be renewed")
    notes = []
    if kind in {value.value for value in CHIS_KINDS}:
        notes.append(
            "A source's authorisation can be renewed only after a review since its last grant "
            "or renewal (RIPA section 43(6) and (7))."
        )
    if kind == AuthorityKind.EQUIPMENT_INTERFERENCE.value:
        notes.append(
            "A warrant can be renewed only in the 30 days ending with its last day (Investigatory "
            "Powers Act 2016 section 117)."
        )

    def build(data: Any = None) -> RenewalForm:
        return RenewalForm(data, initial={"version": application.version})

    page = StepPage(
        request,
        application,
        template=STEP,
        build=build,
        context={
            "title": f"Renew: {AuthorityKind(kind).label}",
            "submit": "Renew the authorisation",
            "power": row,
            "notes": notes,
        },
    )
    form, response = page.read_form()
    if response is not None:
        return response
    return page.run(
        form,
        lambda: actions.renew_authorisation(
            row,
            acting_user=signed_in(request),
            expected_version=form.cleaned_data["version"],
            renewal=form.mapping(),
        ),
        success="Authorisation renewed",
    )


def vary(request: HttpRequest, application_id: int, kind: str) -> HttpResponse:
    """Record a variation that adds or withdraws items, signed off by an authorising officer."""
    _, application, row, refused = _power_page(request, application_id, kind)
    if refused:
        return refused
    if row.status != "live":
        return not_now(request, application, "Only a live authorisation can be varied")
    items = list(row.conduct.in_force().order_by("pk"))

    def build(data: Any = None) -> VariationForm:
        return VariationForm(data, items=items, initial={"version": application.version})

    def build_formset(data: Any = None) -> Any:
        return conduct_formset(data, items=[], prefix="add", blank_rows=3)

    page = StepPage(
        request,
        application,
        template=STEP,
        build=build,
        context={
            "title": f"Vary: {AuthorityKind(kind).label}",
            "submit": "Sign off the variation",
            "power": row,
            "intro": (
                "Your sign-off is checked as if you were granting the power: you must hold a "
                "rank that may authorise it."
            ),
        },
    )
    if request.method != "POST":
        return page.show(build(), formset=build_formset(), formset_heading="Items to add")
    form, formset = build(request.POST), build_formset(request.POST)
    if not (form.is_valid() & formset.is_valid()):
        errors = form_errors(form) + formset_errors(formset)
        return page.show(
            form, formset=formset, formset_heading="Items to add", errors=errors, status=400
        )
    additions, rows = formset.items()
    return page.run(
        form,
        lambda: actions.vary_authorisation(
            row,
            acting_user=signed_in(request),
            expected_version=form.cleaned_data["version"],
            variation=form.variation(additions),
        ),
        success="Variation recorded",
        row_map=RowMap(formset, rows, path="add"),
        rebuild=lambda: {"formset": build_formset(), "formset_heading": "Items to add"},
        extra={"formset": formset, "formset_heading": "Items to add"},
    )


def cancel(request: HttpRequest, application_id: int, kind: str) -> HttpResponse:
    _, application, row, refused = _power_page(request, application_id, kind)
    if refused:
        return refused
    if row.cancelled_from is not None or row.state == RecordState.REFUSED:
        return not_now(request, application, "This authorisation cannot be cancelled")
    equipment = list(
        row.conduct.in_force()
        .filter(category=ConductCategory.EQUIPMENT)
        .values_list("identifier", flat=True)
    )
    members = _operation_people(application)

    def build(data: Any = None) -> CancellationForm:
        return CancellationForm(
            data,
            owners=members,
            equipment=equipment,
            initial={"version": application.version, "equipment_to_recover": equipment},
        )

    page = StepPage(
        request,
        application,
        template=STEP,
        build=build,
        context={
            "title": f"Cancel: {AuthorityKind(kind).label}",
            "submit": "Cancel the authorisation",
            "power": row,
        },
    )
    form, response = page.read_form()
    if response is not None:
        return response
    cancellation = form.mapping()
    if "equipment_to_recover" not in form.fields:
        cancellation["equipment_to_recover"] = []
    return page.run(
        form,
        lambda: actions.cancel_authorisation(
            row,
            acting_user=signed_in(request),
            expected_version=form.cleaned_data["version"],
            cancellation=cancellation,
        ),
        success="Authorisation cancelled",
    )


def _operation_people(application: Any) -> list[User]:
    """Return the operation's team and its senior investigating officer."""
    operation = application.operation
    people = {membership.user for membership in operation.memberships.select_related("user")}
    if operation.senior_investigating_officer_id:
        people.add(operation.senior_investigating_officer)
    people.add(application.applicant)
    return sorted(people, key=lambda user: (user.last_name, user.first_name, user.pk))


def equipment_recovered(request: HttpRequest, application_id: int, kind: str) -> HttpResponse:
    now, application = load_case(request, application_id)
    row = access.access_power(application, kind)
    if not access.may_record_equipment_recovered(request.user, application, now):
        return forbidden(request)
    outstanding = equipment_outstanding(row, now)
    if not outstanding:
        return not_now(request, application, "No equipment is waiting to be recovered")

    def build(data: Any = None) -> EquipmentRecoveredForm:
        return EquipmentRecoveredForm(
            data,
            outstanding=equipment_outstanding(row, now),
            initial={"version": application.version},
        )

    page = StepPage(
        request,
        application,
        template=STEP,
        build=build,
        context={"title": "Record equipment recovered", "submit": "Record it as recovered"},
    )
    form, response = page.read_form()
    if response is not None:
        return response
    return page.run(
        form,
        lambda: actions.record_equipment_recovered(
            row,
            acting_user=signed_in(request),
            expected_version=form.cleaned_data["version"],
            equipment=form.cleaned_data["equipment"],
        ),
        success="Equipment recorded as recovered",
    )


def external_authority(request: HttpRequest, application_id: int) -> HttpResponse:
    """Record a Prison Rule 35A authority or activity agreed with a prison for this case."""
    now, application = load_case(request, application_id)
    user = request.user
    if not (
        access.may_record_commissioner_steps(user, now)
        or access.may_record_oral_grant(user, application, now)
    ):
        return forbidden(request)

    page = StepPage(
        request,
        application,
        template=STEP,
        build=ExternalAuthorityForm,
        context={
            "title": "Record an authority granted outside the force",
            "submit": "Record the authority",
            "intro": (
                "RIPA's periods do not apply. Material is kept until 3 months after the end "
                "unless you record an exceptional case."
            ),
        },
    )
    if request.method != "POST":
        return page.show(ExternalAuthorityForm())
    form = ExternalAuthorityForm(request.POST)
    if not form.is_valid():
        return page.show(form, errors=form_errors(form), status=400)

    if not visible_operations(user, now).filter(pk=application.operation_id).exists():
        return forbidden(request)
    try:
        actions.record_external_authority(
            acting_user=signed_in(request),
            operation=application.operation,
            authority_type=form.cleaned_data["authority_type"],
            details=form.details(),
            application=application,
        )
    except (ApplicationInvalid, NotPermitted) as error:
        return page.show(form, errors=action_errors(error, form), status=400)
    messages.success(request, "Authority recorded")
    return redirect("authorities:case", application_id=application.pk)
