"""Template helpers for the lifecycle pages and the "Applications" navigation link."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from cpmp.access.predicates import has_passed_second_factor, needs_second_factor

from ..pages.access import can_open_applications
from ..pages.fields import date_parts as split_date

register = template.Library()


@register.filter
def date_parts(value: Any, component: str) -> list[str]:
    """Split a date or date-and-time field's value into day, month, year and time."""
    return split_date(value, component == "datetime")


@register.filter
def is_selected(value: Any, choice: Any) -> bool:
    """Decide whether ``choice`` is the field's value, or one of its values."""
    if isinstance(value, (list, tuple)):
        return str(choice) in [str(item) for item in value]
    return value is not None and str(value) == str(choice)


@register.simple_tag(takes_context=True)
def may_use_applications(context: template.Context) -> bool:
    """Decide whether to show the "Applications" link to the signed-in person."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    now = timezone.now()
    if not has_passed_second_factor(user) and needs_second_factor(user, now):
        return False
    return can_open_applications(user, now)
