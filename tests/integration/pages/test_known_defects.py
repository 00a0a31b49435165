"""Behaviour of the lifecycle actions that the pages rely on and that is still wrong.

Each test is marked xfail with the defect, so it starts passing (and fails as XPASS) when the
action is fixed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cpmp.access.roles import Rank, Role
from cpmp.authorities import actions
from cpmp.authorities.errors import ApplicationInvalid, NotPermitted
from tests.factories import make_user
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
    strict=True,
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
    reason="record_equipment_recovered checks no role: a read-only inspector can record it",
    strict=True,
)
def test_inspector_cannot_record_equipment_recovered():
    team = a_team()
    content = base_content(
        conduct=[
            {"category": "equipment", "identifier": "TRACKER-7"},
            tactic("tracking"),
        ]
    )
    application = a_granted(team, ["directed-surveillance"], content)
    row = application.authorisations.get()
    actions.cancel_authorisation(
        row,
        acting_user=team.authoriser,
        expected_version=version(application),
        cancellation={
            "reasons": "No longer needed.",
            "outcome": "Supplier identified.",
            "ceased_at": timezone.now().isoformat(),
            "product_owner_id": team.applicant.pk,
            "product_instructions": "Keep for 6 months, then destroy.",
        },
    )
    inspector = make_user(Role.INSPECTOR)
    with pytest.raises(NotPermitted):
        actions.record_equipment_recovered(
            row, acting_user=inspector, expected_version=version(application), equipment="TRACKER-7"
        )


@pytest.mark.xfail(
    reason="record_commissioner_decision accepts an approval notified in the future; a renewal "
    "before that instant then fails in the projection with ValueError (a server error)",
    strict=True,
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
