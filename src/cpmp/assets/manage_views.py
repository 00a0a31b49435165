"""Pages that change the asset register: registering an asset of each kind, adding to an
item's chain of custody, and changing an undercover officer's or a source's status.

Each page calls the same action as the API and the command line. The technical unit manager
keeps equipment, vehicles and premises, and the undercover unit manager keeps undercover
officers and covert identities (``actions.can_manage_assets``). Only the source registrar
changes a source's status.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cpmp.access.roles import Role
from cpmp.audit.requests import source_from_request
from cpmp.deployments.access import can_use_deployments
from cpmp.deployments.errors import DeploymentInvalid
from cpmp.errors import CpmpError
from cpmp.web.views import forbidden

from . import actions
from .access import access_source
from .forms import REGISTRATION_FORMS, CustodyForm, StatusForm
from .models import Asset, AssetKind, Equipment, SourceStatus, UndercoverOfficer, UndercoverStatus


def _add_errors(form: forms.Form, error: CpmpError) -> None:
    """Put an action's error on the form: field errors by name, anything else on the form."""
    if isinstance(error, DeploymentInvalid):
        for name, message in error.errors.items():
            form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, error.message)


def _render(request: HttpRequest, template: str, form: Any, **context: Any) -> HttpResponse:
    return render(
        request,
        template,
        {"form": form, "errors": form.summary_errors(), **context},
        status=400 if form.errors else 200,
    )


def register(request: HttpRequest, kind: str) -> HttpResponse:
    """Register an asset of ``kind`` with the fields of that kind."""
    now = timezone.now()
    if kind not in REGISTRATION_FORMS:
        raise Http404("No such kind of asset")
    if not actions.can_manage_assets(request.user, kind, now):
        return forbidden(request)
    form = REGISTRATION_FORMS[kind](request.POST or None)
    officers = UndercoverOfficer.objects.order_by("reference")
    if "undercover_officer" in form.fields:
        form.fields["undercover_officer"].choices = [("", "None")] + [  # type: ignore[attr-defined]
            (str(officer.pk), officer.reference) for officer in officers
        ]
    if request.method == "POST" and form.is_valid():
        details = form.details()
        if "undercover_officer" in details:
            details["undercover_officer"] = officers.get(pk=int(str(details["undercover_officer"])))
        source, _ = source_from_request(request)
        try:
            asset = actions.register_asset(
                acting_user=request.user,
                kind=kind,
                reference=form.cleaned_data["reference"],
                description=form.cleaned_data["description"],
                details=details,
                source=source,
                at=now,
            )
        except CpmpError as error:
            _add_errors(form, error)
        else:
            return redirect("asset-register:detail", asset_id=asset.pk)
    return _render(
        request, "assets/register_asset.html", form, kind=kind, kind_label=AssetKind(kind).label
    )


def _asset(request: HttpRequest, asset_id: int) -> Asset:
    """Return the asset for a page that changes it; 404 for people who cannot open assets."""
    if not can_use_deployments(request.user, timezone.now()):
        raise Http404("No asset found")
    asset = Asset.objects.filter(pk=asset_id).first()
    if asset is None:
        raise Http404("No asset found")
    return asset


def custody_add(request: HttpRequest, asset_id: int) -> HttpResponse:
    """Add an entry to an item of equipment's chain of custody."""
    now = timezone.now()
    asset = _asset(request, asset_id)
    if asset.kind != AssetKind.EQUIPMENT:
        raise Http404("No equipment found")
    if not actions.can_manage_assets(request.user, AssetKind.EQUIPMENT, now):
        return forbidden(request)
    equipment = Equipment.objects.get(pk=asset.pk)
    form = CustodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source, _ = source_from_request(request)
        try:
            actions.record_custody(
                equipment,
                acting_user=request.user,
                location=form.cleaned_data["location"],
                reason=form.cleaned_data["reason"],
                custodian=request.user,
                occurred_at=form.cleaned_data["occurred_at"],
                source=source,
                at=now,
            )
        except CpmpError as error:
            _add_errors(form, error)
        else:
            return redirect("asset-register:detail", asset_id=asset.pk)
    return _render(request, "assets/custody_add.html", form, asset=asset)


def status_change(request: HttpRequest, asset_id: int) -> HttpResponse:
    """Change an undercover officer's status for the national index."""
    now = timezone.now()
    asset = _asset(request, asset_id)
    if asset.kind != AssetKind.UNDERCOVER_OFFICER:
        raise Http404("No undercover officer found")
    if not actions.can_manage_assets(request.user, AssetKind.UNDERCOVER_OFFICER, now):
        return forbidden(request)
    officer = UndercoverOfficer.objects.get(pk=asset.pk)
    form = StatusForm(request.POST or None, initial={"status": officer.status})
    form.fields["status"].choices = UndercoverStatus.choices  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        source, _ = source_from_request(request)
        try:
            actions.change_undercover_status(
                officer,
                acting_user=request.user,
                status=form.cleaned_data["status"],
                source=source,
                at=now,
            )
        except CpmpError as error:
            _add_errors(form, error)
        else:
            return redirect("asset-register:detail", asset_id=asset.pk)
    return _render(request, "assets/status_change.html", form, asset=asset, officer=officer)


def source_status(request: HttpRequest, source_id: int) -> HttpResponse:
    """Move a source on: potential to recruited, or recruited to deactivated."""
    now = timezone.now()
    source_record = access_source(request.user, source_id, now)
    if Role.SOURCE_REGISTRAR not in request.user.active_roles(now):  # type: ignore[union-attr]
        return forbidden(request)
    next_status = actions.NEXT_SOURCE_STATUS.get(SourceStatus(source_record.status))
    form = StatusForm(request.POST or None)
    form.fields["status"].choices = (  # type: ignore[attr-defined]
        [(next_status.value, next_status.label)] if next_status is not None else []
    )
    if request.method == "POST" and form.is_valid():
        source, _ = source_from_request(request)
        try:
            actions.change_source_status(
                source_record,
                acting_user=request.user,
                status=form.cleaned_data["status"],
                source=source,
                at=now,
            )
        except CpmpError as error:
            _add_errors(form, error)
        else:
            return redirect("assets:source-detail", source_id=source_record.pk)
    return _render(
        request,
        "assets/source_status.html",
        form,
        source=source_record,
        next_status=next_status,
    )
