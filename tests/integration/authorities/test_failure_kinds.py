"""Two failures inspectors find, and the rules that prevent them.

Long-running authorisations miss key subjects, vehicles or places added after the grant:
a variation adds them, only with an authorising officer's sign-off, as new authorised
conduct. Collateral intrusion is left unassessed: submission is rejected until it is
assessed for the whole application and for each tactic.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cpmp.access.models import User
from cpmp.access.roles import Rank
from cpmp.authorities import actions
from cpmp.authorities.errors import ApplicationInvalid, LawRefusal, NotPermitted
from cpmp.authorities.models import (
    ApplicationState,
    Authorisation,
    AuthorisedConduct,
    DocumentType,
    DocumentVersion,
    EventType,
)
from tests.integration.pages.helpers import content_data, url, version
from tests.lifecycle_factories import an_authoriser, base_content, decision, tactic

NEW_ITEMS = [
    {"category": "subject", "identifier": "NOMINAL-002", "description": "Subject B"},
    {"category": "premises", "identifier": "2 Example Road", "premises_use": "other"},
    {"category": "vehicle", "identifier": "CD34 EFG", "description": "Red van"},
]
GRANTED_VERSION = 4


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.fixture
def live(submitted: Any, superintendent: User) -> Authorisation:
    """A directed surveillance authorisation granted an hour ago, at version 4."""
    application = submitted(["directed-surveillance"], base_content())
    (row,) = actions.grant_application(
        application,
        acting_user=superintendent,
        expected_version=3,
        decision=decision(in_days(7)),
        at=timezone.now() - timedelta(hours=1),
    )
    return row


def variation(**extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "add": NEW_ITEMS,
        "remove": [],
        "reasons": "Subject B now collects the drugs from a second address in a red van.",
    }
    values.update(extra)
    return values


def in_force(authorisation: Authorisation) -> set[tuple[str, str]]:
    return {(item.category, item.identifier) for item in authorisation.conduct.in_force()}


# --- Variations --------------------------------------------------------------------------------


def test_variation_adds_conduct_signed_off(live: Authorisation, superintendent: User) -> None:
    before = in_force(live)

    actions.vary_authorisation(
        live,
        acting_user=superintendent,
        expected_version=GRANTED_VERSION,
        variation=variation(),
    )

    after = in_force(live)
    assert after - before == {
        ("subject", "NOMINAL-002"),
        ("premises", "2 Example Road"),
        ("vehicle", "CD34 EFG"),
    }
    assert before <= after
    added = AuthorisedConduct.objects.filter(
        authorisation=live, identifier__in=["NOMINAL-002", "2 Example Road", "CD34 EFG"]
    )
    assert added.count() == 3
    for item in added:
        assert item.added_by.event_type == EventType.VARIED
        assert item.added_by.actor_id == superintendent.pk
    premises = added.get(category="premises")
    assert premises.premises_use == "other"


def test_variation_is_kept_as_a_document(live: Authorisation, superintendent: User) -> None:
    actions.vary_authorisation(
        live,
        acting_user=superintendent,
        expected_version=GRANTED_VERSION,
        variation=variation(),
    )

    document = DocumentVersion.objects.get(
        application=live.application, document_type=DocumentType.VARIATION
    )
    assert document.author_id == superintendent.pk
    assert document.content["reasons"].startswith("Subject B now collects")
    identifiers = [item["identifier"] for item in document.content["add"]]
    assert identifiers == ["NOMINAL-002", "2 Example Road", "CD34 EFG"]


def test_variation_by_applicant_not_permitted(live: Authorisation, applicant: User) -> None:
    before = in_force(live)

    with pytest.raises(NotPermitted):
        actions.vary_authorisation(
            live,
            acting_user=applicant,
            expected_version=GRANTED_VERSION,
            variation=variation(),
        )

    assert in_force(live) == before


def test_variation_by_urgent_only_rank_refused(live: Authorisation) -> None:
    """An inspector may grant directed surveillance only when urgent, so may not sign off."""
    inspector = an_authoriser(Rank.INSPECTOR)
    before = in_force(live)

    with pytest.raises(LawRefusal) as refused:
        actions.vary_authorisation(
            live,
            acting_user=inspector,
            expected_version=GRANTED_VERSION,
            variation=variation(),
        )

    assert refused.value.code == "authoriser_not_permitted"
    assert in_force(live) == before


def test_variation_without_items_or_reasons_invalid(
    live: Authorisation, superintendent: User
) -> None:
    with pytest.raises(ApplicationInvalid) as invalid:
        actions.vary_authorisation(
            live,
            acting_user=superintendent,
            expected_version=GRANTED_VERSION,
            variation={"add": [], "remove": [], "reasons": " "},
        )

    assert invalid.value.errors == {
        "add": "Add at least one subject, place, vehicle or other item, or remove one",
        "reasons": "Enter why the authorisation is being varied",
    }


def test_variation_item_without_identifier_invalid(
    live: Authorisation, superintendent: User
) -> None:
    items = [{"category": "vehicle", "identifier": "", "description": "Red van"}]

    with pytest.raises(ApplicationInvalid) as invalid:
        actions.vary_authorisation(
            live,
            acting_user=superintendent,
            expected_version=GRANTED_VERSION,
            variation=variation(add=items),
        )

    assert invalid.value.errors == {
        "add.0.identifier": "Enter the reference, address, registration or name"
    }


def test_variation_tactic_needs_collateral_intrusion(
    live: Authorisation, superintendent: User
) -> None:
    new_tactic = tactic("mobile-surveillance")
    new_tactic["collateral_intrusion"] = ""

    with pytest.raises(ApplicationInvalid) as invalid:
        actions.vary_authorisation(
            live,
            acting_user=superintendent,
            expected_version=GRANTED_VERSION,
            variation=variation(add=[new_tactic]),
        )

    assert set(invalid.value.errors) == {"add.0.collateral_intrusion"}


def test_variation_tactic_needs_collateral_minimisation(
    live: Authorisation, superintendent: User
) -> None:
    new_tactic = tactic("mobile-surveillance")
    new_tactic["collateral_minimisation"] = ""

    with pytest.raises(ApplicationInvalid) as invalid:
        actions.vary_authorisation(
            live,
            acting_user=superintendent,
            expected_version=GRANTED_VERSION,
            variation=variation(add=[new_tactic]),
        )

    assert set(invalid.value.errors) == {"add.0.collateral_minimisation"}


def test_variation_withdraws_an_item(live: Authorisation, superintendent: User) -> None:
    vehicle = live.conduct.get(category="vehicle", identifier="AB12 CDE")

    actions.vary_authorisation(
        live,
        acting_user=superintendent,
        expected_version=GRANTED_VERSION,
        variation=variation(add=[], remove=[vehicle.pk]),
    )

    vehicle.refresh_from_db()
    assert vehicle.removed_by is not None
    assert vehicle.removed_by.event_type == EventType.VARIED
    assert ("vehicle", "AB12 CDE") not in in_force(live)


# --- Collateral intrusion ----------------------------------------------------------------------


def draft(applicant: User, operation: Any, content: dict[str, Any]) -> Any:
    return actions.create_application(
        acting_user=applicant,
        operation=operation,
        kinds=["directed-surveillance"],
        reference="URN/COLLATERAL/0001",
        content=content,
    )


def without_collateral(tactics: int = 2) -> dict[str, Any]:
    """Content with no collateral intrusion assessed, overall or for any of its tactics."""
    codes = ["static-observation", "mobile-surveillance", "covert-photography"][:tactics]
    items: list[dict[str, Any]] = [
        {"category": "subject", "identifier": "NOMINAL-001", "description": "Subject A"},
    ]
    for code in codes:
        item = tactic(code)
        item["collateral_intrusion"] = ""
        item["collateral_minimisation"] = "   "
        items.append(item)
    content = base_content(conduct=items)
    content["collateral_intrusion"] = ""
    del content["collateral_minimisation"]
    return content


def test_submission_names_each_missing_assessment(applicant: User, operation: Any) -> None:
    application = draft(applicant, operation, without_collateral())

    with pytest.raises(ApplicationInvalid) as invalid:
        actions.submit_application(application, acting_user=applicant, expected_version=1)

    assert invalid.value.errors == {
        "collateral_intrusion": "Describe the collateral intrusion and who it affects",
        "collateral_minimisation": "Enter how collateral intrusion will be minimised",
        "conduct.1.collateral_intrusion": "Describe the collateral intrusion of this tactic",
        "conduct.1.collateral_minimisation": (
            "Enter how this tactic's collateral intrusion will be minimised"
        ),
        "conduct.2.collateral_intrusion": "Describe the collateral intrusion of this tactic",
        "conduct.2.collateral_minimisation": (
            "Enter how this tactic's collateral intrusion will be minimised"
        ),
    }
    assert invalid.value.fields["errors"] == invalid.value.errors


def test_rejected_submission_stays_a_draft(applicant: User, operation: Any) -> None:
    application = draft(applicant, operation, without_collateral())

    with pytest.raises(ApplicationInvalid):
        actions.submit_application(application, acting_user=applicant, expected_version=1)

    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    assert application.version == 1
    assert not DocumentVersion.objects.filter(application=application).exists()


def test_overall_assessment_does_not_cover_tactics(applicant: User, operation: Any) -> None:
    content = without_collateral(tactics=1)
    content["collateral_intrusion"] = "Members of the public in the car park may be seen."
    content["collateral_minimisation"] = "Observation is directed at the subject only."
    application = draft(applicant, operation, content)

    with pytest.raises(ApplicationInvalid) as invalid:
        actions.submit_application(application, acting_user=applicant, expected_version=1)

    assert set(invalid.value.errors) == {
        "conduct.1.collateral_intrusion",
        "conduct.1.collateral_minimisation",
    }


def test_tactic_assessments_do_not_cover_overall(applicant: User, operation: Any) -> None:
    content = base_content()
    content["collateral_intrusion"] = ""
    content["collateral_minimisation"] = ""
    application = draft(applicant, operation, content)

    with pytest.raises(ApplicationInvalid) as invalid:
        actions.submit_application(application, acting_user=applicant, expected_version=1)

    assert set(invalid.value.errors) == {"collateral_intrusion", "collateral_minimisation"}


def test_full_assessment_is_submitted(applicant: User, operation: Any) -> None:
    application = draft(applicant, operation, base_content())

    submitted = actions.submit_application(application, acting_user=applicant, expected_version=1)

    assert submitted.state == ApplicationState.SUBMITTED


def test_edit_page_links_each_missing_assessment(
    client: Any, applicant: User, operation: Any
) -> None:
    application = draft(applicant, operation, base_content())
    client.force_login(applicant)
    data = content_data(without_collateral())
    data.update({"version": version(application), "action": "submit"})

    response = client.post(url("application-edit", application), data)

    assert response.status_code == 400
    page = response.content.decode()
    for field in (
        "collateral_intrusion",
        "collateral_minimisation",
        "conduct-1-collateral_intrusion",
        "conduct-1-collateral_minimisation",
        "conduct-2-collateral_intrusion",
        "conduct-2-collateral_minimisation",
    ):
        assert f'href="#id_{field}"' in page, field
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT

