"""Pages of the asset register: the register with its exceptions, each asset with its
custody chain, booking an asset, and the undercover roster with its export."""

from __future__ import annotations

import csv
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cpmp.access.compartments import (
    may_see_operational_content,
    oversees_all_operations,
    visible_operations,
)
from cpmp.access.roles import Role
from cpmp.audit.actions import append_event, record_view
from cpmp.audit.events import EventType
from cpmp.audit.requests import source_from_request
from cpmp.deployments.access import can_use_deployments, visible_bookings
from cpmp.deployments.actions import book_asset
from cpmp.deployments.errors import DeploymentInvalid
from cpmp.deployments.forms import BookingForm
from cpmp.errors import CpmpError
from cpmp.web.views import forbidden

from .actions import can_manage_assets
from .models import Asset, AssetKind, UndercoverOfficer
from .selectors import ROSTER_COLUMNS, asset_rows, roster_rows, undercover_warnings

ROSTER_ROLES = frozenset({Role.UNDERCOVER_UNIT_MANAGER})


def can_view_roster(user: object, now: object) -> bool:
    """Decide whether ``user`` may see the undercover roster: the undercover unit manager
    and the roles that oversee every operation."""
    if not may_see_operational_content(user, now):  # type: ignore[arg-type]
        return False
    if oversees_all_operations(user, now):  # type: ignore[arg-type]
        return True
    return bool(user.active_roles(now) & ROSTER_ROLES)  # type: ignore[attr-defined]


def asset_register(request: HttpRequest) -> HttpResponse:
    """List every asset with its state now; assets deployed under an ended authority first."""
    now = timezone.now()
    if not can_use_deployments(request.user, now):
        return forbidden(request)
    visible = set(visible_operations(request.user, now).values_list("pk", flat=True))
    rows = asset_rows(Asset.objects.all(), now)
    kinds = [
        (kind.value, kind.label)
        for kind in AssetKind
        if can_manage_assets(request.user, kind.value, now)
    ]
    return render(
        request,
        "assets/register.html",
        {"rows": rows, "visible_operations": visible, "registrable_kinds": kinds},
    )


def asset_detail(request: HttpRequest, asset_id: int) -> HttpResponse:
    """Show one asset: its kind's details, custody chain and the bookings the person may see."""
    now = timezone.now()
    if not can_use_deployments(request.user, now):
        raise Http404("No asset found")
    asset = Asset.objects.filter(pk=asset_id).first()
    if asset is None:
        raise Http404("No asset found")
    detail = asset.detail()
    record_view(request, "asset", asset.pk)
    warnings = []
    if isinstance(detail, UndercoverOfficer):
        if not can_view_roster(request.user, now):
            raise Http404("No asset found")
        warnings = undercover_warnings(detail, now)
    may_manage = can_manage_assets(request.user, asset.kind, now)
    # The chain of custody records where the item was deployed, so it is shown only to the
    # technical unit, which keeps it, and to the roles that oversee every operation.
    custody: Any = []
    if asset.kind == AssetKind.EQUIPMENT and (
        may_manage or oversees_all_operations(request.user, now)
    ):
        custody = detail.custody.select_related("custodian")
    bookings = visible_bookings(request.user, now).filter(asset=asset, cancelled_at__isnull=True)
    return render(
        request,
        "assets/asset_detail.html",
        {
            "asset": asset,
            "detail": detail,
            "custody": custody,
            "bookings": bookings.select_related("operation").order_by("starts_at"),
            "warnings": warnings,
            "may_manage": may_manage,
        },
    )


def book(request: HttpRequest, asset_id: int) -> HttpResponse:
    """Book an asset for one of the person's operations over a window."""
    now = timezone.now()
    if not can_use_deployments(request.user, now):
        raise Http404("No asset found")
    asset = Asset.objects.filter(pk=asset_id).first()
    if asset is None:
        raise Http404("No asset found")
    operations = visible_operations(request.user, now).order_by("name")
    form = BookingForm(request.POST or None)
    form.fields["operation"].choices = [("", "Select an operation")] + [  # type: ignore[attr-defined]
        (str(operation.pk), operation.name) for operation in operations
    ]
    if request.method == "POST" and form.is_valid():
        operation = operations.get(pk=int(form.cleaned_data["operation"]))
        source, _ = source_from_request(request)
        try:
            booking = book_asset(
                acting_user=request.user,
                asset=asset,
                operation=operation,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                purpose=form.cleaned_data["purpose"],
                source=source,
            )
        except DeploymentInvalid as error:
            for name, message in error.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except CpmpError as error:
            form.add_error("starts_at", error.message)
        else:
            return redirect("operations:detail", operation_id=booking.operation_id)
    return render(
        request,
        "assets/book.html",
        {"asset": asset, "form": form, "errors": form.summary_errors()},
        status=400 if form.errors else 200,
    )


def undercover_roster(request: HttpRequest) -> HttpResponse:
    """List undercover officers with status and warnings, for the national undercover index."""
    now = timezone.now()
    if not can_view_roster(request.user, now):
        return forbidden(request)
    officers = UndercoverOfficer.objects.order_by("reference")
    rows = [(officer, undercover_warnings(officer, now)) for officer in officers]
    return render(request, "assets/roster.html", {"rows": rows})


def undercover_roster_export(request: HttpRequest) -> HttpResponse:
    """Download the roster as CSV: references, statuses, dates and counts, no names."""
    now = timezone.now()
    if not can_view_roster(request.user, now):
        return forbidden(request)
    rows = roster_rows(now)
    source, request_id = source_from_request(request)
    append_event(
        EventType.EXPORT_CREATED,
        actor=request.user,
        object_type="undercover_roster",
        object_id="national-index",
        payload={"format": "csv", "row_count": len(rows)},
        source=source,
        request_id=request_id,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="undercover-roster.csv"'
    writer = csv.DictWriter(response, fieldnames=ROSTER_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return response
