"""Commissioner decisions the pages rely on the actions to refuse: dated before the grant,
or in the future."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cpmp.access.roles import Rank
from cpmp.authorities import actions
from cpmp.authorities.errors import ApplicationInvalid
from tests.lifecycle_factories import base_content, tactic

from .helpers import a_granted, a_team, version

pytestmark = pytest.mark.django_db


def _intrusive(team, **extra):  # type: ignore[no-untyped-def]
    content = base_content(
        grounds=["serious-crime"],
        conduct=[
            {"category": "premises", "identifier": "1 Example Road", "premises_use": "dwelling"},
            tactic("audio-probe"),
        ],
    )
    return a_granted(team, ["intrusive-surveillance"], content, **extra)


def test_approval_before_grant_is_rejected():
    team = a_team(authoriser_rank=Rank.ASSISTANT_COMMISSIONER, senior=True)
    application = _intrusive(team, at=timezone.now())
    before = (timezone.now() - timedelta(hours=1)).isoformat()
    with pytest.raises(ApplicationInvalid):
        actions.record_commissioner_decision(
            application,
            acting_user=team.gatekeeper,
            expected_version=version(application),
            kind="intrusive-surveillance",
            outcome="approved",
            decision={"decided_at": before, "notified_at": before, "document_reference": "x"},
        )


def test_approval_in_future_is_rejected():
    team = a_team(authoriser_rank=Rank.ASSISTANT_COMMISSIONER, senior=True)
    application = _intrusive(team)
    later = (timezone.now() + timedelta(days=1)).isoformat()
    with pytest.raises(ApplicationInvalid):
        actions.record_commissioner_decision(
            application,
            acting_user=team.gatekeeper,
            expected_version=version(application),
            kind="intrusive-surveillance",
            outcome="approved",
            decision={"decided_at": later, "notified_at": later, "document_reference": "x"},
        )
