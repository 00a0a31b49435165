"""Drafting, submitting and gatekeeping an application."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cpmp.access.models import User
from cpmp.assets.models import Source
from cpmp.operations.models import Operation

from ..models import Application, Authorisation, DocumentVersion
from ..similarity import SimilarityWarning


@dataclass(frozen=True)
class GatekeeperCheck:
    """The result of a gatekeeper's acceptance: the check recorded and any warnings."""

    application: Application
    document: DocumentVersion
    warnings: tuple[SimilarityWarning, ...]


def create_application(
    *,
    acting_user: User,
    operation: Operation,
    kinds: Sequence[str],
    reference: str,
    urgent: bool = False,
    content: Mapping[str, Any] | None = None,
    source: Source | None = None,
    chis_authorisation: Authorisation | None = None,
    at: datetime | None = None,
) -> Application:
    """Create a draft application for ``kinds`` (``AuthorityKind`` values) in ``operation``.

    ``reference`` is the force's unique reference (URN). ``source`` is required for CHIS,
    juvenile CHIS, relevant-source and criminal conduct kinds at submission, and
    ``chis_authorisation`` for a criminal conduct application that does not also apply for
    the CHIS authorisation. Raises ``ApplicationInvalid`` for an unknown kind or a reference
    already used, and ``NotPermitted`` when the person may not apply in the operation.
    """
    raise NotImplementedError


def save_draft(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    content: Mapping[str, Any],
    urgent: bool | None = None,
    at: datetime | None = None,
) -> Application:
    """Replace the draft's content (and urgency, when given). Only a draft or an application
    returned for amendment may be edited; nothing is validated until submission."""
    raise NotImplementedError


def submit_application(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    amendment_reason: str = "",
    at: datetime | None = None,
) -> Application:
    """Validate the draft against its kinds' forms and store it as an immutable version.

    Raises ``ApplicationInvalid`` listing every field at fault. A resubmission after a return
    for amendment needs ``amendment_reason``.
    """
    raise NotImplementedError


def accept_application(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    notes: str = "",
    at: datetime | None = None,
) -> GatekeeperCheck:
    """Record the gatekeeper's check and pass the application to an authorising officer.

    The check warns (without refusing) when a tactic's proportionality or collateral-intrusion
    text repeats an earlier application's (``cpmp.authorities.similarity``).
    """
    raise NotImplementedError


def return_for_amendment(
    application: Application,
    *,
    acting_user: User,
    expected_version: int,
    reasons: str,
    at: datetime | None = None,
) -> Application:
    """Return a submitted application to the applicant with the gatekeeper's reasons."""
    raise NotImplementedError
