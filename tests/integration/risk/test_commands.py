"""``cpmp risk register``: the person's view of the register with each escalation level."""

from __future__ import annotations

import json
from datetime import timedelta
from unittest.mock import patch

import pytest
from django.db import connections
from django.utils import timezone

from cpmp.access.roles import Role
from cpmp.cli import main
from tests.integration.sources.builders import SourceUnit, assess, person

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


def test_register_lists_escalation(capsys) -> None:  # type: ignore[no-untyped-def]
    unit = SourceUnit()
    very_high = assess(unit, likelihood=5, impact=5)
    other = SourceUnit()
    assess(other)

    status = run("risk", "register", "--as", unit.handler.username, "--format", "json")

    assert status == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["assessment_id"] for row in rows] == [very_high.pk]
    assert rows[0]["band"] == "very-high"
    assert rows[0]["escalation"] == "senior-responsible-officer"
    assert rows[0]["blocks_tasking"] is True


def test_register_escalates_with_now(capsys, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CPMP_RISK = {"escalate_to_sro_after_days": 14}
    unit = SourceUnit()
    review_on = (timezone.now() + timedelta(days=5)).date()
    assess(unit, review_on=review_on.isoformat())
    later = (timezone.now() + timedelta(days=30)).isoformat()

    assert run("risk", "register", "--as", unit.controller.username) == 0
    assert run("risk", "register", "--as", unit.controller.username, "--now", later) == 0

    first, second = capsys.readouterr().out.split("assessment_id")[1:]
    assert first.strip().splitlines()[1].endswith("\towner")
    assert "past-review-date" in second
    assert second.strip().splitlines()[1].endswith("\tsenior-responsible-officer")


def test_register_refused_for_administrator(capsys) -> None:  # type: ignore[no-untyped-def]
    administrator = person(Role.ADMINISTRATOR)
    assert run("risk", "register", "--as", administrator.username) == 1
    assert "may not open the risk register" in capsys.readouterr().err


def test_register_needs_as(capsys) -> None:  # type: ignore[no-untyped-def]
    assert run("risk", "register") == 2
    assert "--as" in capsys.readouterr().err
