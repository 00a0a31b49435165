"""Actions that change operations: finding or creating the compartment a record belongs to."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from cpmp.audit.actions import append_event
from cpmp.audit.events import EventType

from .models import Operation

logger = logging.getLogger(__name__)

# Operation.name's length; longer text is cut to fit, as the register's own column is.
MAX_NAME_LENGTH = 200


def normalise_operation_name(text: str) -> str:
    """Return ``text`` with surrounding space removed and inner runs of space made single.

    Registers type the same operation with stray spaces ("Op  Gingerbread "), so names are
    compared in this form and without regard to case.
    """
    return " ".join(text.split())[:MAX_NAME_LENGTH]


def link_or_create_operation(
    operation_text: str, *, acting_user: Any, source: str, request_id: str | None = None
) -> Operation | None:
    """Return the operation named by ``operation_text``, creating it when none matches.

    Returns None for empty text, which names no compartment. Text that is really a source's
    pseudonym ("Source 'Fictional-Kestrel'") gets an operation of its own, so the source's
    records are seen only by those added to that compartment. A new operation has no team, so
    only the roles that oversee every operation see it until someone is added. Creating one
    appends a ``record.created`` event in the caller's transaction.
    """
    name = normalise_operation_name(operation_text)
    if not name:
        return None
    with transaction.atomic():
        existing = Operation.objects.filter(name__iexact=name).order_by("pk").first()
        if existing is not None:
            return existing
        operation = Operation.objects.create(name=name)
        append_event(
            EventType.RECORD_CREATED,
            actor=acting_user,
            object_type="operation",
            object_id=operation.pk,
            payload={"new": {"name": name}},
            source=source,
            request_id=request_id,
        )
    logger.info("operation created for an imported record: operation=%s", operation.pk)
    return operation
