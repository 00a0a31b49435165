"""``cpmp sources report``: the person's view, the access policy and the exit statuses."""

from __future__ import annotations

import json
from unittest.mock import patch

import pytest
from django.db import connections

from cpmp.access.roles import Role
from cpmp.audit.models import AuditEvent
from cpmp.cli import main
from cpmp.sources import actions

from .builders import SourceUnit, assess, live_chis, person

pytestmark = pytest.mark.django_db


def run(*arguments: str) -> int:
    """Run ``cpmp`` with ``arguments`` as from the shell and return its exit status.

    The command closes every database connection when it ends, which would end the test's
    transaction on PostgreSQL, so closing is skipped for the run.
    """
    with patch.object(connections, "close_all"):
        try:
            main(["cpmp", *arguments])
        except SystemExit as exit_:
            return int(exit_.code or 0)
    return 0


def a_gap(unit: SourceUnit):  # type: ignore[no-untyped-def]
    return actions.request_payment(
        unit.source, acting_user=unit.handler, kind="payment", amount="50", purpose="Reward."
    )


def test_contact_gaps_as_json(capsys) -> None:  # type: ignore[no-untyped-def]
    unit = SourceUnit()
    payment = a_gap(unit)
    other = SourceUnit()
    a_gap(other)

    status = run(
        "sources", "report", "contact-gaps", "--as", unit.handler.username, "--format", "json"
    )

    assert status == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(row["record_type"], row["record_id"]) for row in rows] == [("payment", payment.pk)]
    assert rows[0]["source_id"] == unit.source.pk
    event = AuditEvent.objects.get(event_type="export.created")
    assert event.actor_id == unit.handler.pk
    assert event.object_id == "sources-contact-gaps"
    assert event.payload == {"format": "json", "row_count": 1}
    assert event.source == "command-line"


def test_payment_anomalies_as_text(capsys) -> None:  # type: ignore[no-untyped-def]
    unit = SourceUnit()
    payment = a_gap(unit)
    status = run("sources", "report", "payment-anomalies", "--as", unit.controller.username)
    assert status == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "code\tmessage\tsource_id\tsource_reference\tpayment_ids"
    codes = {line.split("\t")[0] for line in lines[1:]}
    assert codes == {"no-contact-record", "no-live-authorisation"}
    assert all(line.endswith(f"\t{payment.pk}") for line in lines[1:])


def test_potential_sources_lists_clock(capsys) -> None:  # type: ignore[no-untyped-def]
    unit = SourceUnit()
    authorised = SourceUnit()
    assess(authorised)
    live_chis(authorised)
    for recorded in (unit, authorised):
        actions.record_contact(
            recorded.source,
            acting_user=recorded.handler,
            kind="meeting",
            occurred_at=recorded.source.created_at,
            location_reference="LOC-1",
            information_passed="Nothing passed.",
            welfare_observations="None.",
        )
    sro = person(Role.SENIOR_RESPONSIBLE_OFFICER)

    status = run("sources", "report", "potential-sources", "--as", sro.username, "--format", "json")

    assert status == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["source_id"] for row in rows] == [unit.source.pk]
    assert rows[0]["contact_count"] == 1
    assert rows[0]["triage_due"] is False


def test_report_refused_for_person_without_access(capsys) -> None:  # type: ignore[no-untyped-def]
    administrator = person(Role.ADMINISTRATOR)
    status = run("sources", "report", "contact-gaps", "--as", administrator.username)
    assert status == 1
    assert "may not open the source reports" in capsys.readouterr().err
    assert not AuditEvent.objects.filter(event_type="export.created").exists()


def test_report_rejects_unknown_username(capsys) -> None:  # type: ignore[no-untyped-def]
    status = run("sources", "report", "contact-gaps", "--as", "no-such-person")
    assert status == 2
    assert "'no-such-person'" in capsys.readouterr().err


def test_report_rejects_unknown_report(capsys) -> None:  # type: ignore[no-untyped-def]
    status = run("sources", "report", "gaps", "--as", "anyone")
    assert status == 2
    error = capsys.readouterr().err
    assert "'gaps'" in error
    assert "contact-gaps" in error


def test_report_rejects_unknown_format(capsys) -> None:  # type: ignore[no-untyped-def]
    unit = SourceUnit()
    status = run(
        "sources", "report", "contact-gaps", "--as", unit.handler.username, "--format", "csv"
    )
    assert status == 2
    error = capsys.readouterr().err
    assert "'csv'" in error
    assert "'json'" in error


def test_report_rejects_naive_now(capsys) -> None:  # type: ignore[no-untyped-def]
    unit = SourceUnit()
    status = run(
        "sources", "report", "contact-gaps", "--as", unit.handler.username, "--now", "2026-03-04"
    )
    assert status == 2
    assert "Invalid --now value '2026-03-04'" in capsys.readouterr().err
