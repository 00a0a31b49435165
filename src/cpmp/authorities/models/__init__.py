"""The authorities app's models: the register, applications and their life, and conduct.

``register`` holds ``Authorisation``, one entry in the central record; ``cases`` the
applications, their immutable document versions and events; ``conduct`` what each power
authorises item by item, and authorities granted outside the force.
"""

from .cases import (
    Application,
    ApplicationState,
    CaseEvent,
    DocumentType,
    DocumentVersion,
    EventType,
    ImmutableRecord,
)
from .conduct import (
    AuthorisedConduct,
    ConductCategory,
    ExternalAuthority,
    ExternalAuthorityType,
    PremisesUse,
)
from .register import Authorisation, AuthorityType, Origin, RecordState

__all__ = [
    "Application",
    "ApplicationState",
    "Authorisation",
    "AuthorisedConduct",
    "AuthorityType",
    "CaseEvent",
    "ConductCategory",
    "DocumentType",
    "DocumentVersion",
    "EventType",
    "ExternalAuthority",
    "ExternalAuthorityType",
    "ImmutableRecord",
    "Origin",
    "PremisesUse",
    "RecordState",
]
