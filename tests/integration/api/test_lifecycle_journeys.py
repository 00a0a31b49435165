"""One API journey per power: apply, gatekeep, grant, review, renew and cancel.

Every date is worked by hand from the law (see docs/law.md for the conventions): a period
"beginning with" a day counts that day, so 3 months beginning with 1 February 2026 end with
30 April 2026, and a renewal begins with the last day of the period it renews (C5). A warrant
for equipment interference is renewed from the day after its last day (IPA 2016 s.116(2)(b)).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from cpmp.access.models import User
from cpmp.access.roles import Rank
from cpmp.audit.models import AuditEvent
from tests.lifecycle_factories import a_source, base_content, chis_content, decision, tactic

from .lifecycle_support import Team, a_team, applied, call

pytestmark = pytest.mark.django_db

CHANGES = {
    "contacts": "Two new meetings observed.",
    "product": "Photographs of a second person.",
    "risk": "No change.",
    "collateral_intrusion": "None beyond the places authorised.",
}
CHIS_REVIEW = {
    "use_of_source": "Tasked to attend two meetings.",
    "tasks_given": "Report who attends.",
    "information_obtained": "Names of two couriers.",
}
RENEWAL = {
    "changes": "A second person identified.",
    "necessity": "The supplier is still unidentified.",
    "proportionality": "Still limited to the places and times authorised.",
    "value_so_far": "Identified a courier.",
}
SERIOUS = {
    "grounds": ["serious-crime"],
    "serious_crime": "Supply of class A drugs, punishable by life imprisonment.",
}
TEI_CONTENT = base_content(
    **SERIOUS,
    technical_description=(
        "Remote extraction of messages from handset IMEI-3559 by an implant delivered over "
        "the network, limited to the messaging application."
    ),
    conduct=[
        {"category": "equipment", "identifier": "IMEI-3559", "description": "Handset"},
        tactic("remote-extraction"),
    ],
)


@dataclass
class Journey:
    kinds: list[str]
    # The power reviewed, renewed and cancelled.
    kind: str
    rank: str
    senior: bool
    granted_at: str
    first_review_on: str
    # When the authorising officer is told of the Commissioner's approval, if one is needed.
    approved_at: str | None
    period: tuple[str, str]
    reviewed_at: str
    next_review_on: str
    renewed_at: str
    renewal_first_review_on: str
    renewal_approved_at: str | None
    renewal_period: tuple[str, str]
    cancelled_at: str
    content: dict[str, Any] = field(default_factory=base_content)
    with_source: bool = False


JOURNEYS = {
    "directed-surveillance": Journey(
        kinds=["directed-surveillance"],
        kind="directed-surveillance",
        rank=Rank.SUPERINTENDENT,
        senior=False,
        # 3 months beginning with 1 Feb 2026 end with 30 Apr; renewed 20 Apr, the renewal
        # begins with 30 Apr and ends with 29 Jul.
        granted_at="2026-02-01T10:00:00+00:00",
        first_review_on="2026-02-28",
        approved_at=None,
        period=("2026-02-01", "2026-04-30"),
        reviewed_at="2026-02-27T09:00:00+00:00",
        next_review_on="2026-03-28",
        renewed_at="2026-04-20T09:00:00+01:00",
        renewal_first_review_on="2026-05-20",
        renewal_approved_at=None,
        renewal_period=("2026-04-30", "2026-07-29"),
        cancelled_at="2026-06-01T12:30:00+01:00",
    ),
    "property-interference": Journey(
        kinds=["property-interference"],
        kind="property-interference",
        rank=Rank.ASSISTANT_COMMISSIONER,
        senior=True,
        # 3 months beginning with 2 Feb 2026 end with 1 May; the renewal runs 1 May to 31 Jul.
        granted_at="2026-02-02T15:00:00+00:00",
        first_review_on="2026-03-01",
        approved_at=None,
        period=("2026-02-02", "2026-05-01"),
        reviewed_at="2026-02-27T09:00:00+00:00",
        next_review_on="2026-03-28",
        renewed_at="2026-04-25T09:00:00+01:00",
        renewal_first_review_on="2026-05-20",
        renewal_approved_at=None,
        renewal_period=("2026-05-01", "2026-07-31"),
        cancelled_at="2026-06-01T12:30:00+01:00",
        content=base_content(
            **SERIOUS,
            conduct=[
                {"category": "vehicle", "identifier": "AB12 CDE"},
                {"category": "equipment", "identifier": "TRACKER-7"},
                tactic("tracking-device"),
            ],
        ),
    ),
    "intrusive-surveillance": Journey(
        kinds=["intrusive-surveillance"],
        kind="intrusive-surveillance",
        rank=Rank.ASSISTANT_COMMISSIONER,
        senior=True,
        # No effect until the officer is told of approval on 5 Feb: 5 Feb to 4 May. The
        # renewal, approved on 1 May, begins with 4 May and ends with 3 Aug.
        granted_at="2026-02-02T15:00:00+00:00",
        first_review_on="2026-03-01",
        approved_at="2026-02-05T11:00:00+00:00",
        period=("2026-02-05", "2026-05-04"),
        reviewed_at="2026-02-27T09:00:00+00:00",
        next_review_on="2026-03-28",
        renewed_at="2026-04-28T09:00:00+01:00",
        renewal_first_review_on="2026-05-20",
        renewal_approved_at="2026-05-01T11:00:00+01:00",
        renewal_period=("2026-05-04", "2026-08-03"),
        cancelled_at="2026-06-01T12:30:00+01:00",
        content=base_content(
            **SERIOUS,
            conduct=[
                {"category": "premises", "identifier": "1 High St", "premises_use": "dwelling"},
                tactic("audio-probe"),
            ],
        ),
    ),
    "chis": Journey(
        kinds=["chis"],
        kind="chis",
        rank=Rank.SUPERINTENDENT,
        senior=False,
        # 12 months beginning with 20 Nov 2025 end with 19 Nov 2026; the renewal runs from
        # 19 Nov 2026 to 18 Nov 2027.
        granted_at="2025-11-20T10:00:00+00:00",
        first_review_on="2025-12-10",
        approved_at=None,
        period=("2025-11-20", "2026-11-19"),
        reviewed_at="2026-11-01T10:00:00+00:00",
        next_review_on="2026-11-25",
        renewed_at="2026-11-10T10:00:00+00:00",
        renewal_first_review_on="2026-12-10",
        renewal_approved_at=None,
        renewal_period=("2026-11-19", "2027-11-18"),
        cancelled_at="2026-11-25T12:00:00+00:00",
        with_source=True,
    ),
    "juvenile-chis": Journey(
        kinds=["juvenile-chis"],
        kind="juvenile-chis",
        rank=Rank.COMMANDER,
        senior=False,
        # 4 months beginning with 30 Jan 2026 end with 29 May; the renewal runs from 29 May
        # to 28 Sep. Reviews are monthly, so the next is set within the month.
        granted_at="2026-01-30T10:00:00+00:00",
        first_review_on="2026-02-27",
        approved_at=None,
        period=("2026-01-30", "2026-05-29"),
        reviewed_at="2026-02-27T10:00:00+00:00",
        next_review_on="2026-03-20",
        renewed_at="2026-05-20T10:00:00+01:00",
        renewal_first_review_on="2026-06-10",
        renewal_approved_at=None,
        renewal_period=("2026-05-29", "2026-09-28"),
        cancelled_at="2026-06-15T12:00:00+01:00",
        with_source=True,
    ),
    "criminal-conduct": Journey(
        kinds=["chis", "criminal-conduct"],
        kind="criminal-conduct",
        rank=Rank.SUPERINTENDENT,
        senior=False,
        # Granted with its CHIS authorisation: 12 months beginning with 20 Nov 2025 end with
        # 19 Nov 2026, renewed from 19 Nov 2026 to 18 Nov 2027.
        granted_at="2025-11-20T10:00:00+00:00",
        first_review_on="2025-12-10",
        approved_at=None,
        period=("2025-11-20", "2026-11-19"),
        reviewed_at="2026-11-01T10:00:00+00:00",
        next_review_on="2026-11-25",
        renewed_at="2026-11-10T10:00:00+00:00",
        renewal_first_review_on="2026-12-10",
        renewal_approved_at=None,
        renewal_period=("2026-11-19", "2027-11-18"),
        cancelled_at="2026-11-25T12:00:00+00:00",
        with_source=True,
    ),
    "equipment-interference": Journey(
        kinds=["equipment-interference"],
        kind="equipment-interference",
        rank=Rank.ASSISTANT_COMMISSIONER,
        senior=True,
        # Approved 3 Mar 2026: 6 months beginning with 3 Mar end with 2 Sep. Renewed on 4 Aug,
        # in the 30 days ending with 2 Sep, and approved: 3 Sep 2026 to 2 Mar 2027.
        granted_at="2026-03-02T10:00:00+00:00",
        first_review_on="2026-04-01",
        approved_at="2026-03-03T10:00:00+00:00",
        period=("2026-03-03", "2026-09-02"),
        reviewed_at="2026-03-30T09:00:00+01:00",
        next_review_on="2026-04-28",
        renewed_at="2026-08-04T10:00:00+01:00",
        renewal_first_review_on="2026-09-20",
        renewal_approved_at="2026-08-10T10:00:00+01:00",
        renewal_period=("2026-09-03", "2027-03-02"),
        cancelled_at="2026-10-01T12:00:00+01:00",
        content=TEI_CONTENT,
    ),
}


def _content(journey: Journey, team: Team) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the application content and the extra create fields (the source) for a journey."""
    if not journey.with_source:
        return journey.content, {}
    handler = team.officer(Rank.SERGEANT)
    extra: dict[str, Any] = {}
    if journey.kind == "juvenile-chis":
        extra["juvenile"] = {
            "date_of_birth": "2009-06-01",  # 16 at the grant
            "relationship_with_parent": False,
            "appropriate_adult": "Named youth worker",
            "enhanced_risk_assessment_reference": "ERA/2026/0001",
        }
    if journey.kind == "criminal-conduct":
        extra["criminal_conduct"] = {
            "conduct": "Possession of a small quantity of cannabis when offered.",
            "human_rights_compatibility": "No violence or threat to anyone's rights.",
        }
    source = a_source(team.operation)
    return chis_content(handler, handler, **extra), {"source_id": source.pk}


def _approve(gatekeeper: User, application_id: int, kind: str, version: int, when: str) -> Any:
    response = call(
        gatekeeper,
        "post",
        f"/applications/{application_id}/commissioner-decisions",
        {
            "expected_version": version,
            "kind": kind,
            "outcome": "approved",
            "decision": {
                "decided_at": when,
                "notified_at": when,
                "document_reference": "JC/2026/001",
            },
        },
    )
    assert response.status_code == 200, response.json()
    return response.json()


def _power(step: dict[str, Any], kind: str) -> dict[str, Any]:
    (power,) = [power for power in step["powers"] if power["kind"] == kind]
    return power


def _days(period: dict[str, Any]) -> tuple[str, str]:
    return period["first_day"], period["last_day"]


@pytest.mark.parametrize("name", sorted(JOURNEYS))
def test_journey_through_api(name: str) -> None:
    journey = JOURNEYS[name]
    team = a_team()
    officer = team.officer(journey.rank, senior=journey.senior)
    content, extra = _content(journey, team)
    # The application is made, checked and accepted an hour before the grant.
    applied_at = (datetime.fromisoformat(journey.granted_at) - timedelta(hours=1)).isoformat()
    application_id = applied(team, journey.kinds, content, at=applied_at, **extra)

    granted = call(
        officer,
        "post",
        f"/applications/{application_id}/grant",
        {
            "expected_version": 3,
            "decision": decision(journey.first_review_on),
            "at": journey.granted_at,
        },
    )
    assert granted.status_code == 200, granted.json()
    version = 4
    power = _power(granted.json(), journey.kind)
    if journey.approved_at:
        assert power["status"] == "awaiting-approval"
        power = _power(
            _approve(team.gatekeeper, application_id, journey.kind, version, journey.approved_at),
            journey.kind,
        )
        version += 1
    assert power["state"] == "granted"
    assert _days(power["periods"][0]) == journey.period
    authorisation_id = power["authorisation_id"]

    review = {
        "changes": CHANGES,
        "continue": True,
        "reasoning": "The second person must be identified before arrests.",
        "next_review_on": journey.next_review_on,
        **(CHIS_REVIEW if journey.with_source else {}),
    }
    reviewed = call(
        officer,
        "post",
        f"/authorisations/{authorisation_id}/reviews",
        {"expected_version": version, "review": review, "at": journey.reviewed_at},
    )
    assert reviewed.status_code == 200, reviewed.json()
    assert reviewed.json()["document_id"] is not None
    version += 1

    renewed = call(
        officer,
        "post",
        f"/authorisations/{authorisation_id}/renewals",
        {
            "expected_version": version,
            "renewal": {**RENEWAL, "first_review_on": journey.renewal_first_review_on},
            "at": journey.renewed_at,
        },
    )
    assert renewed.status_code == 200, renewed.json()
    version += 1
    power = _power(renewed.json(), journey.kind)
    if journey.renewal_approved_at:
        assert "renewal_awaiting_approval" in power["findings"]
        approved = _approve(
            team.gatekeeper, application_id, journey.kind, version, journey.renewal_approved_at
        )
        power = _power(approved, journey.kind)
        version += 1
    assert _days(power["periods"][1]) == journey.renewal_period

    cancelled = call(
        officer,
        "post",
        f"/authorisations/{authorisation_id}/cancellation",
        {
            "expected_version": version,
            "cancellation": {
                "reasons": "The supplier was arrested.",
                "outcome": "Evidence of four supply meetings.",
                "ceased_at": journey.cancelled_at,
                "product_owner_id": team.applicant.pk,
                "product_instructions": "Keep for the prosecution; review after the trial.",
            },
            "at": journey.cancelled_at,
        },
    )
    assert cancelled.status_code == 200, cancelled.json()
    power = _power(cancelled.json(), journey.kind)
    assert power["cancelled_at"] is not None
    assert power["status"] in ("cancelled", "cancelled-after-expiry")
    assert cancelled.json()["application"]["version"] == version + 1

    detail = call(team.gatekeeper, "get", f"/applications/{application_id}")
    assert detail.status_code == 200
    body = detail.json()
    event_types = [event["event_type"] for event in body["events"]]
    assert event_types[:3] == ["submitted", "accepted", "granted"]
    assert "reviewed" in event_types
    assert "renewed" in event_types
    assert event_types[-1] == "cancelled"
    assert all(len(document["sha256"]) == 64 for document in body["documents"])
    assert AuditEvent.objects.filter(
        event_type="authorisation.cancelled", object_id=str(application_id)
    ).exists()


def test_application_read_lists_versions(api_client: Any) -> None:
    team = a_team()
    application_id = applied(team, ["directed-surveillance"], base_content())
    response = call(team.gatekeeper, "get", f"/applications/{application_id}")
    body = response.json()
    assert response.status_code == 200
    assert body["version"] == 3
    assert body["state"] == "with-authorising-officer"
    assert [document["document_key"] for document in body["documents"]] == [
        "application",
        "gatekeeper-check-1",
    ]
    assert body["powers"] == []
    assert AuditEvent.objects.filter(
        event_type="record.viewed", object_type="application", object_id=str(application_id)
    ).exists()


def test_deadlines_read_lists_review_and_expiry() -> None:
    team = a_team()
    officer = team.officer()
    application_id = applied(team, ["directed-surveillance"], base_content())
    call(
        officer,
        "post",
        f"/applications/{application_id}/grant",
        {"expected_version": 3, "decision": decision("2026-12-20")},
    )
    response = call(
        team.applicant, "get", f"/applications/{application_id}/deadlines?within_days=366"
    )
    assert response.status_code == 200
    kinds = {item["kind"] for item in response.json()["items"]}
    assert {"review", "expiry"} <= kinds
    assert all(team.applicant.pk in item["people"] for item in response.json()["items"])
