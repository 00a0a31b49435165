"""The one way a page reads a source, so that the compartment is checked every time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404

from cpmp.access.compartments import visible_sources

from .models import Source

TRUE_IDENTITY_FIELDS = ("true_name", "true_date_of_birth", "true_address")


def access_source(user: Any, source_id: int, now: datetime) -> Source:
    """Return the source if ``user`` may see it, without its true identity loaded.

    The identity fields are deferred, so they are neither read nor decrypted unless the page
    requests them after ``can_view_true_identity``. Raises ``Http404`` both when the source
    does not exist and when it is outside the person's compartments.
    """
    sources = (
        visible_sources(user, now)
        .select_related("operation", "handler", "controller")
        .defer(*TRUE_IDENTITY_FIELDS)
    )
    try:
        return sources.get(pk=source_id)
    except Source.DoesNotExist as error:
        raise Http404("No source found") from error
