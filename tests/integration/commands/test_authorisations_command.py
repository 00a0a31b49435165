"""``cpmp authorisations``: the same actions and policy as the pages, with exit statuses."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cpmp.access.roles import Rank
from cpmp.audit.models import AuditEvent
from cpmp.authorities import actions
from cpmp.authorities.models import Authorisation
from cpmp.operations.models import OperationMembership
from tests.factories import a_gatekeeper
from tests.lifecycle_factories import (
    an_applicant_officer,
    an_authoriser,
    an_operation,
    at,
    base_content,
    decision,
)

pytestmark = pytest.mark.django_db


def _run(*arguments: str) -> str:
    out = io.StringIO()
    call_command("authorisations", *arguments, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _status(*arguments: str) -> int:
    """Run the command and return its exit status, as ``cpmp`` would exit."""
    try:
        _run(*arguments)
    except CommandError as error:
        return error.returncode
    return 0


@pytest.fixture
def granted() -> dict[str, Any]:
    """A directed surveillance authorisation granted on 1 Feb 2026, at application version 4."""
    applicant = an_applicant_officer()
    officer = an_authoriser(Rank.SUPERINTENDENT)
    operation = an_operation(applicant, officer)
    application = actions.create_application(
        acting_user=applicant,
        operation=operation,
        kinds=["directed-surveillance"],
        reference="CLI/0001",
        content=base_content(),
        at=at("2026-02-01T09:00:00+00:00"),
    )
    actions.submit_application(
        application, acting_user=applicant, expected_version=1, at=at("2026-02-01T09:10:00+00:00")
    )
    actions.accept_application(
        application,
        acting_user=a_gatekeeper(),
        expected_version=2,
        at=at("2026-02-01T09:20:00+00:00"),
    )
    (row,) = actions.grant_application(
        application,
        acting_user=officer,
        expected_version=3,
        decision=decision("2026-02-28"),
        at=at("2026-02-01T10:00:00+00:00"),
    )
    return {"row": row, "applicant": applicant, "officer": officer, "operation": operation}


def test_list_json_filters_status(granted: dict[str, Any]) -> None:
    officer = granted["officer"]
    rows = json.loads(_run("list", "--as", officer.username, "--format", "json"))
    assert [row["id"] for row in rows] == [granted["row"].pk]
    # Granted 1 Feb 2026: the last day is 30 Apr 2026, so it has expired by now.
    assert rows[0]["expires_at"] == "2026-05-01T00:00:00+01:00"
    live = json.loads(
        _run("list", "--as", officer.username, "--status", "live", "--format", "json")
    )
    assert live == []


def test_list_hides_other_compartments(granted: dict[str, Any]) -> None:
    outsider = an_applicant_officer()
    an_operation(outsider)
    out = _run("list", "--as", outsider.username)
    assert out.strip().splitlines() == ["id\treference\tkind\tstatus\texpires_at\tapplication_id"]


def test_show_prints_events_and_audits(granted: dict[str, Any]) -> None:
    row = granted["row"]
    out = _run("show", str(row.pk), "--as", granted["applicant"].username)
    assert "application_version: 4" in out
    assert "period: 2026-02-01 to 2026-04-30" in out
    assert "granted at 2026-02-01T10:00:00+00:00" in out
    event = AuditEvent.objects.filter(event_type="authorisation.viewed").get()
    assert event.source == "command-line"
    assert event.object_id == str(row.pk)


def test_review_renew_cancel_journey(granted: dict[str, Any]) -> None:
    row, officer = granted["row"], granted["officer"]
    common = ["--as", officer.username]
    reviewed = _run(
        "review", str(row.pk), *common, "--expected-version", "4",
        "--contacts", "Two meetings.", "--product", "Photographs.", "--risk", "No change.",
        "--collateral-intrusion", "None.", "--continue", "--reasoning", "Supplier unknown.",
        "--next-review-on", "2026-03-28", "--at", "2026-02-27T09:00:00+00:00",
    )  # fmt: skip
    assert "version 5" in reviewed

    renewed = _run(
        "renew", str(row.pk), *common, "--expected-version", "5",
        "--changes", "A courier identified.", "--necessity", "Supplier still unknown.",
        "--proportionality", "Still four hours a week.", "--value-so-far", "A courier.",
        "--first-review-on", "2026-05-20", "--at", "2026-04-20T09:00:00+01:00",
    )  # fmt: skip
    assert "version 6" in renewed
    row.refresh_from_db()
    # The renewal begins with 30 Apr 2026, the old last day, and ends with 29 Jul 2026.
    assert row.details["periods"][1]["first_day"] == "2026-04-30"
    assert row.details["periods"][1]["last_day"] == "2026-07-29"

    cancelled = _run(
        "cancel", str(row.pk), *common, "--expected-version", "6",
        "--reasons", "Supplier arrested.", "--outcome", "Evidence obtained.",
        "--product-owner", granted["applicant"].username,
        "--product-instructions", "Keep for the trial.",
        "--at", "2026-06-01T12:30:00+01:00",
    )  # fmt: skip
    assert "cancelled" in cancelled
    row.refresh_from_db()
    assert row.cancelled_from == at("2026-06-01T12:30:00+01:00")
    assert AuditEvent.objects.filter(event_type="authorisation.cancelled").exists()


def test_exit_1_on_law_refusal(granted: dict[str, Any]) -> None:
    row, officer = granted["row"], granted["officer"]
    status = _status(
        "renew", str(row.pk), "--as", officer.username, "--expected-version", "4",
        "--changes", "None.", "--necessity", "Still.", "--proportionality", "Still.",
        "--value-so-far", "Some.", "--first-review-on", "2026-05-20",
        "--at", "2026-05-01T00:00:00+01:00",
    )  # fmt: skip
    assert status == 1


def test_exit_1_on_stale_version(granted: dict[str, Any]) -> None:
    row, officer = granted["row"], granted["officer"]
    with pytest.raises(CommandError) as stale:
        _run(
            "cancel", str(row.pk), "--as", officer.username, "--expected-version", "3",
            "--reasons", "Done.", "--outcome", "Some.", "--product-owner", officer.username,
            "--product-instructions", "Keep.", "--at", "2026-03-01T10:00:00+00:00",
        )  # fmt: skip
    assert stale.value.returncode == 1
    assert "stale_version" in str(stale.value)


def test_exit_1_on_wrong_role(granted: dict[str, Any]) -> None:
    applicant = granted["applicant"]
    status = _status(
        "cancel", str(granted["row"].pk), "--as", applicant.username, "--expected-version", "4",
        "--reasons", "Done.", "--outcome", "Some.", "--product-owner", applicant.username,
        "--product-instructions", "Keep.", "--at", "2026-03-01T10:00:00+00:00",
    )  # fmt: skip
    assert status == 1
    assert Authorisation.objects.get(pk=granted["row"].pk).cancelled_from is None


def test_exit_1_on_hidden_record(granted: dict[str, Any]) -> None:
    outsider = an_authoriser(Rank.SUPERINTENDENT)
    OperationMembership.objects.filter(user=outsider).delete()
    with pytest.raises(CommandError) as hidden:
        _run("show", str(granted["row"].pk), "--as", outsider.username)
    assert hidden.value.returncode == 1
    assert "No authorisation" in str(hidden.value)


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["list", "--as", "nobody-at-all"], "nobody-at-all"),
        (["list", "--as", "{officer}", "--due-within", "99999"], "99999"),
        (
            ["review", "{id}", "--as", "{officer}", "--expected-version", "4", "--contacts", "a",
             "--product", "b", "--risk", "c", "--collateral-intrusion", "d", "--continue",
             "--reasoning", "e", "--next-review-on", "31/03/2026"],
            "31/03/2026",
        ),
        (
            ["cancel", "{id}", "--as", "{officer}", "--expected-version", "4", "--reasons", "a",
             "--outcome", "b", "--product-owner", "{officer}", "--product-instructions", "b",
             "--at", "2026-03-01T10:00"],
            "2026-03-01T10:00",
        ),
    ],
)  # fmt: skip
def test_exit_2_names_bad_value(granted: dict[str, Any], arguments: list[str], named: str) -> None:
    values = {"officer": granted["officer"].username, "id": str(granted["row"].pk)}
    filled = [argument.format(**values) for argument in arguments]
    with pytest.raises(CommandError) as bad:
        _run(*filled)
    assert bad.value.returncode == 2
    assert named in str(bad.value)


def test_exit_2_on_missing_fields(granted: dict[str, Any]) -> None:
    officer = granted["officer"]
    with pytest.raises(CommandError) as invalid:
        _run(
            "review", str(granted["row"].pk), "--as", officer.username,
            "--expected-version", "4", "--contacts", " ", "--product", "b", "--risk", "c",
            "--collateral-intrusion", "d", "--continue", "--reasoning", "e",
            "--next-review-on", "2026-02-20", "--at", "2026-02-10T10:00:00+00:00",
        )  # fmt: skip
    assert invalid.value.returncode == 2
    assert "changes.contacts" in str(invalid.value)


def test_unknown_option_exits_2(granted: dict[str, Any]) -> None:
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["cpmp", "authorisations", "list", "--as", "x", "--colour"])
    with pytest.raises(SystemExit) as exited:
        utility.execute()
    assert exited.value.code == 2
