"""The list of sources and the page for each one, through the compartment policy."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cpmp.access.compartments import (
    audit_list_view,
    can_open_source_list,
    can_view_true_identity,
    visible_sources,
)
from cpmp.access.roles import Role
from cpmp.audit.actions import record_view
from cpmp.web.pagination import pagination_links
from cpmp.web.views import forbidden

from .access import TRUE_IDENTITY_FIELDS, access_source
from .models import Source

PAGE_SIZE = 50
# The list never shows a true identity, so those columns are not even read.
LIST_COLUMNS = ("id", "reference", "pseudonym", "status", "operation__name")


def source_list(request: HttpRequest) -> HttpResponse:
    """List the sources the person may see, by reference and pseudonym."""
    now = timezone.now()
    if not can_open_source_list(request.user, now):
        return forbidden(request)
    sources = (
        visible_sources(request.user, now)
        .select_related("operation")
        .only(*LIST_COLUMNS)
        .order_by("reference", "pk")
    )
    page = Paginator(sources, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_list_view(request, object_type="source_list", row_count=page.paginator.count, now=now)
    return render(
        request,
        "assets/source_list.html",
        {"page": page, "pagination": pagination_links(page, request.GET)},
    )


def source_detail(request: HttpRequest, source_id: int) -> HttpResponse:
    """Show one source: to the source unit with its true identity, to others by pseudonym."""
    now = timezone.now()
    source = access_source(request.user, source_id, now)
    identity = None
    if can_view_true_identity(request.user, source, now):
        # Recorded before the identity is read, so no identity is shown without an event.
        record_view(request, "source_true_identity", source.pk)
        identity = Source.objects.only(*TRUE_IDENTITY_FIELDS).get(pk=source.pk)
    else:
        record_view(request, "source", source.pk)
    may_change_status = Role.SOURCE_REGISTRAR in request.user.active_roles(now)  # type: ignore[union-attr]
    return render(
        request,
        "assets/source_detail.html",
        {"source": source, "identity": identity, "may_change_status": may_change_status},
    )
