"""The signal other code connects to in order to tell people about lifecycle steps.

``lifecycle_step`` is sent only after the transaction that made the step commits, so a
receiver (an e-mail sender, say) never reports a step that was rolled back. It is sent with
``application_id``, ``step`` (the audit event type's value) and ``authorisation_ids``.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

lifecycle_step = Signal()


def notify_on_commit(*, application_id: int, step: str, authorisation_ids: list[int]) -> None:
    """Send ``lifecycle_step`` once the current transaction commits."""

    def send() -> None:
        lifecycle_step.send(
            sender=None,
            application_id=application_id,
            step=step,
            authorisation_ids=authorisation_ids,
        )

    transaction.on_commit(send)
