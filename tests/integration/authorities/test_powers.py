"""Journeys for each power, with the dates each must produce worked by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cpmp.access.roles import Rank
from cpmp.authorities import actions
from cpmp.authorities.errors import ApplicationInvalid, LawRefusal
from cpmp.authorities.models import Authorisation, RecordState
from cpmp.authorities.selectors import with_status
from tests.lifecycle_factories import (
    a_source,
    an_authoriser,
    at,
    base_content,
    chis_content,
    decision,
    tactic,
)

pytestmark = pytest.mark.django_db


def status_of(row: Authorisation, now: datetime) -> str:
    return with_status(Authorisation.objects.filter(pk=row.pk), now).get().status


def approve(application, kind, version, notified):  # type: ignore[no-untyped-def]
    return actions.record_commissioner_decision(
        application,
        acting_user=application.gatekeeper,
        expected_version=version,
        kind=kind,
        outcome="approved",
        decision={
            "decided_at": notified,
            "notified_at": notified,
            "document_reference": "JC/2026/001",
        },
    )


def test_combined_property_and_intrusive_have_separate_status(submitted) -> None:  # type: ignore[no-untyped-def]
    commissioner = an_authoriser(Rank.ASSISTANT_COMMISSIONER, senior=True)
    content = base_content(
        grounds=["serious-crime"],
        serious_crime="Supply of class A drugs, punishable by life imprisonment.",
        conduct=[
            {"category": "premises", "identifier": "Flat 2, 1 High St", "premises_use": "other"},
            {"category": "vehicle", "identifier": "AB12 CDE"},
            {"category": "equipment", "identifier": "PROBE-7"},
            tactic("audio-probe-in-vehicle"),
        ],
    )
    application = submitted(["property-interference", "intrusive-surveillance"], content)
    rows = actions.grant_application(
        application,
        acting_user=commissioner,
        expected_version=3,
        decision=decision("2026-03-01"),
        at=at("2026-02-02T15:00:00+00:00"),
    )
    by_kind = {row.kind: row for row in rows}
    pi = by_kind["property-interference"]
    intrusive = by_kind["intrusive-surveillance"]

    # Property interference (not s.97 premises) takes effect on signature; intrusive
    # surveillance waits for the Commissioner (RIPA s.36).
    assert pi.state == RecordState.GRANTED
    assert pi.expires_at == datetime(2026, 5, 1, 23, 0, tzinfo=UTC)  # last day 1 May 2026
    assert intrusive.state == RecordState.AWAITING_APPROVAL
    assert status_of(intrusive, at("2026-02-03T00:00:00+00:00")) == "awaiting-approval"
    assert status_of(pi, at("2026-02-03T00:00:00+00:00")) == "live"

    # Approved 5 Feb, the AO informed the same day: 3 months beginning with 5 Feb end 4 May.
    intrusive = approve(application, "intrusive-surveillance", 4, "2026-02-05T11:00:00+00:00")
    assert intrusive.state == RecordState.GRANTED
    assert intrusive.details["periods"][0]["first_day"] == "2026-02-05"
    assert intrusive.details["periods"][0]["last_day"] == "2026-05-04"


def chis_application(submitted, operation, kind="chis", **extra):  # type: ignore[no-untyped-def]
    handler = an_authoriser(Rank.SERGEANT)
    controller = an_authoriser(Rank.INSPECTOR)
    source = a_source(operation)
    content = chis_content(handler, controller, **extra)
    return submitted([kind], content, source=source), source


def review_chis(row, officer, version, when):  # type: ignore[no-untyped-def]
    return actions.record_review(
        row,
        acting_user=officer,
        expected_version=version,
        review={
            "changes": {
                "contacts": "Met the subject twice.",
                "product": "Two intelligence reports.",
                "risk": "Unchanged.",
                "collateral_intrusion": "None.",
            },
            "use_of_source": "Tasked to attend two meetings.",
            "tasks_given": "Report who attends.",
            "information_obtained": "Names of two couriers.",
            "continue": True,
            "reasoning": "The couriers' supplier is not yet known.",
            "next_review_on": (when.date() + timedelta(days=20)).isoformat(),
        },
        at=when,
    )


RENEWAL = {
    "changes": "None significant.",
    "necessity": "Still necessary.",
    "proportionality": "Still proportionate.",
    "value_so_far": "Two couriers named.",
    "first_review_on": "2027-02-01",
}


def test_chis_journey_and_renewal_needs_review(submitted, operation, superintendent) -> None:  # type: ignore[no-untyped-def]
    application, _ = chis_application(submitted, operation)
    (row,) = actions.grant_application(
        application,
        acting_user=superintendent,
        expected_version=3,
        decision=decision("2025-02-15"),
        at=at("2025-01-31T10:00:00+00:00"),
    )
    # 12 months beginning with 31 Jan 2025 end with 30 Jan 2026 (C1).
    assert row.details["periods"][0]["last_day"] == "2026-01-30"

    with pytest.raises(LawRefusal) as refused:
        actions.renew_authorisation(
            row,
            acting_user=superintendent,
            expected_version=4,
            renewal=RENEWAL,
            at=at("2026-01-20T10:00:00+00:00"),
        )
    assert refused.value.code == "chis_renewal_without_review"

    review_chis(row, superintendent, 4, at("2026-01-10T10:00:00+00:00"))
    renewed = actions.renew_authorisation(
        row,
        acting_user=superintendent,
        expected_version=5,
        renewal=RENEWAL,
        at=at("2026-01-20T10:00:00+00:00"),
    )
    # Renewal begins with 30 Jan 2026 (C5) and ends with 29 Jan 2027.
    assert renewed.details["periods"][1]["first_day"] == "2026-01-30"
    assert renewed.details["periods"][1]["last_day"] == "2027-01-29"


def test_renewal_after_expiry_refused(submitted, superintendent) -> None:  # type: ignore[no-untyped-def]
    application = submitted(["directed-surveillance"], base_content())
    (row,) = actions.grant_application(
        application,
        acting_user=superintendent,
        expected_version=3,
        decision=decision("2026-01-20"),
        at=at("2026-01-01T10:00:00+00:00"),
    )
    with pytest.raises(LawRefusal) as refused:
        actions.renew_authorisation(
            row,
            acting_user=superintendent,
            expected_version=4,
            renewal=RENEWAL,
            at=at("2026-04-01T00:00:00+01:00"),  # 31 Mar was the last day
        )
    assert refused.value.code == "renewal_after_expiry"


def test_juvenile_chis_four_months_monthly_review(submitted, operation) -> None:  # type: ignore[no-untyped-def]
    commander = an_authoriser(Rank.COMMANDER)
    juvenile = {
        "date_of_birth": "2009-06-01",
        "relationship_with_parent": False,
        "appropriate_adult": "Named youth worker",
        "enhanced_risk_assessment_reference": "ERA/2026/0001",
    }
    application, _ = chis_application(submitted, operation, "juvenile-chis", juvenile=juvenile)
    (row,) = actions.grant_application(
        application,
        acting_user=commander,
        expected_version=3,
        decision=decision("2026-02-27"),
        at=at("2026-01-30T10:00:00+00:00"),
    )
    # SI 2000/2793 art 6: 4 months beginning with 30 Jan 2026 end with 29 May 2026.
    assert row.juvenile
    assert row.details["periods"][0]["last_day"] == "2026-05-29"

    # Monthly reviews: after 27 Feb the next is due by 29 Mar (30 Jan + 2 months - 1 day).
    review = {
        "changes": {
            "contacts": "One meeting.",
            "product": "None.",
            "risk": "Unchanged.",
            "collateral_intrusion": "None.",
        },
        "use_of_source": "One meeting.",
        "tasks_given": "None new.",
        "information_obtained": "None.",
        "continue": True,
        "reasoning": "Continuing.",
        "next_review_on": "2026-04-15",
    }
    with pytest.raises(Exception) as invalid:
        actions.record_review(
            row,
            acting_user=commander,
            expected_version=4,
            review=review,
            at=at("2026-02-27T10:00:00+00:00"),
        )
    assert "next_review_on" in invalid.value.fields["errors"]  # type: ignore[attr-defined]


def test_juvenile_first_review_within_a_month(submitted, operation) -> None:  # type: ignore[no-untyped-def]
    # A source under 18 is reviewed at least monthly: granted 30 Jan 2026, the first review
    # is due by 27 Feb 2026 (convention C2), so 28 Feb is refused.
    juvenile = {
        "date_of_birth": "2009-06-01",
        "relationship_with_parent": False,
        "appropriate_adult": "Named youth worker",
        "enhanced_risk_assessment_reference": "ERA/2026/0001",
    }
    application, _ = chis_application(submitted, operation, "juvenile-chis", juvenile=juvenile)

    with pytest.raises(ApplicationInvalid) as invalid:
        actions.grant_application(
            application,
            acting_user=an_authoriser(Rank.COMMANDER),
            expected_version=3,
            decision=decision("2026-02-28"),
            at=at("2026-01-30T10:00:00+00:00"),
        )

    assert "on or before 27 February 2026" in invalid.value.errors["first_review_on"]


def test_juvenile_under_16_with_parent_refused(submitted, operation) -> None:  # type: ignore[no-untyped-def]
    commander = an_authoriser(Rank.COMMANDER)
    juvenile = {
        "date_of_birth": "2011-06-01",  # 14 at the grant
        "relationship_with_parent": True,
        "appropriate_adult": "Named youth worker",
        "enhanced_risk_assessment_reference": "ERA/2026/0002",
    }
    application, _ = chis_application(submitted, operation, "juvenile-chis", juvenile=juvenile)
    with pytest.raises(LawRefusal) as refused:
        actions.grant_application(
            application,
            acting_user=commander,
            expected_version=3,
            decision=decision("2026-02-27"),
            at=at("2026-01-30T10:00:00+00:00"),
        )
    assert refused.value.code == "juvenile_under_16_parent"
    assert "juveniles-order-art-3-under-16-parent" in refused.value.fields["rules"]


def test_criminal_conduct_needs_live_chis(submitted, operation, superintendent) -> None:  # type: ignore[no-untyped-def]
    chis_app, source = chis_application(submitted, operation)
    (chis_row,) = actions.grant_application(
        chis_app,
        acting_user=superintendent,
        expected_version=3,
        decision=decision("2026-02-15"),
        at=at("2026-01-05T10:00:00+00:00"),
    )
    conduct = {
        "criminal_conduct": {
            "conduct": "Possession of a small quantity of cannabis when offered.",
            "human_rights_compatibility": "No violence or threat to anyone's rights.",
        }
    }
    content = chis_content(
        chis_row.application.applicant, chis_row.application.applicant, **conduct
    )
    other_source = a_source(operation)
    wrong = submitted(
        ["criminal-conduct"], content, source=other_source, chis_authorisation=chis_row
    )
    with pytest.raises(LawRefusal) as refused:
        actions.grant_application(
            wrong,
            acting_user=superintendent,
            expected_version=3,
            decision=decision("2026-02-15"),
            at=at("2026-01-06T10:00:00+00:00"),
        )
    assert refused.value.code == "criminal_conduct_without_live_chis"

    # After the CHIS authorisation is cancelled, no CCA can be granted under it.
    actions.cancel_authorisation(
        chis_row,
        acting_user=superintendent,
        expected_version=4,
        cancellation={
            "reasons": "Source no longer needed.",
            "outcome": "Useful.",
            "ceased_at": "2026-01-10T10:00:00+00:00",
            "product_owner_id": superintendent.pk,
            "product_instructions": "Keep for 3 years.",
        },
        at=at("2026-01-10T10:00:00+00:00"),
    )
    late = submitted(["criminal-conduct"], content, source=source, chis_authorisation=chis_row)
    with pytest.raises(LawRefusal) as refused:
        actions.grant_application(
            late,
            acting_user=superintendent,
            expected_version=3,
            decision=decision("2026-02-15"),
            at=at("2026-01-11T10:00:00+00:00"),
        )
    assert refused.value.code == "criminal_conduct_without_live_chis"


def test_criminal_conduct_granted_with_chis(submitted, operation, superintendent) -> None:  # type: ignore[no-untyped-def]
    handler = an_authoriser(Rank.SERGEANT)
    source = a_source(operation)
    content = chis_content(
        handler,
        handler,
        criminal_conduct={
            "conduct": "Possession of a small quantity of cannabis when offered.",
            "human_rights_compatibility": "No violence or threat to anyone's rights.",
        },
    )
    application = submitted(["chis", "criminal-conduct"], content, source=source)
    rows = actions.grant_application(
        application,
        acting_user=superintendent,
        expected_version=3,
        decision=decision("2026-07-20"),
        at=at("2026-07-10T10:00:00+01:00"),
    )
    assert {row.kind: row.state for row in rows} == {
        "chis": RecordState.GRANTED,
        "criminal-conduct": RecordState.GRANTED,
    }


def test_relevant_source_needs_commander(submitted, operation, superintendent) -> None:  # type: ignore[no-untyped-def]
    application, _ = chis_application(submitted, operation, "relevant-source")
    with pytest.raises(LawRefusal) as refused:
        actions.grant_application(
            application,
            acting_user=superintendent,
            expected_version=3,
            decision=decision("2026-02-15"),
            at=at("2026-01-05T10:00:00+00:00"),
        )
    assert refused.value.code == "authoriser_not_permitted"
    commander = an_authoriser(Rank.COMMANDER)
    (row,) = actions.grant_application(
        application,
        acting_user=commander,
        expected_version=3,
        decision=decision("2026-02-15"),
        at=at("2026-01-05T10:00:00+00:00"),
    )
    assert row.details["periods"][0]["last_day"] == "2027-01-04"


TEI_CONTENT = base_content(
    grounds=["serious-crime"],
    serious_crime="Importation of firearms.",
    technical_description=(
        "Remote extraction of messages from handset IMEI-3559 by an implant delivered over "
        "the network, limited to the messaging application."
    ),
    conduct=[
        {"category": "equipment", "identifier": "IMEI-3559", "description": "Handset"},
        tactic("remote-extraction"),
    ],
)


def test_equipment_interference_double_lock_and_window(submitted) -> None:  # type: ignore[no-untyped-def]
    chief = an_authoriser(Rank.ASSISTANT_COMMISSIONER, senior=True)
    application = submitted(["equipment-interference"], TEI_CONTENT)
    (row,) = actions.grant_application(
        application,
        acting_user=chief,
        expected_version=3,
        decision=decision("2026-04-01"),
        at=at("2026-03-02T10:00:00+00:00"),
    )
    assert row.state == RecordState.AWAITING_APPROVAL
    row = approve(application, "equipment-interference", 4, "2026-03-03T10:00:00+00:00")
    # 6 months beginning with 3 Mar 2026 end with 2 Sep 2026 (IPA s.116(2)(b)).
    assert row.details["periods"][0]["last_day"] == "2026-09-02"

    # The renewal window is the 30 days ending with 2 Sep: 4 Aug to 2 Sep 2026.
    with pytest.raises(LawRefusal) as refused:
        actions.renew_authorisation(
            row,
            acting_user=chief,
            expected_version=5,
            renewal=RENEWAL,
            at=at("2026-08-03T10:00:00+01:00"),
        )
    assert refused.value.code == "renewal_outside_window"
    assert refused.value.fields["window_first_day"] == "2026-08-04"

    renewed = actions.renew_authorisation(
        row,
        acting_user=chief,
        expected_version=5,
        renewal=RENEWAL,
        at=at("2026-08-04T10:00:00+01:00"),
    )
    # The renewal needs approval (IPA s.117); until then the old period runs.
    assert "renewal_awaiting_approval" in renewed.findings
    renewed = approve(application, "equipment-interference", 6, "2026-08-10T10:00:00+01:00")
    # C6: 6 months from 3 Sep 2026 end with 2 Mar 2027.
    assert renewed.details["periods"][1]["first_day"] == "2026-09-03"
    assert renewed.details["periods"][1]["last_day"] == "2027-03-02"


def test_equipment_interference_needs_specific_description(submitted) -> None:  # type: ignore[no-untyped-def]
    from cpmp.authorities.errors import ApplicationInvalid

    generic = dict(TEI_CONTENT, technical_description="Equipment interference as standard.")
    with pytest.raises(ApplicationInvalid) as invalid:
        submitted(["equipment-interference"], generic)
    assert "technical_description" in invalid.value.errors
