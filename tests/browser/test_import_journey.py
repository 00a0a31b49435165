"""A gatekeeper imports a register and reads it, in a real browser, with axe-core on each page."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import ConsoleMessage, Page, expect

from cpmp.access.roles import Role
from tests.factories import (
    PASSWORD,
    a_gatekeeper,
    authenticator,
    current_code,
    make_authorisation,
    make_user,
)

AXE = Path(__file__).with_name("axe.min.js")
# Ends with an expression, so that Playwright gets a value it can return rather than axe itself.
AXE_SOURCE = AXE.read_text() + "\n;true"
SCREENSHOTS = os.environ.get("CPMP_SCREENSHOT_DIR")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_accessibility(page: Page, name: str) -> None:
    """Run axe-core on the page and fail with the rule ids of any violations."""
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)
    # Evaluated through the DevTools protocol, because the Content Security Policy rightly
    # blocks the inline script tag that add_script_tag would insert.
    page.evaluate(AXE_SOURCE)
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    summary = [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} elements)"
        for violation in violations
    ]
    assert summary == [], f"axe-core found problems on {name}"


POLICY_ERRORS = ("Content Security Policy", "Permissions-Policy")


@pytest.fixture
def policy_errors(page: Page) -> Iterator[list[str]]:
    """Collect console errors about the Content Security Policy or the Permissions-Policy
    header, and fail the test if there are any."""
    errors: list[str] = []

    def collect(message: ConsoleMessage) -> None:
        if any(policy in message.text for policy in POLICY_ERRORS):
            errors.append(message.text)

    page.on("console", collect)
    yield errors
    assert errors == [], "the pages broke a security policy"


def sign_in(page: Page, user: Any) -> None:
    """Sign in with the password, then the code from the person's authenticator device."""
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("heading", name="Enter the 6-digit code from your authenticator app")
    ).to_be_visible()
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(
        current_code(authenticator(user))
    )
    page.get_by_role("button", name="Continue").click()


def test_gatekeeper_imports_and_reads_register(
    page: Page, live_server: object, samples_dir: Path, policy_errors: list[str]
) -> None:
    pytest.importorskip("cpmp.oversight.actions", reason="the importer is not in this tree yet")
    base = str(live_server.url)  # type: ignore[attr-defined]
    gatekeeper = a_gatekeeper()

    page.goto(f"{base}/sign-in/")
    expect(page.locator("html")).to_have_class("govuk-template govuk-template--rebranded")
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    check_accessibility(page, "01-sign-in")
    page.get_by_label("Username").fill(gatekeeper.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("heading", name="Enter the 6-digit code from your authenticator app")
    ).to_be_visible()
    check_accessibility(page, "01-second-factor")
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(
        current_code(authenticator(gatekeeper))
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Register of authorisations")).to_be_visible()

    page.get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", name="Import a central record")).to_be_visible()
    check_accessibility(page, "02-import")
    page.get_by_label("Register file").set_input_files(str(samples_dir / "police_cab_register.csv"))
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Read the file").click()

    expect(page.get_by_role("heading", name="police_cab_register.csv")).to_be_visible()
    expect(page.get_by_text("Dry run")).to_be_visible()
    check_accessibility(page, "03-dry-run")
    page.get_by_role("button", name="Store these records").click()

    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("records stored, 0 already in the register")
    check_accessibility(page, "04-stored")
    banner.get_by_role("link", name="View the register").click()

    expect(page.get_by_role("heading", name="Register of authorisations")).to_be_visible()
    check_accessibility(page, "05-register")
    page.get_by_label("Kind").select_option("chis")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    expect(rows.first.locator("td").nth(1)).to_have_text("Covert human intelligence source")
    check_accessibility(page, "06-register-chis")

    reference = rows.first.locator("td a").inner_text()
    rows.first.locator("td a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reference)
    expect(page.get_by_text("police_cab_register.csv, as at 31 March 2024")).to_be_visible()
    check_accessibility(page, "07-detail")


def test_sign_in_errors_are_accessible(
    page: Page, live_server: object, policy_errors: list[str]
) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    page.goto(f"{base}/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your username")
    expect(summary).to_be_focused()
    check_accessibility(page, "00-sign-in-errors")


def test_register_pages_without_importer(
    page: Page, live_server: object, policy_errors: list[str]
) -> None:
    """Cover the register, detail and import form pages with records made by the factories."""
    base = str(live_server.url)  # type: ignore[attr-defined]
    gatekeeper = a_gatekeeper()
    for number in range(60):
        make_authorisation(
            reference=f"DS/2024/{number:03d}",
            kind="chis" if number % 3 == 0 else "directed-surveillance",
            operation=f"Op Example {number % 7}",
            findings=["never_cancelled"] if number % 5 == 0 else [],
        )
    page.goto(f"{base}/sign-in/")
    sign_in(page, gatekeeper)

    expect(page.get_by_text("Showing 1 to 50 of 60 authorisations")).to_be_visible()
    check_accessibility(page, "10-register-factories")
    page.get_by_role("link", name="Expires").click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text("Expires ▲")
    page.get_by_label("Kind").select_option("chis")
    page.get_by_label("Due to expire within (days)").fill("soon")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the number of days")
    check_accessibility(page, "11-register-error")

    page.locator("tbody tr td a").first.click()
    expect(page.get_by_role("heading", name="Findings")).to_be_visible()
    check_accessibility(page, "12-detail-factories")

    page.get_by_role("link", name="Import").click()
    page.get_by_label("Day").fill("30")
    page.get_by_label("Month").fill("2")
    page.get_by_role("button", name="Read the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a CSV or XLSX file")
    check_accessibility(page, "13-import-errors")


def test_set_up_authenticator_then_wrong_code(
    page: Page, live_server: object, policy_errors: list[str]
) -> None:
    """A new administrator sets up an app from the QR code page, then mistypes a code."""
    base = str(live_server.url)  # type: ignore[attr-defined]
    administrator = make_user(Role.ADMINISTRATOR, with_authenticator=False)

    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(administrator.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    qr_code = page.get_by_role("img", name="QR code to add CPMP to your authenticator app")
    expect(qr_code).to_be_visible()
    check_accessibility(page, "20-set-up-app")

    page.get_by_label("2. Enter the 6-digit code from your authenticator app").fill("12345")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code must be 6 digits")
    check_accessibility(page, "21-set-up-app-error")

    device = TOTPDevice.objects.get(user=administrator)
    page.get_by_label("2. Enter the 6-digit code from your authenticator app").fill(
        current_code(device)
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Accounts")).to_be_visible()
