"""Every change to an application, its authorisations and external authorities.

Each action runs in one transaction, takes the person acting as the keyword-only
``acting_user`` and the application version they saw as ``expected_version`` (raising
``StaleVersion``, which names who changed it and when, if it has moved on), writes its audit
event in the same transaction and sends notifications only after commit. ``at`` is the
instant the step took effect (a signature, an oral grant); it defaults to now. Pages, the
JSON API and the ``cpmp`` command call these functions and nothing else.
"""

from .applications import (
    GatekeeperCheck,
    accept_application,
    create_application,
    return_for_amendment,
    save_draft,
    submit_application,
)
from .commissioner import record_commissioner_decision, record_commissioner_notice
from .decisions import (
    grant_application,
    record_oral_grant,
    record_written_grant,
    refuse_application,
)
from .external import record_external_authority
from .lifecycle import (
    cancel_authorisation,
    record_equipment_recovered,
    record_review,
    renew_authorisation,
    vary_authorisation,
)

__all__ = [
    "GatekeeperCheck",
    "accept_application",
    "cancel_authorisation",
    "create_application",
    "grant_application",
    "record_commissioner_decision",
    "record_commissioner_notice",
    "record_equipment_recovered",
    "record_external_authority",
    "record_oral_grant",
    "record_review",
    "record_written_grant",
    "refuse_application",
    "renew_authorisation",
    "return_for_amendment",
    "save_draft",
    "submit_application",
    "vary_authorisation",
]
