"""A deployment is refused unless a live authority covers its asset, subject, tactic and
window; the lookup states the same rule."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from cpmp.access.roles import Rank
from cpmp.assets.actions import register_asset
from cpmp.authorities import actions
from cpmp.authorities.models import RecordState
from cpmp.deployments.actions import book_asset, record_deployment
from cpmp.deployments.coverage import check_authorisation
from cpmp.deployments.errors import DeploymentInvalid, NotCovered
from cpmp.deployments.models import Deployment
from tests.factories import make_authorisation, make_user
from tests.lifecycle_factories import an_authoriser, at

from .conftest import TRACKER_CONDUCT

pytestmark = pytest.mark.django_db

BOOKED_FROM = at("2026-01-01T00:00:00+00:00")
BOOKED_UNTIL = at("2026-12-01T00:00:00+00:00")
INSIDE = (at("2026-02-10T08:00:00+00:00"), at("2026-02-10T20:00:00+00:00"))


def deploy(officer: Any, booking: Any, authorisation: Any, **overrides: Any) -> Deployment:
    values: dict[str, Any] = {
        "subject": "NOMINAL-001",
        "tactic": "static-observation",
        "location": "Car park, level 2",
        "starts_at": INSIDE[0],
        "ends_at": INSIDE[1],
    }
    values.update(overrides)
    return record_deployment(
        acting_user=officer,
        booking=booking,
        authorisation=authorisation,
        at=values["starts_at"],
        **values,
    )


@pytest.fixture
def booking(officer: Any, operation: Any, tracker: Any) -> Any:
    return book_asset(
        acting_user=officer,
        asset=tracker,
        operation=operation,
        starts_at=BOOKED_FROM,
        ends_at=BOOKED_UNTIL,
        at=BOOKED_FROM,
    )


def test_live_directed_surveillance_covers_deployment(officer, booking, grant) -> None:  # type: ignore[no-untyped-def]
    (authorisation,) = grant(["directed-surveillance"], TRACKER_CONDUCT)
    deployment = deploy(officer, booking, authorisation)
    assert deployment.asset_id == booking.asset_id
    custody = booking.asset.equipment.custody.filter(reason="Deployed")
    assert [entry.location for entry in custody] == ["Car park, level 2"]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"subject": "NOMINAL-999"}, "Subject NOMINAL-999 is not named in the authorised conduct."),
        ({"tactic": "entry-to-premises"}, "Tactic entry-to-premises is not named"),
        (
            {
                "starts_at": at("2026-01-20T08:00:00+00:00"),
                "ends_at": at("2026-01-20T09:00:00+00:00"),
            },
            "The authorisation has not taken effect",
        ),
        (
            {
                "starts_at": at("2026-04-30T08:00:00+00:00"),
                "ends_at": at("2026-05-10T09:00:00+00:00"),
            },
            "The authorisation ends before the deployment does",
        ),
        (
            {
                "starts_at": at("2026-06-01T08:00:00+00:00"),
                "ends_at": at("2026-06-01T09:00:00+00:00"),
            },
            "The authorisation is expired, not cancelled at",
        ),
    ],
    ids=["subject", "tactic", "before-grant", "past-expiry", "expired"],
)
def test_uncovered_deployment_refused(officer, booking, grant, overrides, expected) -> None:  # type: ignore[no-untyped-def]
    (authorisation,) = grant(["directed-surveillance"], TRACKER_CONDUCT)
    with pytest.raises(NotCovered) as refusal:
        deploy(officer, booking, authorisation, **overrides)
    assert any(expected in problem for problem in refusal.value.problems), refusal.value.problems
    assert not Deployment.objects.exists()


def test_asset_not_in_conduct_refused(officer, operation, grant) -> None:  # type: ignore[no-untyped-def]
    other = register_asset(
        acting_user=officer,
        kind="equipment",
        reference="TECH/0002",
        details={"equipment_type": "Camera"},
    )
    booking = book_asset(
        acting_user=officer,
        asset=other,
        operation=operation,
        starts_at=BOOKED_FROM,
        ends_at=BOOKED_UNTIL,
        at=BOOKED_FROM,
    )
    (authorisation,) = grant(["directed-surveillance"], TRACKER_CONDUCT)
    with pytest.raises(NotCovered) as refusal:
        deploy(officer, booking, authorisation)
    assert refusal.value.problems == [
        "Technical equipment TECH/0002 is not named in the authorised conduct."
    ]


def test_asset_named_by_serial_number_covered(officer, booking, grant) -> None:  # type: ignore[no-untyped-def]
    conduct = [
        *TRACKER_CONDUCT[:2],
        {"category": "equipment", "identifier": "sn-77"},
        TRACKER_CONDUCT[3],
    ]
    (authorisation,) = grant(["directed-surveillance"], conduct)
    assert deploy(officer, booking, authorisation).pk


def test_cancelled_authority_covers_nothing_after(officer, booking, grant) -> None:  # type: ignore[no-untyped-def]
    authoriser = an_authoriser(Rank.SUPERINTENDENT)
    (authorisation,) = grant(["directed-surveillance"], TRACKER_CONDUCT, authoriser=authoriser)
    actions.cancel_authorisation(
        authorisation,
        acting_user=authoriser,
        expected_version=4,
        cancellation={
            "reasons": "Subject arrested.",
            "outcome": "Meetings evidenced.",
            "ceased_at": "2026-02-05T10:00:00+00:00",
            "product_owner_id": authoriser.pk,
            "product_instructions": "Keep for trial.",
        },
        at=at("2026-02-05T10:00:00+00:00"),
    )
    with pytest.raises(NotCovered) as refusal:
        deploy(officer, booking, authorisation)
    assert refusal.value.problems[0].startswith("The authorisation is cancelled at")


def test_awaiting_approval_covers_nothing(officer, booking, grant) -> None:  # type: ignore[no-untyped-def]
    chief = an_authoriser(Rank.ASSISTANT_COMMISSIONER, senior=True)
    (intrusive,) = grant(
        ["intrusive-surveillance"],
        TRACKER_CONDUCT,
        authoriser=chief,
        grounds=["serious-crime"],
        serious_crime="Supply of class A drugs.",
    )
    assert intrusive.state == RecordState.AWAITING_APPROVAL
    with pytest.raises(NotCovered) as refusal:
        deploy(officer, booking, intrusive)
    assert refusal.value.problems[0].startswith("The authorisation is awaiting approval at")


def test_no_authority_with_conduct_refused(officer, booking, operation) -> None:  # type: ignore[no-untyped-def]
    bare = make_authorisation(operation=operation.name, operation_ref=operation)
    with pytest.raises(NotCovered) as refusal:
        deploy(officer, booking, bare)
    assert "Subject NOMINAL-001 is not named in the authorised conduct." in refusal.value.problems


def test_authority_of_other_operation_refused(officer, booking, grant) -> None:  # type: ignore[no-untyped-def]
    elsewhere = make_authorisation(operation="Op Elsewhere")
    with pytest.raises(DeploymentInvalid) as refusal:
        deploy(officer, booking, elsewhere)
    assert refusal.value.errors == {"authorisation": "Select an authorisation of this operation"}


def test_conduct_time_window_limits_cover(officer, booking, grant) -> None:  # type: ignore[no-untyped-def]
    window = {
        "category": "time-window",
        "identifier": "mondays",
        "starts_at": "2026-02-09T18:00:00+00:00",
        "ends_at": "2026-02-09T22:00:00+00:00",
    }
    (authorisation,) = grant(["directed-surveillance"], [*TRACKER_CONDUCT, window])
    check = check_authorisation(
        authorisation,
        asset=booking.asset,
        subject="NOMINAL-001",
        tactic="static-observation",
        starts_at=INSIDE[0],
        ends_at=INSIDE[1],
    )
    assert check.problems == ("The deployment falls outside every authorised time window.",)
    inside = check_authorisation(
        authorisation,
        asset=booking.asset,
        subject="nominal-001",
        tactic="static-observation",
        starts_at=at("2026-02-09T19:00:00+00:00"),
        ends_at=at("2026-02-09T19:00:00+00:00") + timedelta(hours=1),
    )
    assert inside.covered


def test_non_member_cannot_deploy(booking, grant) -> None:  # type: ignore[no-untyped-def]
    from cpmp.deployments.errors import NotPermitted

    (authorisation,) = grant(["directed-surveillance"], TRACKER_CONDUCT)
    outsider = make_user("applicant")
    with pytest.raises(NotPermitted):
        deploy(outsider, booking, authorisation)
