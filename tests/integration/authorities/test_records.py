"""Immutability, optimistic locking, oral grants, the register, deadlines and external
authorities."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, connections

from cpmp.access.roles import Rank
from cpmp.authorities import actions
from cpmp.authorities.deadlines import DeadlineKind, deadlines_at
from cpmp.authorities.documents import content_sha256
from cpmp.authorities.errors import LawRefusal, StaleVersion
from cpmp.authorities.models import (
    Application,
    Authorisation,
    CaseEvent,
    DocumentVersion,
    ImmutableRecord,
    Origin,
    RecordState,
)
from cpmp.authorities.selectors import register_rows
from cpmp.law.calendar import Calendars
from cpmp.law.durations import Grant, period_of
from cpmp.law.kinds import AuthorityKind
from tests.factories import make_authorisation
from tests.lifecycle_factories import an_authoriser, at, base_content, decision

pytestmark = pytest.mark.django_db


def test_document_versions_are_immutable(submitted) -> None:  # type: ignore[no-untyped-def]
    application = submitted(["directed-surveillance"], base_content())
    document = DocumentVersion.objects.get(application=application, document_key="application")
    assert document.sha256 == content_sha256(document.content)

    document.content = {"purpose": "changed"}
    with pytest.raises(ImmutableRecord):
        document.save()
    with pytest.raises(ImmutableRecord):
        document.delete()
    with pytest.raises(ImmutableRecord):
        DocumentVersion.objects.filter(pk=document.pk).update(content={})
    with pytest.raises(ImmutableRecord):
        DocumentVersion.objects.filter(pk=document.pk).delete()
    with pytest.raises(ImmutableRecord):
        CaseEvent.objects.filter(application=application).delete()
    document.refresh_from_db()
    assert document.content["purpose"] != "changed"


def test_amendment_is_new_version_with_reason(applicant, gatekeeper, operation) -> None:  # type: ignore[no-untyped-def]
    application = actions.create_application(
        acting_user=applicant,
        operation=operation,
        kinds=["directed-surveillance"],
        reference="DS/AMEND/1",
        content=base_content(),
    )
    actions.submit_application(application, acting_user=applicant, expected_version=1)
    actions.return_for_amendment(
        application, acting_user=gatekeeper, expected_version=2, reasons="Name the car park."
    )
    actions.save_draft(
        application,
        acting_user=applicant,
        expected_version=3,
        content=base_content(purpose="Supply at the Station Road car park."),
    )
    from cpmp.authorities.errors import ApplicationInvalid

    with pytest.raises(ApplicationInvalid) as invalid:
        actions.submit_application(application, acting_user=applicant, expected_version=4)
    assert "amendment_reason" in invalid.value.errors
    actions.submit_application(
        application, acting_user=applicant, expected_version=4, amendment_reason="Named it."
    )
    versions = list(
        DocumentVersion.objects.filter(application=application, document_key="application")
        .order_by("number")
        .values_list("number", "amendment_reason")
    )
    assert versions == [(1, ""), (2, "Named it.")]


def test_stale_version_names_who_acted(submitted, superintendent) -> None:  # type: ignore[no-untyped-def]
    other = an_authoriser(Rank.SUPERINTENDENT)
    application = submitted(["directed-surveillance"], base_content())
    actions.grant_application(
        application,
        acting_user=other,
        expected_version=3,
        decision=decision("2026-02-20"),
        at=at("2026-02-01T10:00:00+00:00"),
    )
    stale = Application.objects.get(pk=application.pk)
    with pytest.raises(StaleVersion) as conflict:
        actions.grant_application(
            stale,
            acting_user=superintendent,
            expected_version=3,
            decision=decision("2026-02-20"),
            at=at("2026-02-01T10:01:00+00:00"),
        )
    assert conflict.value.fields["changed_by_id"] == other.pk
    assert conflict.value.fields["changed_by"] == other.get_full_name()
    assert conflict.value.fields["current_version"] == 4
    assert Authorisation.objects.filter(application=application).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_one_wins() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (see scripts/test-postgres)")
    from tests.factories import a_gatekeeper
    from tests.lifecycle_factories import an_applicant_officer, an_operation

    applicant = an_applicant_officer()
    operation = an_operation(applicant)
    gatekeeper = a_gatekeeper()
    application = actions.create_application(
        acting_user=applicant,
        operation=operation,
        kinds=["directed-surveillance"],
        reference="DS/RACE/1",
        content=base_content(),
    )
    actions.submit_application(application, acting_user=applicant, expected_version=1)
    actions.accept_application(application, acting_user=gatekeeper, expected_version=2)
    officers = [an_authoriser(Rank.SUPERINTENDENT), an_authoriser(Rank.SUPERINTENDENT)]
    barrier = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def grant(officer) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            outcomes[officer.pk] = actions.grant_application(
                Application.objects.get(pk=application.pk),
                acting_user=officer,
                expected_version=3,
                decision=decision("2026-02-20"),
                at=at("2026-02-01T10:00:00+00:00"),
            )
        except StaleVersion as error:
            outcomes[officer.pk] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=grant, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    errors = [value for value in outcomes.values() if isinstance(value, StaleVersion)]
    winners = [pk for pk, value in outcomes.items() if not isinstance(value, StaleVersion)]
    assert len(errors) == 1
    assert len(winners) == 1
    assert errors[0].fields["changed_by_id"] == winners[0]
    assert Authorisation.objects.filter(application=application).count() == 1


def test_oral_grant_lasts_72_hours_then_renewal(submitted, applicant, superintendent) -> None:  # type: ignore[no-untyped-def]
    application = submitted(
        ["directed-surveillance"], base_content(urgency_reason="A life is at risk tonight.")
    )
    (row,) = actions.record_oral_grant(
        application,
        acting_user=applicant,
        expected_version=3,
        authorising_officer=superintendent,
        decision=decision("2026-03-30", urgency_reason="Kidnap in progress."),
        at=at("2026-03-27T10:00:00+00:00"),
    )
    # C4: 72 elapsed hours across the spring change end at 11:00 BST on Mon 30 Mar 2026.
    assert row.expires_at == datetime(2026, 3, 30, 10, 0, tzinfo=UTC)
    assert "written_record_outstanding" in row.findings
    due = [d for d in deadlines_at(at("2026-03-27T12:00:00+00:00")) if d.authorisation_id == row.pk]
    chase = [d for d in due if d.kind == DeadlineKind.WRITTEN_RECORD]
    # Next working day after Fri 27 Mar is Mon 30 Mar, capped by the 72-hour end.
    assert chase[0].due_at == datetime(2026, 3, 30, 10, 0, tzinfo=UTC)
    assert applicant.pk in chase[0].people

    (row,) = actions.record_written_grant(
        application,
        acting_user=superintendent,
        expected_version=4,
        mode="renewal",
        decision=decision("2026-04-20"),
        at=at("2026-03-28T09:00:00+00:00"),
    )
    # C7 renewal: begins with 30 Mar, the day the 72 hours end, and ends with 29 Jun 2026.
    assert "written_record_outstanding" not in row.findings
    assert row.details["periods"][1]["first_day"] == "2026-03-30"
    assert row.details["periods"][1]["last_day"] == "2026-06-29"


def test_oral_then_fresh_grant_supersedes(submitted, applicant, superintendent) -> None:  # type: ignore[no-untyped-def]
    application = submitted(["directed-surveillance"], base_content())
    actions.record_oral_grant(
        application,
        acting_user=applicant,
        expected_version=3,
        authorising_officer=superintendent,
        decision=decision("2026-03-30", urgency_reason="Kidnap in progress."),
        at=at("2026-03-27T10:00:00+00:00"),
    )
    (row,) = actions.record_written_grant(
        application,
        acting_user=superintendent,
        expected_version=4,
        mode="fresh-grant",
        decision=decision("2026-04-20"),
        at=at("2026-03-28T09:00:00+00:00"),
    )
    assert "oral_grant_superseded" in row.findings
    assert row.details["periods"][0]["superseded_at"] == "2026-03-28T09:00:00+00:00"
    assert row.details["periods"][1]["last_day"] == "2026-06-27"


def test_inspector_may_not_grant_unless_urgent(submitted) -> None:  # type: ignore[no-untyped-def]
    inspector = an_authoriser(Rank.INSPECTOR)
    application = submitted(["directed-surveillance"], base_content())
    with pytest.raises(LawRefusal) as refused:
        actions.grant_application(
            application,
            acting_user=inspector,
            expected_version=3,
            decision=decision("2026-02-20"),
            at=at("2026-02-01T10:00:00+00:00"),
        )
    assert refused.value.code == "authoriser_not_permitted"


def test_self_authorisation_needs_reason_and_is_flagged(applicant, gatekeeper, operation) -> None:  # type: ignore[no-untyped-def]
    officer = an_authoriser(Rank.SUPERINTENDENT)
    operation.senior_investigating_officer = officer
    operation.save()
    application = actions.create_application(
        acting_user=applicant,
        operation=operation,
        kinds=["directed-surveillance"],
        reference="DS/SELF/1",
        content=base_content(),
    )
    actions.submit_application(application, acting_user=applicant, expected_version=1)
    actions.accept_application(application, acting_user=gatekeeper, expected_version=2)
    with pytest.raises(LawRefusal) as refused:
        actions.grant_application(
            application,
            acting_user=officer,
            expected_version=3,
            decision=decision("2026-02-20"),
            at=at("2026-02-01T10:00:00+00:00"),
        )
    assert refused.value.code == "self_authorisation_unrecorded"
    (row,) = actions.grant_application(
        application,
        acting_user=officer,
        expected_version=3,
        decision=decision("2026-02-20", self_authorisation_reason="Only officer on duty."),
        at=at("2026-02-01T10:00:00+00:00"),
    )
    assert "self_authorised" in row.findings


def test_confidential_material_needs_higher_rank(submitted, superintendent) -> None:  # type: ignore[no-untyped-def]
    content = base_content(
        confidential_material={
            "likelihood": "likely",
            "types": ["confidential-journalistic"],
            "explanation": "The subject meets a journalist.",
        }
    )
    application = submitted(["directed-surveillance"], content)
    with pytest.raises(LawRefusal) as refused:
        actions.grant_application(
            application,
            acting_user=superintendent,
            expected_version=3,
            decision=decision("2026-02-20", confidential_material_consideration="Considered."),
            at=at("2026-02-01T10:00:00+00:00"),
        )
    assert refused.value.code == "authoriser_not_permitted"


def test_commissioner_quash_ends_and_records_material(submitted) -> None:  # type: ignore[no-untyped-def]
    chief = an_authoriser(Rank.ASSISTANT_COMMISSIONER, senior=True)
    content = base_content(
        grounds=["serious-crime"],
        urgency_reason="The meeting is tonight.",
        conduct=[
            {"category": "premises", "identifier": "1 High St", "premises_use": "dwelling"},
            {
                "category": "tactic",
                **{k: v for k, v in base_content()["conduct"][2].items() if k != "category"},
            },
        ],
    )
    application = submitted(["intrusive-surveillance"], content, urgent=True)
    (row,) = actions.grant_application(
        application,
        acting_user=chief,
        expected_version=3,
        decision=decision("2026-02-20", urgency_reason="The meeting is tonight."),
        at=at("2026-02-01T10:00:00+00:00"),
    )
    assert row.state == RecordState.GRANTED  # urgent: effect at once (RIPA s.36(3))
    due = [
        d.kind
        for d in deadlines_at(at("2026-02-01T11:00:00+00:00"))
        if d.authorisation_id == row.pk
    ]
    assert DeadlineKind.COMMISSIONER_NOTICE in due
    row = actions.record_commissioner_decision(
        application,
        acting_user=application.gatekeeper,
        expected_version=4,
        kind="intrusive-surveillance",
        outcome="quashed",
        decision={
            "decided_at": "2026-02-02T09:00:00+00:00",
            "notified_at": "2026-02-02T09:30:00+00:00",
            "document_reference": "JC/Q/1",
            "material_instructions": "Destroy all product by 9 Feb.",
        },
    )
    assert row.cancelled_from == at("2026-02-02T09:00:00+00:00")
    assert "quashed_by_commissioner" in row.findings


def test_projection_matches_law_core(submitted, superintendent) -> None:  # type: ignore[no-untyped-def]
    calendars = Calendars.default()
    for granted in (
        "2025-11-30T10:00:00+00:00",
        "2026-01-31T10:00:00+00:00",
        # A leap day in the past: a step may not be dated in the future.
        "2024-02-29T10:00:00+00:00",
    ):
        application = submitted(["directed-surveillance"], base_content())
        (row,) = actions.grant_application(
            application,
            acting_user=superintendent,
            expected_version=3,
            decision=decision("2028-12-31"),
            at=at(granted),
        )
        expected = period_of(Grant(AuthorityKind.DIRECTED_SURVEILLANCE, at(granted)), calendars)
        assert row.expires_at == expected.expires_at
        assert row.details["periods"][0]["last_day"] == expected.last_day.isoformat()


def test_register_counts_imported_duplicate_once(submitted, superintendent) -> None:  # type: ignore[no-untyped-def]
    application = submitted(["directed-surveillance"], base_content())
    imported = make_authorisation(
        origin=Origin.IMPORTED, reference=application.reference, kind="directed-surveillance"
    )
    (row,) = actions.grant_application(
        application,
        acting_user=superintendent,
        expected_version=3,
        decision=decision("2026-02-20"),
        at=at("2026-02-01T10:00:00+00:00"),
    )
    imported.refresh_from_db()
    assert imported.superseded_by_id == row.pk
    references = list(
        register_rows(Authorisation.objects.filter(reference=application.reference)).values_list(
            "pk", flat=True
        )
    )
    assert references == [row.pk]


def test_equipment_recovery_chased_after_cancellation(submitted) -> None:  # type: ignore[no-untyped-def]
    chief = an_authoriser(Rank.ASSISTANT_COMMISSIONER, senior=True)
    content = base_content(
        grounds=["serious-crime"],
        serious_crime="Firearms supply.",
        conduct=[
            {"category": "vehicle", "identifier": "AB12 CDE"},
            {"category": "equipment", "identifier": "TRACKER-9"},
            base_content()["conduct"][2],
        ],
    )
    application = submitted(["property-interference"], content)
    (row,) = actions.grant_application(
        application,
        acting_user=chief,
        expected_version=3,
        decision=decision("2026-02-20"),
        at=at("2026-02-01T10:00:00+00:00"),
    )
    row = actions.cancel_authorisation(
        row,
        acting_user=chief,
        expected_version=4,
        cancellation={
            "reasons": "Arrests made.",
            "outcome": "Tracked to the lock-up.",
            "ceased_at": "2026-02-10T10:00:00+00:00",
            "product_owner_id": chief.pk,
            "product_instructions": "Keep for trial.",
        },
        at=at("2026-02-10T10:00:00+00:00"),
    )
    due = [d for d in deadlines_at(at("2026-02-11T10:00:00+00:00")) if d.authorisation_id == row.pk]
    assert [(d.kind, d.detail) for d in due if d.kind == DeadlineKind.EQUIPMENT_RECOVERY] == [
        (DeadlineKind.EQUIPMENT_RECOVERY, "TRACKER-9")
    ]
    actions.record_equipment_recovered(
        row,
        acting_user=chief,
        expected_version=5,
        equipment="TRACKER-9",
        at=at("2026-02-11T12:00:00+00:00"),
    )
    due = [d for d in deadlines_at(at("2026-02-12T10:00:00+00:00")) if d.authorisation_id == row.pk]
    assert not [d for d in due if d.kind == DeadlineKind.EQUIPMENT_RECOVERY]


def test_external_authority_retention_three_months(applicant, operation) -> None:  # type: ignore[no-untyped-def]
    record = actions.record_external_authority(
        acting_user=applicant,
        operation=operation,
        authority_type="prison-rule-35a",
        details={
            "granted_by": "Head of Security",
            "organisation": "HMP Example",
            "external_reference": "PR35A/1",
            "starts_on": "2026-01-01",
            "ends_on": "2026-01-31",
            "review_on": "2026-01-15",
        },
    )
    assert record.retention_until.isoformat() == "2026-04-30"


def test_similarity_warning_on_copied_proportionality(
    submitted, gatekeeper, applicant, operation
) -> None:  # type: ignore[no-untyped-def]
    submitted(["directed-surveillance"], base_content())
    copied = actions.create_application(
        acting_user=applicant,
        operation=operation,
        kinds=["directed-surveillance"],
        reference="DS/COPY/1",
        content=base_content(),
    )
    actions.submit_application(copied, acting_user=applicant, expected_version=1)
    check = actions.accept_application(copied, acting_user=gatekeeper, expected_version=2)
    fields = {warning.field for warning in check.warnings}
    assert "conduct.2.proportionality" in fields
    assert check.document.content["similarity_warnings"]
