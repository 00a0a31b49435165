"""``cpmp deconfliction index``: one summary line with counts, for cron."""

from __future__ import annotations

from unittest.mock import patch

import pytest
from django.db import connections

from cpmp.access.roles import Role
from cpmp.audit.models import AuditEvent
from cpmp.cli import main
from cpmp.deconfliction.models import DeconflictionCase
from tests.integration.sources.builders import SourceUnit, live_chis, person

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


def test_index_raises_case_and_reports_counts(capsys) -> None:  # type: ignore[no-untyped-def]
    person(Role.DECONFLICTION_OFFICER)
    for _ in range(2):
        live_chis(SourceUnit(), conduct=(("vehicle", "AB12 CDE"),))

    assert run("deconfliction", "index", "--now", "2026-03-04T18:30:00+00:00") == 0
    assert capsys.readouterr().out == (
        "Deconfliction index: 2 identifiers added, 0 deactivated, 1 cases raised.\n"
    )
    case = DeconflictionCase.objects.get()
    assert case.raised_at.isoformat() == "2026-03-04T18:30:00+00:00"
    raised = AuditEvent.objects.get(event_type="deconfliction.case_raised")
    assert raised.actor_label == "command-line"
    assert raised.source == "command-line"

    assert run("deconfliction", "index") == 0
    assert capsys.readouterr().out.startswith("Deconfliction index: 0 identifiers added")


def test_index_rejects_unreadable_now(capsys) -> None:  # type: ignore[no-untyped-def]
    assert run("deconfliction", "index", "--now", "yesterday") == 2
    assert "Invalid --now value 'yesterday'" in capsys.readouterr().err
