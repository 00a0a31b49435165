"""Directed surveillance from draft to cancellation, with every date worked by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cpmp.access.roles import Rank
from cpmp.authorities import actions
from cpmp.authorities.models import (
    ApplicationState,
    AuthorisedConduct,
    RecordState,
)
from cpmp.authorities.selectors import with_status
from tests.factories import a_gatekeeper
from tests.lifecycle_factories import (
    an_applicant_officer,
    an_authoriser,
    an_operation,
    at,
    base_content,
    decision,
)

pytestmark = pytest.mark.django_db


def test_directed_surveillance_journey_dates() -> None:
    applicant = an_applicant_officer()
    gatekeeper = a_gatekeeper()
    officer = an_authoriser(Rank.SUPERINTENDENT)
    operation = an_operation(applicant, officer)

    application = actions.create_application(
        acting_user=applicant,
        operation=operation,
        kinds=["directed-surveillance"],
        reference="DS/2026/0001",
        content=base_content(),
    )
    assert application.version == 1
    actions.submit_application(application, acting_user=applicant, expected_version=1)
    assert application.state == ApplicationState.SUBMITTED
    check = actions.accept_application(application, acting_user=gatekeeper, expected_version=2)
    assert check.warnings == ()
    assert application.state == ApplicationState.WITH_AUTHORISING_OFFICER

    # Granted 1 Feb 2026 10:00 GMT: 3 months beginning with that day end with 30 Apr 2026
    # (convention C1), so the exclusive end is 00:00 BST on 1 May 2026 = 23:00 UTC 30 Apr.
    (row,) = actions.grant_application(
        application,
        acting_user=officer,
        expected_version=3,
        decision=decision("2026-02-28"),
        at=at("2026-02-01T10:00:00+00:00"),
    )
    assert row.state == RecordState.GRANTED
    assert row.takes_effect_from == at("2026-02-01T10:00:00+00:00")
    assert row.expires_at == datetime(2026, 4, 30, 23, 0, tzinfo=UTC)
    assert row.details["periods"][0]["last_day"] == "2026-04-30"
    assert AuthorisedConduct.objects.filter(
        authorisation=row, category="vehicle", identifier="AB12 CDE"
    ).exists()
    assert (
        AuthorisedConduct.objects.filter(authorisation=row, category="tactic").get().proportionality
    )

    actions.record_review(
        row,
        acting_user=officer,
        expected_version=4,
        review={
            "changes": {
                "contacts": "Two new meetings observed.",
                "product": "Photographs of a second person.",
                "risk": "No change.",
                "collateral_intrusion": "None beyond the car park.",
            },
            "continue": True,
            "reasoning": "The second person must be identified before arrests.",
            "next_review_on": "2026-03-28",
        },
        at=at("2026-02-27T09:00:00+00:00"),
    )

    # Renewed early on 20 Apr 2026: the renewal begins with 30 Apr, the old last day
    # (convention C5), and ends with 29 Jul 2026, never 19 Jul from the signing day.
    renewed = actions.renew_authorisation(
        row,
        acting_user=officer,
        expected_version=5,
        renewal={
            "changes": "A second person identified.",
            "necessity": "The supplier is still unidentified.",
            "proportionality": "Still four hours a week at one place.",
            "value_so_far": "Identified a courier.",
            "first_review_on": "2026-05-20",
        },
        at=at("2026-04-20T09:00:00+01:00"),
    )
    assert renewed.details["periods"][1]["first_day"] == "2026-04-30"
    assert renewed.details["periods"][1]["last_day"] == "2026-07-29"
    assert renewed.expires_at == datetime(2026, 7, 29, 23, 0, tzinfo=UTC)

    cancelled = actions.cancel_authorisation(
        renewed,
        acting_user=officer,
        expected_version=6,
        cancellation={
            "reasons": "The supplier was arrested.",
            "outcome": "Evidence of four supply meetings.",
            "ceased_at": "2026-06-01T12:00:00+01:00",
            "product_owner_id": applicant.pk,
            "product_instructions": "Keep for the prosecution; review at the end of the trial.",
        },
        at=at("2026-06-01T12:30:00+01:00"),
    )
    assert cancelled.cancelled_from == at("2026-06-01T12:30:00+01:00")
    status = with_status(
        type(cancelled).objects.filter(pk=cancelled.pk), at("2026-06-02T00:00:00+00:00")
    )
    assert status.get().status == "cancelled"
