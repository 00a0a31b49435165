"""An officer of the technical unit registers a tracker, books it, deploys it under live
directed surveillance, sees it flagged once the authority is cancelled and records its
recovery, with axe-core on each page."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cpmp.access.models import RoleAssignment
from cpmp.access.roles import Rank, Role
from cpmp.assets.models import Equipment
from cpmp.authorities import actions
from cpmp.deployments.models import RecoveryTask
from cpmp.law.periods import to_london
from tests.factories import PASSWORD, a_gatekeeper
from tests.lifecycle_factories import (
    an_applicant_officer,
    an_authoriser,
    an_operation,
    base_content,
    decision,
    tactic,
)

from .test_import_journey import check_accessibility, policy_errors  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local(instant: datetime) -> str:
    """Return ``instant`` as a datetime-local field value, in Europe/London."""
    return f"{to_london(instant):%Y-%m-%dT%H:%M}"


def test_book_deploy_cancel_and_recover(
    page: Page,
    live_server: object,
    policy_errors: list[str],  # noqa: F811
) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    now = timezone.now().replace(second=0, microsecond=0)
    officer = an_applicant_officer()
    RoleAssignment.objects.create(user=officer, role=Role.TECHNICAL_UNIT_MANAGER)
    operation = an_operation(officer)
    authoriser = an_authoriser(Rank.SUPERINTENDENT)
    application = actions.create_application(
        acting_user=officer,
        operation=operation,
        kinds=["directed-surveillance"],
        reference="DS/JOURNEY/0001",
        content=base_content(
            conduct=[
                {"category": "subject", "identifier": "NOMINAL-001"},
                {"category": "equipment", "identifier": "TECH/0001"},
                tactic("tracking"),
            ]
        ),
    )
    actions.submit_application(application, acting_user=officer, expected_version=1)
    actions.accept_application(application, acting_user=a_gatekeeper(), expected_version=2)
    (authorisation,) = actions.grant_application(
        application,
        acting_user=authoriser,
        expected_version=3,
        decision=decision(f"{(now + timedelta(days=14)).date().isoformat()}"),
        at=now - timedelta(hours=1),
    )

    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Register the tracker through the register's page; a missing type is reported first.
    page.goto(f"{base}/assets/")
    page.get_by_role("link", name="Register technical equipment").click()
    check_accessibility(page, "18-register-equipment")
    page.get_by_label("Reference").fill("TECH/0001")
    page.get_by_role("button", name="Register asset").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the type of equipment")
    check_accessibility(page, "19-register-equipment-error")
    page.get_by_label("Description").fill("GPS tracker")
    page.get_by_label("Equipment type").fill("GPS tracker")
    page.get_by_label("Serial number").fill("SN-77")
    page.get_by_label("Location").fill("Store A")
    page.get_by_role("button", name="Register asset").click()

    # Book the tracker for the operation.
    expect(page.get_by_role("heading", name="TECH/0001")).to_be_visible()
    tracker = Equipment.objects.get(reference="TECH/0001")
    assert [entry.location for entry in tracker.custody.all()] == ["Store A"]
    check_accessibility(page, "20-asset")
    page.get_by_role("link", name="Book TECH/0001").click()
    page.get_by_label("Operation").select_option(label=operation.name)
    page.get_by_label("Booking starts").fill(local(now - timedelta(minutes=30)))
    page.get_by_label("Booking ends").fill(local(now + timedelta(days=2)))
    check_accessibility(page, "21-book")
    page.get_by_role("button", name="Book asset").click()
    expect(page.get_by_role("heading", name=operation.name)).to_be_visible()
    check_accessibility(page, "22-operation-booked")

    # A tactic the authority does not name is refused, with the reason.
    page.get_by_role("link", name="Deploy TECH/0001").click()
    page.get_by_label("Authorisation").select_option(
        label="DS/JOURNEY/0001 (Directed surveillance)"
    )
    page.get_by_label("Subject").fill("NOMINAL-001")
    page.get_by_label("Tactic").fill("static-observation")
    page.get_by_label("Where the asset is deployed").fill("Under the blue saloon")
    page.get_by_label("Deployment starts").fill(local(now - timedelta(minutes=20)))
    page.get_by_label("Deployment planned to end").fill(local(now + timedelta(days=1)))
    page.get_by_role("button", name="Record deployment").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Tactic static-observation is not named")
    check_accessibility(page, "23-deploy-refused")

    page.get_by_label("Tactic").fill("tracking")
    page.get_by_role("button", name="Record deployment").click()
    expect(page.get_by_text("Still deployed")).to_be_visible()
    check_accessibility(page, "24-operation-deployed")

    page.goto(f"{base}/deployments/")
    expect(page.locator("tbody tr")).to_contain_text("TECH/0001")
    check_accessibility(page, "25-deployed-now")
    page.goto(f"{base}/deployments/lookup/?asset=TECH/0001&subject=NOMINAL-001&tactic=tracking")
    expect(page.get_by_role("heading", name="Authorised now", exact=True)).to_be_visible()
    check_accessibility(page, "26-lookup")

    # The authority is cancelled while the tracker is still in place.
    actions.cancel_authorisation(
        authorisation,
        acting_user=authoriser,
        expected_version=4,
        cancellation={
            "reasons": "Subject arrested.",
            "outcome": "Supplier identified.",
            "ceased_at": timezone.now().isoformat(),
            "product_owner_id": authoriser.pk,
            "product_instructions": "Keep for trial.",
        },
    )
    assert RecoveryTask.objects.filter(deployment__asset=tracker).count() == 1

    page.goto(f"{base}/assets/")
    expect(page.locator(".govuk-tag--red")).to_have_text("Deployed under expired authority")
    check_accessibility(page, "27-register-exception")

    page.goto(f"{base}/deployments/recovery/")
    check_accessibility(page, "28-recovery-list")
    page.get_by_role("link", name="Recover TECH/0001").click()
    expect(page.get_by_text("Authority cancelled")).to_be_visible()
    check_accessibility(page, "29-recovery-task")
    page.get_by_role("button", name="Record recovery").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter where the asset was returned to"
    )
    check_accessibility(page, "30-recovery-error")
    page.get_by_label("Where the asset was returned to").fill("Store A")
    page.get_by_role("button", name="Record recovery").click()
    expect(page.get_by_text("There are no assets to recover.")).to_be_visible()

    page.goto(f"{base}/assets/{tracker.pk}/")
    expect(page.locator("tbody tr").last).to_contain_text("Recovered")
    check_accessibility(page, "31-asset-recovered")
