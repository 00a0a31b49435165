"""The lifecycles of the remaining source powers and of a prison authority, in a real browser.

Juvenile CHIS, relevant source and criminal conduct authorisations, and a Prison Rule 35A
authority recorded from a directed surveillance case, go from application to cancellation
with axe-core on every page. The expiry dates the pages show are checked against dates
worked out here from the statutory periods, not from CPMP's own arithmetic.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from cpmp.access.roles import Role
from cpmp.authorities import actions
from cpmp.law.kinds import AuthorityKind
from cpmp.law.ranks import Force, Rank, ladder, requirements_for
from cpmp.operations.models import OperationMembership
from cpmp.web.display import format_day
from tests.browser.test_import_journey import check_accessibility, policy_errors  # noqa: F401
from tests.browser.test_lifecycle_journeys import a_team, applicant_operation, journey
from tests.factories import make_user
from tests.integration.pages.helpers import content_data
from tests.lifecycle_factories import a_source, base_content, chis_content, decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

K = AuthorityKind


def full_rank_for(kind: AuthorityKind, **facts: Any) -> Rank:
    """Return the lowest rank that may grant ``kind`` outside urgent cases in this force."""
    force = Force(settings.CPMP_FORCE)
    ranks = [requirement.full[force] for requirement in requirements_for(kind, **facts)]
    return max(ranks, key=ladder(force).index)


def today() -> date:
    return timezone.localdate()


def add_months(day: date, months: int) -> date:
    """Return the same day ``months`` later, or the month's last day where it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day(first_day: date, months: int) -> date:
    """Return the last day of a period of ``months`` months beginning with ``first_day``."""
    return add_months(first_day, months) - timedelta(days=1)


def born_years_ago(years: int) -> str:
    return add_months(today(), -12 * years).isoformat()


def renewed_last_day(previous_last_day: date, months: int) -> date:
    """Return the last day of a renewal of a period that ended with ``previous_last_day``.

    RIPA s.43(4) makes a renewal take effect when the authorisation would have ceased, and
    s.43(3) counts its months beginning with that day. CPMP takes the earlier reading, in
    which that day is the previous period's last day, so the two periods share a day.
    """
    return last_day(previous_last_day, months)


def end_text(day: date) -> str:
    """Return how the pages show a period that runs to the end of ``day``."""
    return f"23:59 on {format_day(day)}"


def day_pattern(day: date) -> str:
    """Return a pattern for ``day`` with its month in full or short ("4 Dec 2026").

    The external authority list uses the short form, a defect the xfail test below keeps.
    """
    return rf"{day.day} {day:%b}\w* {day.year}"


def expect_expiry(page: Page, text: str) -> None:
    card = page.locator(".govuk-summary-card").first
    row = card.locator(".govuk-summary-list__row", has_text="Expires")
    expect(row.locator("dd")).to_have_text(text)


def expect_deadline(page: Page, what: str, text: str) -> None:
    row = page.locator(".govuk-table tr", has_text=what)
    expect(row.locator("td").last).to_have_text(text)


def source_team(kind: AuthorityKind, **facts: Any) -> dict[str, Any]:
    team = a_team(full_rank_for(kind, **facts).value)
    team["handler"] = make_user(Role.HANDLER)
    team["controller"] = make_user(Role.CONTROLLER)
    team["source"] = a_source(team["operation"])
    return team


def test_juvenile_chis_journey(
    page: Page,
    live_server: object,
    policy_errors: list[str],  # noqa: F811
) -> None:
    team = source_team(K.JUVENILE_CHIS, juvenile=True)
    content = chis_content(
        team["handler"],
        team["controller"],
        juvenile={
            "date_of_birth": born_years_ago(15),
            "relationship_with_parent": False,
            "appropriate_adult": "A youth worker from the local authority",
            "enhanced_risk_assessment_reference": "ERA/2026/0003",
        },
    )
    steps = journey(page, live_server, "jchis")
    label = K.JUVENILE_CHIS.label

    steps.apply(team["applicant"], [K.JUVENILE_CHIS.value], content, team["source"])
    steps.gatekeep(team["gatekeeper"])
    steps.grant(team["authoriser"])
    # SI 2000/2793 art 6 (as amended by SI 2018/715): 4 months from the grant.
    granted_last_day = last_day(today(), 4)
    expect_expiry(page, end_text(granted_last_day))
    # The officer's first review, 7 days on, is inside the first month.
    expect_deadline(page, "Review", end_text(today() + timedelta(days=7)))
    expect_deadline(page, "Expiry", end_text(granted_last_day))

    steps.review(team["authoriser"], label, chis=True)
    expect_deadline(page, "Review", end_text(today() + timedelta(days=14)))
    steps.renew(label)
    expect_expiry(page, end_text(renewed_last_day(granted_last_day, 4)))
    steps.cancel(label, team["applicant"])
    expect(page.get_by_text("A youth worker from the local authority").first).to_be_attached()


def test_relevant_source_journey(
    page: Page,
    live_server: object,
    policy_errors: list[str],  # noqa: F811
) -> None:
    team = source_team(K.RELEVANT_SOURCE)
    steps = journey(page, live_server, "rs")
    label = K.RELEVANT_SOURCE.label
    content = chis_content(team["handler"], team["controller"])

    steps.apply(team["applicant"], [K.RELEVANT_SOURCE.value], content, team["source"])
    steps.gatekeep(team["gatekeeper"])
    steps.grant(team["authoriser"])
    # RIPA s.43(3)(b): 12 months beginning with the day it takes effect.
    granted_last_day = last_day(today(), 12)
    expect_expiry(page, end_text(granted_last_day))

    steps.review(team["authoriser"], label, chis=True)
    steps.renew(label)
    expect_expiry(page, end_text(renewed_last_day(granted_last_day, 12)))
    steps.cancel(label, team["applicant"])


def test_relevant_source_refused_below_force_rank(
    page: Page,
    live_server: object,
    policy_errors: list[str],  # noqa: F811
) -> None:
    """A superintendent may grant a relevant source only in an urgent case."""
    team = source_team(K.RELEVANT_SOURCE)
    team["authoriser"] = make_user(
        Role.AUTHORISING_OFFICER, first_name="Sam", last_name="Super", rank=Rank.SUPERINTENDENT
    )
    OperationMembership.objects.create(operation=team["operation"], user=team["authoriser"])
    steps = journey(page, live_server, "rs-low")
    content = chis_content(team["handler"], team["controller"])
    steps.apply(team["applicant"], [K.RELEVANT_SOURCE.value], content, team["source"])
    steps.gatekeep(team["gatekeeper"])

    steps.sign_in(team["authoriser"])
    steps.open_case()
    page.get_by_role("link", name="Decide the application").click()
    page.get_by_label("Grant", exact=True).check()
    page.get_by_label("What exactly you authorise").fill("The source's use and conduct.")
    page.get_by_label("Why the activity is necessary, in your own words").fill("Needed.")
    page.get_by_label("Why the activity is proportionate, in your own words").fill("Limited.")
    steps.fill_date("first_review_on", 7)
    page.get_by_role("button", name="Record your decision").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("may grant relevant-source authorisations only in urgent cases")
    expect(summary).to_contain_text("authoriser_not_permitted")
    steps.check("rank-refused")


def live_chis_for(team: dict[str, Any]) -> Any:
    """Grant a CHIS authorisation for the team's source through the actions."""
    application = actions.create_application(
        acting_user=team["applicant"],
        operation=team["operation"],
        kinds=[K.CHIS.value],
        reference="URN/CHIS-FOR-CCA/0001",
        content=chis_content(team["handler"], team["controller"]),
        source=team["source"],
    )
    actions.submit_application(
        application, acting_user=team["applicant"], expected_version=application.version
    )
    actions.accept_application(application, acting_user=team["gatekeeper"], expected_version=2)
    (row,) = actions.grant_application(
        application,
        acting_user=team["authoriser"],
        expected_version=3,
        decision=decision((today() + timedelta(days=7)).isoformat()),
    )
    return row


def criminal_conduct_content(team: dict[str, Any]) -> dict[str, Any]:
    return chis_content(
        team["handler"],
        team["controller"],
        criminal_conduct={
            "conduct": "Possession of a small quantity of cannabis when offered by the subject.",
            "human_rights_compatibility": "No violence and no threat to anyone's rights.",
        },
    )


def test_criminal_conduct_journey(
    page: Page,
    live_server: object,
    policy_errors: list[str],  # noqa: F811
) -> None:
    team = source_team(K.CRIMINAL_CONDUCT)
    chis_row = live_chis_for(team)
    steps = journey(page, live_server, "cca")
    label = K.CRIMINAL_CONDUCT.label
    content = criminal_conduct_content(team)

    steps.sign_in(team["applicant"])
    page.get_by_role("link", name="Applications", exact=True).click()
    page.get_by_role("button", name="Start an application").click()
    page.get_by_label("Operation").select_option(label=applicant_operation(team["applicant"]))
    page.get_by_label("Unique reference number").fill(steps.reference)
    page.locator(f'[name="kinds"][value="{K.CRIMINAL_CONDUCT.value}"]').check()
    page.locator('[name="urgent"][value="no"]').check()
    page.get_by_label("Source", exact=True).select_option(str(team["source"].pk))
    page.get_by_label("The source's CHIS authorisation").select_option(str(chis_row.pk))
    page.get_by_role("button", name="Start the application").click()
    expect(page.get_by_role("heading", name="Your application")).to_be_visible()
    steps.check("03-edit")
    # The edit page shows one blank conduct row until the draft is saved, and then a row for
    # each saved item, so the three items go in over two passes as in the other journeys.
    steps.fill(content_data(content))
    page.get_by_role("button", name="Save as draft").click()
    steps.success("Draft saved")
    steps.fill(content_data(content))
    page.get_by_role("button", name="Submit").click()
    steps.success("Application submitted")
    steps.gatekeep(team["gatekeeper"])
    steps.grant(team["authoriser"])
    # RIPA s.43(3)(b): a criminal conduct authorisation for an adult source lasts 12 months.
    granted_last_day = last_day(today(), 12)
    expect_expiry(page, end_text(granted_last_day))

    # The questions about the source's use are on the CHIS authorisation's review only.
    steps.review(team["authoriser"], label)
    steps.renew(label)
    expect_expiry(page, end_text(renewed_last_day(granted_last_day, 12)))
    steps.cancel(label, team["applicant"])


def test_criminal_conduct_refused_without_live_chis(
    page: Page,
    live_server: object,
    policy_errors: list[str],  # noqa: F811
) -> None:
    """A CCA that names another source's CHIS authorisation is refused on the decision page."""
    team = source_team(K.CRIMINAL_CONDUCT)
    chis_row = live_chis_for(team)
    other_source = a_source(team["operation"])
    application = actions.create_application(
        acting_user=team["applicant"],
        operation=team["operation"],
        kinds=[K.CRIMINAL_CONDUCT.value],
        reference="URN/cca-none/0001",
        content=criminal_conduct_content(team),
        source=other_source,
        chis_authorisation=chis_row,
    )
    actions.submit_application(application, acting_user=team["applicant"], expected_version=1)
    actions.accept_application(application, acting_user=team["gatekeeper"], expected_version=2)

    steps = journey(page, live_server, "cca-none")
    steps.sign_in(team["authoriser"])
    steps.open_case()
    page.get_by_role("link", name="Decide the application").click()
    page.get_by_label("Grant", exact=True).check()
    page.get_by_label("What exactly you authorise").fill("Possession of cannabis when offered.")
    page.get_by_label("Why the activity is necessary, in your own words").fill("Keeps cover.")
    page.get_by_label("Why the activity is proportionate, in your own words").fill("Small.")
    steps.fill_date("first_review_on", 7)
    page.get_by_role("button", name="Record your decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "criminal_conduct_without_live_chis"
    )
    steps.check("refused")


def test_prison_rule_35a_journey(
    page: Page,
    live_server: object,
    policy_errors: list[str],  # noqa: F811
) -> None:
    team = a_team()
    steps = journey(page, live_server, "prison")
    label = K.DIRECTED_SURVEILLANCE.label

    steps.apply(team["applicant"], [K.DIRECTED_SURVEILLANCE.value], base_content(), None)
    steps.gatekeep(team["gatekeeper"])
    steps.grant(team["authoriser"])
    # RIPA s.43(3)(c): 3 months beginning with the day it takes effect.
    granted_last_day = last_day(today(), 3)
    expect_expiry(page, end_text(granted_last_day))

    steps.sign_in(team["gatekeeper"])
    steps.open_case()
    page.get_by_role("link", name="Record a Prison Rule 35A or prison-agreed authority").click()
    expect(
        page.get_by_role("heading", name="Record an authority granted outside the force")
    ).to_be_visible()
    steps.check("external")
    page.get_by_label("Prison Rule 35A monitoring").check()
    page.get_by_label("Who granted it").fill("Governor")
    page.get_by_label("Their organisation").fill("HMP Example")
    page.get_by_label("Their reference").fill("HMP/35A/0042")
    page.get_by_label("What is authorised").fill("Monitoring of the subject's telephone calls.")
    starts_on, ends_on = today(), today() + timedelta(days=60)
    steps.fill_date("starts_on", 0)
    steps.fill_date("ends_on", 60)
    steps.fill_date("review_on", 30)
    page.get_by_role("button", name="Record the authority").click()
    steps.success("Authority recorded")
    # Material is kept until 3 months after the end (IPCO Annual Report 2018 para 14.17).
    kept_until = last_day(ends_on + timedelta(days=1), 3)
    record = page.locator("li", has_text="HMP/35A/0042")
    expect(record).to_contain_text("Prison Rule 35A monitoring")
    review_on = today() + timedelta(days=30)
    expect(record).to_contain_text(
        re.compile(f"{day_pattern(starts_on)} to {day_pattern(ends_on)}")
    )
    expect(record).to_contain_text(re.compile(f"review {day_pattern(review_on)}"))
    expect(record).to_contain_text(re.compile(f"material kept until {day_pattern(kept_until)}"))
    steps.check("external-recorded")

    steps.review(team["authoriser"], label)
    steps.renew(label)
    expect_expiry(page, end_text(renewed_last_day(granted_last_day, 3)))
    steps.cancel(label, team["applicant"])


def test_juvenile_submission_needs_appropriate_adult(
    page: Page,
    live_server: object,
    policy_errors: list[str],  # noqa: F811
) -> None:
    """Submission names the missing appropriate adult for meetings with a source of 15."""
    team = source_team(K.JUVENILE_CHIS, juvenile=True)
    content = chis_content(
        team["handler"],
        team["controller"],
        juvenile={
            "date_of_birth": born_years_ago(15),
            "relationship_with_parent": False,
            "appropriate_adult": "",
            "enhanced_risk_assessment_reference": "ERA/2026/0003",
        },
    )
    application = actions.create_application(
        acting_user=team["applicant"],
        operation=team["operation"],
        kinds=[K.JUVENILE_CHIS.value],
        reference="URN/jchis-adult/0001",
        content=content,
        source=team["source"],
    )

    steps = journey(page, live_server, "jchis-adult")
    steps.sign_in(team["applicant"])
    page.goto(f"{steps.base}/authorisations/applications/{application.pk}/edit/")
    page.get_by_role("button", name="Submit").click()
    summary = page.locator(".govuk-error-summary")
    message = "Enter who will act as the appropriate adult at meetings with the source"
    expect(summary).to_contain_text(message)
    steps.check("appropriate-adult-missing")
    summary.get_by_role("link", name=message).click()
    expect(page.locator("#id_juvenile__appropriate_adult")).to_be_focused()


def test_external_authority_dates_in_full(
    page: Page,
    live_server: object,
    policy_errors: list[str],  # noqa: F811
) -> None:
    team = a_team()
    application = actions.create_application(
        acting_user=team["applicant"],
        operation=team["operation"],
        kinds=[K.DIRECTED_SURVEILLANCE.value],
        reference="URN/prison-dates/0001",
        content=base_content(),
    )
    ends_on = today() + timedelta(days=60)
    actions.record_external_authority(
        acting_user=team["gatekeeper"],
        operation=team["operation"],
        authority_type="prison-rule-35a",
        details={
            "granted_by": "Governor",
            "organisation": "HMP Example",
            "external_reference": "HMP/35A/0043",
            "description": "Monitoring of the subject's telephone calls.",
            "starts_on": today().isoformat(),
            "ends_on": ends_on.isoformat(),
            "review_on": (today() + timedelta(days=30)).isoformat(),
        },
        application=application,
    )

    steps = journey(page, live_server, "prison-dates")
    steps.sign_in(team["applicant"])
    page.goto(f"{steps.base}/authorisations/applications/{application.pk}/")
    record = page.locator("li", has_text="HMP/35A/0043")
    expect(record).to_contain_text(f"{format_day(today())} to {format_day(ends_on)}")
