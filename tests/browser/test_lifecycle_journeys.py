"""Each power's lifecycle through the pages in a real browser, with axe-core on every page.

An applicant applies, the Central Authorities Bureau accepts, and an authorising officer
grants, reviews, renews and cancels. Intrusive surveillance and equipment interference wait
for a Judicial Commissioner's approval, which the gatekeeper records.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cpmp.access.roles import Rank, Role
from tests.browser.test_import_journey import check_accessibility, policy_errors  # noqa: F401
from tests.factories import PASSWORD, authenticator, current_code, make_user
from tests.integration.pages.helpers import content_data
from tests.lifecycle_factories import (
    a_source,
    an_applicant_officer,
    an_authoriser,
    an_operation,
    base_content,
    chis_content,
    tactic,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Journey:
    """One browser, the people of one operation, and the steps they take through the pages."""

    def __init__(self, page: Page, base: str, prefix: str) -> None:
        self.page = page
        self.base = base
        self.prefix = prefix
        self.reference = f"URN/{prefix}/0001"
        self.signed_in: int | None = None

    def sign_in(self, user: Any) -> None:
        if self.signed_in == user.pk:
            return
        page = self.page
        page.context.clear_cookies()
        page.goto(f"{self.base}/sign-in/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        code_label = "Enter the 6-digit code from your authenticator app"
        if page.get_by_role("heading", name=code_label).count():
            page.get_by_label(code_label).fill(unused_code(user))
            page.get_by_role("button", name="Continue").click()
        self.signed_in = user.pk

    def check(self, name: str) -> None:
        check_accessibility(self.page, f"lifecycle-{self.prefix}-{name}")

    def open_case(self) -> None:
        self.page.get_by_role("link", name="Applications", exact=True).click()
        expect(self.page.get_by_role("heading", name="Applications")).to_be_visible()
        self.page.get_by_role("link", name=self.reference).click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(self.reference)

    def fill(self, values: dict[str, Any]) -> None:
        """Fill each named input on the page from ``values``; names not on the page are left."""
        page = self.page
        for name, value in values.items():
            inputs = page.locator(f'[name="{name}"]')
            if not inputs.count():
                continue
            kind = inputs.first.get_attribute("type")
            tag = inputs.first.evaluate("element => element.tagName")
            if kind == "radio":
                page.locator(f'[name="{name}"][value="{value}"]').check()
            elif kind == "checkbox":
                for item in value if isinstance(value, list) else [value]:
                    page.locator(f'[name="{name}"][value="{item}"]').check()
            elif tag == "SELECT":
                inputs.first.select_option(str(value))
            elif kind != "hidden":
                inputs.first.fill(str(value))

    def fill_date(self, name: str, days_from_today: int) -> None:
        day = timezone.localdate() + timedelta(days=days_from_today)
        self.page.locator(f"#id_{name}").fill(str(day.day))
        self.page.locator(f"#id_{name}_month").fill(str(day.month))
        self.page.locator(f"#id_{name}_year").fill(str(day.year))

    def fill_instant(self, name: str, minutes_ago: int, *, seconds: bool = False) -> None:
        moment = timezone.localtime(timezone.now() - timedelta(minutes=minutes_ago))
        self.page.locator(f"#id_{name}").fill(str(moment.day))
        self.page.locator(f"#id_{name}_month").fill(str(moment.month))
        self.page.locator(f"#id_{name}_year").fill(str(moment.year))
        self.page.locator(f"#id_{name}_time").fill(
            f"{moment:%H:%M:%S}" if seconds else f"{moment:%H:%M}"
        )

    def success(self, text: str) -> None:
        expect(self.page.locator(".govuk-notification-banner--success")).to_contain_text(text)

    # The steps.

    def apply(self, applicant: Any, kinds: list[str], content: dict[str, Any], source: Any) -> None:
        page = self.page
        self.sign_in(applicant)
        page.get_by_role("link", name="Applications", exact=True).click()
        self.check("01-applications")
        page.get_by_role("button", name="Start an application").click()
        expect(page.get_by_role("heading", name="Start an application")).to_be_visible()
        self.check("02-start")
        page.get_by_label("Operation").select_option(label=applicant_operation(applicant))
        page.get_by_label("Unique reference number").fill(self.reference)
        for kind in kinds:
            page.locator(f'[name="kinds"][value="{kind}"]').check()
        page.locator('[name="urgent"][value="no"]').check()
        if source is not None:
            page.get_by_label("Source", exact=True).select_option(str(source.pk))
        page.get_by_role("button", name="Start the application").click()
        expect(page.get_by_role("heading", name="Your application")).to_be_visible()
        self.check("03-edit")

        values = content_data(content)
        # The first submission misses the tactic's proportionality, to show the error summary.
        first = dict(values)
        tactics = [
            index for index, item in enumerate(content["conduct"]) if item["category"] == "tactic"
        ]
        first.pop(f"conduct-{tactics[0]}-proportionality", None)
        self.fill(first)
        page.get_by_role("button", name="Save as draft").click()
        self.success("Draft saved")
        self.fill(first)
        page.get_by_role("button", name="Submit").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Enter why this tactic is proportionate")
        self.check("04-submit-errors")
        summary.get_by_role("link", name="Enter why this tactic is proportionate").click()
        expect(page.locator(f"#id_conduct-{tactics[0]}-proportionality")).to_be_focused()
        self.fill(values)
        page.get_by_role("button", name="Submit").click()
        self.success("Application submitted")
        self.check("05-submitted")

    def gatekeep(self, gatekeeper: Any) -> None:
        page = self.page
        self.sign_in(gatekeeper)
        self.open_case()
        page.get_by_role("link", name="Check the application").click()
        expect(page.get_by_role("heading", name="Check the application")).to_be_visible()
        self.check("06-gatekeep")
        page.get_by_label("Accept and pass to an authorising officer").check()
        page.get_by_label("Notes for the authorising officer").fill("Checked against the form.")
        page.get_by_role("button", name="Record your check").click()
        self.success("Application accepted")

    def grant(self, authoriser: Any) -> None:
        page = self.page
        self.sign_in(authoriser)
        self.open_case()
        page.get_by_role("link", name="Decide the application").click()
        self.check("07-decide")
        page.get_by_label("Grant", exact=True).check()
        page.get_by_label("What exactly you authorise").fill(
            "I authorise the tactics listed against the subjects, places and items listed, "
            "from today until the first review."
        )
        page.get_by_label("Why the activity is necessary, in your own words").fill(
            "Only this activity can show who the subject meets."
        )
        page.get_by_label("Why the activity is proportionate, in your own words").fill(
            "It is limited to the named places and to the hours of the meetings."
        )
        self.fill_date("first_review_on", 7)
        page.get_by_role("button", name="Record your decision").click()
        self.success("Application granted")
        self.check("08-granted")

    def commissioner_approval(self, gatekeeper: Any, kind: str) -> None:
        page = self.page
        expect(page.get_by_text("Awaiting approval").first).to_be_visible()
        self.sign_in(gatekeeper)
        self.open_case()
        page.get_by_role("link", name="Record a notice to a Judicial Commissioner").click()
        self.check("09-notice")
        page.get_by_label("Power").select_option(kind)
        page.get_by_label("A grant", exact=True).check()
        self.fill_instant("sent_at", 0)
        page.get_by_label("Reference of the notice").fill("IPCO/NOTICE/1")
        page.get_by_role("button", name="Record the notice").click()
        self.success("Notice recorded")
        page.get_by_role("link", name="Record a Judicial Commissioner's decision").click()
        self.check("10-commissioner-decision")
        page.get_by_label("Power").select_option(kind)
        page.get_by_label("Approved", exact=True).check()
        # To the second: the grant was made within this minute, and an approval dated at the
        # start of the minute would fall before it.
        self.fill_instant("decided_at", 0, seconds=True)
        self.fill_instant("notified_at", 0, seconds=True)
        page.get_by_label("Reference of the decision").fill("IPCO/DECISION/1")
        page.get_by_role("button", name="Record the decision").click()
        self.success("Commissioner's decision recorded")
        expect(page.locator(".govuk-summary-card").first).to_contain_text("Live")
        self.check("11-approved")

    def review(self, authoriser: Any, kind_label: str, chis: bool = False) -> None:
        page = self.page
        self.sign_in(authoriser)
        self.open_case()
        page.get_by_role("link", name=f"Review ({kind_label})").click()
        expect(page.get_by_text("This is the first review.")).to_be_visible()
        self.check("12-review")
        page.get_by_label("Subjects and contacts").fill("A new associate met the subject twice.")
        page.get_by_label("Product obtained").fill("Two meetings evidenced.")
        page.get_by_label("Risk", exact=True).fill("No change.")
        page.get_by_label("Collateral intrusion", exact=True).fill("No change.")
        if chis:
            page.get_by_label("Use made of the source").fill("Two meetings with the subject.")
            page.get_by_label("Tasks given to the source").fill("Report who attends.")
            page.get_by_label("Information obtained from the source").fill("Two names.")
        page.locator('[name="continue"][value="yes"]').check()
        page.get_by_label("Why the activity is still necessary and proportionate").fill(
            "The new associate must be identified before the next delivery."
        )
        self.fill_date("next_review_on", 14)
        page.get_by_role("button", name="Record the review").click()
        self.success("Review recorded")

    def renew(self, kind_label: str, *, refused_code: str = "") -> None:
        page = self.page
        page.get_by_role("link", name=f"Renew ({kind_label})").click()
        self.check("13-renew")
        page.get_by_label("Significant changes since the authorisation was granted").fill(
            "A second supplier has been identified."
        )
        page.get_by_label("Value of the information obtained so far").fill("Two meetings.")
        page.get_by_label("Why the activity is still necessary, in your own words").fill(
            "The second supplier's meetings can only be evidenced this way."
        )
        page.get_by_label("Why the activity is still proportionate, in your own words").fill(
            "Still limited to the named places."
        )
        self.fill_date("first_review_on", 30)
        page.get_by_role("button", name="Renew the authorisation").click()
        if refused_code:
            expect(page.locator(".govuk-error-summary")).to_contain_text(refused_code)
            self.check("14-renewal-refused")
            page.get_by_role("link", name="Back to the case").click()
        else:
            self.success("Authorisation renewed")

    def cancel(self, kind_label: str, owner: Any) -> None:
        page = self.page
        page.get_by_role("link", name=f"Cancel ({kind_label})").click()
        self.check("15-cancel")
        page.get_by_label("Why the authorisation is no longer necessary or proportionate").fill(
            "The supplier has been arrested."
        )
        page.get_by_label("Value of the activity to the operation").fill("Supplier charged.")
        self.fill_instant("ceased_at", 5)
        page.get_by_label("Who is responsible for the product").select_option(str(owner.pk))
        page.get_by_label("How the product is to be kept, reviewed and destroyed").fill(
            "Keep for 6 months after trial, then destroy."
        )
        page.get_by_role("button", name="Cancel the authorisation").click()
        self.success("Authorisation cancelled")
        expect(page.locator(".govuk-summary-card").first).to_contain_text("Cancelled")
        self.check("16-cancelled")


_operation_names: dict[int, str] = {}


def unused_code(user: Any) -> str:
    """Return a code the person's device accepts and has not accepted before.

    django-otp rejects a code from a time step already used. A journey may sign the same
    person in twice within one 30-second step, so the code then comes from the next step,
    which the device's tolerance of one step accepts. When that step is used too, it waits.
    """
    device = authenticator(user)
    while True:
        device.refresh_from_db()
        now = time.time()
        step = int((now - device.t0) // device.step)
        if device.last_t < step:
            return current_code(device, now)
        if device.last_t == step and device.tolerance >= 1:
            return current_code(device, now + device.step)
        time.sleep(1)


def applicant_operation(applicant: Any) -> str:
    return _operation_names[applicant.pk]


def a_team(authoriser_rank: str = Rank.SUPERINTENDENT, senior: bool = False) -> dict[str, Any]:
    applicant = an_applicant_officer()
    authoriser = an_authoriser(authoriser_rank, senior=senior)
    gatekeeper = make_user(Role.GATEKEEPER)
    operation = an_operation(applicant, authoriser)
    _operation_names[applicant.pk] = operation.name
    return {
        "applicant": applicant,
        "authoriser": authoriser,
        "gatekeeper": gatekeeper,
        "operation": operation,
    }


def journey(page: Page, live_server: object, prefix: str) -> Journey:
    return Journey(page, str(live_server.url), prefix)  # type: ignore[attr-defined]


def test_directed_surveillance_journey(
    page: Page,
    live_server: object,
    policy_errors: list[str],  # noqa: F811
) -> None:
    team = a_team()
    steps = journey(page, live_server, "ds")
    steps.apply(team["applicant"], ["directed-surveillance"], base_content(), None)
    steps.gatekeep(team["gatekeeper"])
    steps.grant(team["authoriser"])
    steps.review(team["authoriser"], "Directed surveillance")
    steps.renew("Directed surveillance")
    steps.cancel("Directed surveillance", team["applicant"])
    page.get_by_text("Documents").scroll_into_view_if_needed()
    expect(page.get_by_text("Cancellation, version 1")).to_be_visible()


def test_chis_journey(
    page: Page,
    live_server: object,
    policy_errors: list[str],  # noqa: F811
) -> None:
    team = a_team()
    handler, controller = make_user(Role.HANDLER), make_user(Role.CONTROLLER)
    source = a_source(team["operation"])
    steps = journey(page, live_server, "chis")
    steps.apply(team["applicant"], ["chis"], chis_content(handler, controller), source)
    steps.gatekeep(team["gatekeeper"])
    steps.grant(team["authoriser"])
    steps.review(team["authoriser"], "Covert human intelligence source", chis=True)
    steps.renew("Covert human intelligence source")
    steps.cancel("Covert human intelligence source", team["applicant"])


def _premises_content(use: str, **extra: Any) -> dict[str, Any]:
    return base_content(
        grounds=["serious-crime"],
        serious_crime="Supply of class A drugs, carrying 14 years' imprisonment.",
        conduct=[
            {"category": "subject", "identifier": "NOMINAL-001", "description": "Subject A"},
            {"category": "premises", "identifier": "1 Example Road", "premises_use": use},
            tactic("audio-device"),
        ],
        **extra,
    )


def test_intrusive_surveillance_journey(
    page: Page,
    live_server: object,
    policy_errors: list[str],  # noqa: F811
) -> None:
    team = a_team(Rank.ASSISTANT_COMMISSIONER, senior=True)
    steps = journey(page, live_server, "is")
    steps.apply(team["applicant"], ["intrusive-surveillance"], _premises_content("dwelling"), None)
    steps.gatekeep(team["gatekeeper"])
    steps.grant(team["authoriser"])
    steps.commissioner_approval(team["gatekeeper"], "intrusive-surveillance")
    steps.review(team["authoriser"], "Intrusive surveillance")
    steps.renew("Intrusive surveillance")
    steps.cancel("Intrusive surveillance", team["applicant"])


def test_property_interference_journey(
    page: Page,
    live_server: object,
    policy_errors: list[str],  # noqa: F811
) -> None:
    team = a_team(Rank.ASSISTANT_COMMISSIONER, senior=True)
    steps = journey(page, live_server, "pi")
    steps.apply(team["applicant"], ["property-interference"], _premises_content("other"), None)
    steps.gatekeep(team["gatekeeper"])
    steps.grant(team["authoriser"])
    steps.review(team["authoriser"], "Property interference")
    steps.renew("Property interference")
    steps.cancel("Property interference", team["applicant"])


def test_equipment_interference_journey(
    page: Page,
    live_server: object,
    policy_errors: list[str],  # noqa: F811
) -> None:
    team = a_team(Rank.ASSISTANT_COMMISSIONER, senior=True)
    content = base_content(
        grounds=["serious-crime"],
        serious_crime="Supply of class A drugs, carrying 14 years' imprisonment.",
        technical_description=(
            "Remote access to handset IMEI-356938035643809 to copy messages sent and received."
        ),
        conduct=[
            {"category": "subject", "identifier": "NOMINAL-001", "description": "Subject A"},
            {"category": "equipment", "identifier": "IMEI-356938035643809"},
            tactic("remote-access"),
        ],
    )
    steps = journey(page, live_server, "ei")
    steps.apply(team["applicant"], ["equipment-interference"], content, None)
    steps.gatekeep(team["gatekeeper"])
    steps.grant(team["authoriser"])
    steps.commissioner_approval(team["gatekeeper"], "equipment-interference")
    steps.review(team["authoriser"], "Targeted equipment interference")
    # A warrant is renewed only in the 30 days ending with its last day, so not today.
    steps.renew("Targeted equipment interference", refused_code="renewal_outside_window")
    steps.cancel("Targeted equipment interference", team["applicant"])
    expect(page.get_by_text("Equipment still to recover")).to_be_visible()
