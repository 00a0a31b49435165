"""Template filters for dates, kinds, findings and status tags."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from cpmp.authorities.selectors import STATUS_LABELS
from cpmp.web import display

register = template.Library()


@register.filter
def iso_text(value: str | None) -> str:
    return display.format_iso_text(value or "")


@register.filter
def end_iso_text(value: str | None) -> str:
    return display.format_end_iso_text(value or "")


@register.filter
def instant(value: datetime | None) -> str:
    return display.format_instant(value) if value else ""


@register.filter
def end_instant(value: datetime | None) -> str:
    return display.format_end_instant(value) if value else ""


@register.simple_tag
def expiry(record: object) -> str:
    """Show a record's expiry from its exact instant or its earliest and latest bounds."""
    return display.format_expiry(
        getattr(record, "expires_at", None),
        getattr(record, "expires_earliest", None),
        getattr(record, "expires_latest", None),
    )


@register.filter
def kind_label(value: str | None) -> str:
    return display.kind_label(value)


@register.filter
def finding_description(code: str) -> str:
    return display.finding_description(code)


@register.filter
def status_tag(status: str | None) -> SafeString:
    """Render a status as a GOV.UK tag in the colour for that status."""
    status = status or ""
    label = STATUS_LABELS.get(status, status or "Unknown")
    colour = display.STATUS_TAG_CLASSES.get(status, "")
    return format_html('<strong class="govuk-tag {}">{}</strong>', colour, label)
