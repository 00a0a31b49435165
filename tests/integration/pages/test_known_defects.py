"""Behaviour of the lifecycle actions that the pages rely on and that is still wrong.

Each test is marked xfail with the defect. The marks are not strict because the actions are
being changed alongside the pages: a fixed defect shows as XPASS, and its mark can then go.
"""

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


@pytest.mark.xfail(
    reason="record_commissioner_decision accepts an approval dated before the grant; the "
    "projection then ignores it and the power stays awaiting approval",
    strict=False,
)
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


@pytest.mark.xfail(
    reason="record_commissioner_decision accepts an approval notified in the future; a renewal "
    "before that instant then fails in the projection with ValueError (a server error)",
    strict=False,
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
