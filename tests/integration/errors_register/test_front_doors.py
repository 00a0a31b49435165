"""The pages, the JSON API and ``cpmp errors`` take the same steps under the same policy."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from cpmp.access.roles import Role
from cpmp.audit.models import AuditEvent
from cpmp.oversight.errors_register.models import ErrorStatus
from tests.integration.api.conftest import make_token

from .support import a_candidate, a_confirmed_error, a_person, an_operation

pytestmark = pytest.mark.django_db


def api_post(user, path: str, body: dict) -> object:  # type: ignore[no-untyped-def]
    return Client().post(
        path,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {make_token(user)}",
    )


def test_pages_take_error_to_closure(client) -> None:  # type: ignore[no-untyped-def]
    gatekeeper = a_person(Role.GATEKEEPER)
    error = a_candidate(an_operation("Op Pages"))
    client.force_login(gatekeeper)

    confirmed = client.post(
        reverse("errors:confirm", kwargs={"error_id": error.pk}),
        {"established_on": "2026-04-01", "owner": str(gatekeeper.pk)},
    )
    reported = client.post(
        reverse("errors:report", kwargs={"error_id": error.pk}),
        {"reported_on": "2026-04-20", "reference": "IPC/2026/010"},
    )
    decided = client.post(
        reverse("errors:decision", kwargs={"error_id": error.pk}),
        {"serious": "yes", "decided_on": "2026-04-21"},
    )
    detail = client.get(reverse("errors:detail", kwargs={"error_id": error.pk}))
    closed = client.post(reverse("errors:close", kwargs={"error_id": error.pk}))

    assert confirmed.status_code == 302
    assert reported.status_code == 302
    assert decided.status_code == 302
    assert "Reported late" in detail.content.decode()
    assert "Friday 17 April 2026" in detail.content.decode()
    assert closed.status_code == 302
    error.refresh_from_db()
    assert error.status == ErrorStatus.CLOSED
    assert error.ipc_serious is True


def test_confirm_page_shows_error_summary(client) -> None:  # type: ignore[no-untyped-def]
    gatekeeper = a_person(Role.GATEKEEPER)
    error = a_candidate(an_operation("Op Invalid"))
    client.force_login(gatekeeper)

    response = client.post(reverse("errors:confirm", kwargs={"error_id": error.pk}), {})

    assert response.status_code == 400
    assert "Enter the date the error was established" in response.content.decode()


def test_list_puts_overdue_first(client) -> None:  # type: ignore[no-untyped-def]
    operation = an_operation("Op Overdue")
    candidate = a_candidate(operation)
    overdue = a_confirmed_error(operation, established_on=date(2026, 1, 5))
    client.force_login(a_person(Role.SENIOR_RESPONSIBLE_OFFICER))

    page = client.get(reverse("errors:list")).content.decode()

    assert page.index(f"Error {overdue.pk}<") < page.index(f"Error {candidate.pk}<")
    assert "Overdue" in page


def test_error_outside_compartment_is_404(client) -> None:  # type: ignore[no-untyped-def]
    outsider = a_person(Role.APPLICANT)
    an_operation("Op Mine", outsider)
    error = a_candidate(an_operation("Op Theirs"))
    client.force_login(outsider)

    detail = client.get(reverse("errors:detail", kwargs={"error_id": error.pk}))
    missing = client.get(reverse("errors:detail", kwargs={"error_id": 999_999}))
    listing = client.get(reverse("errors:list"))

    assert detail.status_code == 404
    assert missing.status_code == 404
    assert f"Error {error.pk}<" not in listing.content.decode()


def test_team_member_reads_but_cannot_confirm(client) -> None:  # type: ignore[no-untyped-def]
    member = a_person(Role.APPLICANT)
    error = a_candidate(an_operation("Op Team", member))
    client.force_login(member)

    detail = client.get(reverse("errors:detail", kwargs={"error_id": error.pk}))
    confirm = client.get(reverse("errors:confirm", kwargs={"error_id": error.pk}))

    assert detail.status_code == 200
    assert confirm.status_code == 403
    assert AuditEvent.objects.filter(
        event_type="record.viewed", object_type="relevant_error", object_id=str(error.pk)
    ).exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.GATEKEEPER, 200),
        (Role.SENIOR_RESPONSIBLE_OFFICER, 200),
        (Role.INSPECTOR, 403),
        (Role.AUDITOR, 403),
        (Role.SENIOR_AUTHORISING_OFFICER, 404),
        (Role.APPLICANT, 404),
    ],
)
def test_api_dismissal_by_role(role: str, status: int) -> None:
    error = a_candidate(an_operation("Op Api"))

    response = api_post(
        a_person(role),
        f"/api/errors/{error.pk}/dismissal",
        {"reasons": "The cancellation was signed in time; the register was wrong."},
    )

    assert response.status_code == status  # type: ignore[attr-defined]


def test_api_confirm_and_report_late() -> None:
    gatekeeper = a_person(Role.GATEKEEPER)
    error = a_candidate(an_operation("Op Api Late"))

    confirmed = api_post(
        gatekeeper,
        f"/api/errors/{error.pk}/confirmation",
        {"established_on": "2026-04-01", "owner_id": gatekeeper.pk},
    )
    reported = api_post(
        gatekeeper,
        f"/api/errors/{error.pk}/report",
        {"reported_on": "2026-04-20", "reference": "IPC/2026/011"},
    )

    assert confirmed.status_code == 200  # type: ignore[attr-defined]
    assert confirmed.json()["due_last_day"] == "2026-04-17"  # type: ignore[attr-defined]
    assert reported.status_code == 200  # type: ignore[attr-defined]
    assert reported.json()["late"] is True  # type: ignore[attr-defined]


def test_cli_lists_and_reports() -> None:
    gatekeeper = a_person(Role.GATEKEEPER)
    error = a_confirmed_error(an_operation("Op Cli"))
    listing = StringIO()
    reporting = StringIO()

    call_command("errors", "list", "--as", gatekeeper.username, "--format", "json", stdout=listing)
    call_command(
        "errors",
        "report",
        str(error.pk),
        "--as",
        gatekeeper.username,
        "--reported-on",
        "2026-04-20",
        "--reference",
        "IPC/2026/012",
        "--now",
        "2026-04-21T09:00:00+01:00",
        stdout=reporting,
    )

    rows = json.loads(listing.getvalue())
    assert [row["id"] for row in rows] == [error.pk]
    assert "reported late" in reporting.getvalue()


def test_cli_report_by_reader_exits_1() -> None:
    auditor = a_person(Role.AUDITOR)
    error = a_confirmed_error(an_operation("Op Cli Reader"))

    with pytest.raises(CommandError) as refused:
        call_command(
            "errors",
            "report",
            str(error.pk),
            "--as",
            auditor.username,
            "--reported-on",
            "2026-04-20",
            "--reference",
            "IPC/2026/013",
        )

    assert refused.value.returncode == 1


def test_cli_bad_date_exits_2() -> None:
    gatekeeper = a_person(Role.GATEKEEPER)

    with pytest.raises(CommandError) as bad:
        call_command(
            "errors",
            "report",
            "1",
            "--as",
            gatekeeper.username,
            "--reported-on",
            "17/04/2026",
            "--reference",
            "IPC/2026/014",
        )

    assert bad.value.returncode == 2
