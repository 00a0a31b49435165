"""Storing imported registers: the actions, the command, and nothing stored on failure."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cpmp.authorities.models import Authorisation
from cpmp.law.periods import LONDON
from cpmp.oversight.actions import (
    confirm_central_record_import,
    preview_central_record_import,
)
from cpmp.oversight.importing.errors import ImportFailed
from cpmp.oversight.models import CentralRecordImport, ImportChannel, ImportState
from tests.factories import a_gatekeeper

pytestmark = pytest.mark.django_db

POLICE = "police_cab_register.csv"
AS_AT = date(2024, 3, 31)
REPOSITORY = Path(__file__).resolve().parents[2]


def _preview(samples_dir: Path, name: str = POLICE, user=None) -> CentralRecordImport:
    return preview_central_record_import(
        file_name=name,
        content=(samples_dir / name).read_bytes(),
        as_at=AS_AT,
        mapping=None,
        acting_user=user or a_gatekeeper(),
    )


def test_preview_stores_no_authorisation(samples_dir: Path) -> None:
    batch = _preview(samples_dir)
    assert batch.state == ImportState.PREVIEWED
    assert batch.channel == ImportChannel.WEB
    assert bytes(batch.content) == (samples_dir / POLICE).read_bytes()
    assert len(batch.sha256) == 64
    assert len(batch.report["records"]) == 38
    assert Authorisation.objects.count() == 0


def test_confirm_stores_each_record_once(samples_dir: Path) -> None:
    user = a_gatekeeper()
    first = confirm_central_record_import(_preview(samples_dir, user=user).pk, acting_user=user)
    assert (first.created, first.unchanged) == (38, 0)
    second = confirm_central_record_import(_preview(samples_dir, user=user).pk, acting_user=user)
    assert (second.created, second.unchanged) == (0, 38)
    assert Authorisation.objects.count() == 38


def test_stored_record_keeps_facts(samples_dir: Path) -> None:
    user = a_gatekeeper()
    confirm_central_record_import(_preview(samples_dir, user=user).pk, acting_user=user)
    oral = Authorisation.objects.get(reference="DS/2023/002")
    assert oral.origin == "imported"
    assert oral.kind == "directed-surveillance"
    assert oral.urgent and oral.oral
    assert oral.granted == "2023-01-03T22:40:00+00:00"
    assert oral.expires_at == datetime(2023, 1, 6, 22, 40, tzinfo=LONDON)
    assert oral.cancelled == "2023-01-04"
    assert oral.state == "granted"
    assert oral.source_record == 7
    assert oral.details["cells"]["Notes"] == "superseded by written authority DS/2023/001"
    undated = Authorisation.objects.get(reference="DS/2023/020")
    assert undated.state == "cancelled-date-unknown"
    assert undated.details["reviews"] == ["2023-10-02", "2023-10-30"]


def test_month_precision_stored_as_range(samples_dir: Path) -> None:
    user = a_gatekeeper()
    batch = preview_central_record_import(
        file_name="foi_monthly_breakdown.csv",
        content=(samples_dir / "foi_monthly_breakdown.csv").read_bytes(),
        as_at=date(2021, 3, 31),
        mapping=None,
        acting_user=user,
    )
    confirm_central_record_import(batch.pk, acting_user=user)
    july = Authorisation.objects.get(source_record=15)
    assert july.granted == "2020-07"
    assert july.expires_at is None
    assert july.expires_earliest == datetime(2020, 10, 1, tzinfo=LONDON)
    assert july.expires_latest == datetime(2020, 10, 31, tzinfo=LONDON)
    assert july.authority_type == "local-authority"


def test_duplicated_rows_stored_once(samples_dir: Path) -> None:
    lines = (samples_dir / POLICE).read_bytes().split(b"\r\n")
    content = b"\r\n".join([*lines[:6], lines[5], lines[5], *lines[6:]])
    user = a_gatekeeper()
    batch = preview_central_record_import(
        file_name="twice.csv", content=content, as_at=AS_AT, mapping=None, acting_user=user
    )
    outcome = confirm_central_record_import(batch.pk, acting_user=user)
    assert outcome.created == 38
    assert Authorisation.objects.filter(reference="DS/2023/001").count() == 1
    reasons = [s["reason"] for s in batch.report["skipped"]]
    assert reasons.count("duplicate of record 6") == 2


def test_unreadable_file_stores_nothing() -> None:
    with pytest.raises(ImportFailed):
        preview_central_record_import(
            file_name="junk.csv",
            content=b"%PDF-1.4 junk",
            as_at=AS_AT,
            mapping=None,
            acting_user=a_gatekeeper(),
        )
    assert CentralRecordImport.objects.count() == 0


def test_no_user_only_from_command_line(samples_dir: Path) -> None:
    with pytest.raises(ValueError, match="acting user"):
        preview_central_record_import(
            file_name=POLICE,
            content=(samples_dir / POLICE).read_bytes(),
            as_at=AS_AT,
            mapping=None,
            acting_user=None,
        )


def test_command_stores_and_reports(samples_dir: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    path = str(samples_dir / POLICE)
    call_command("import", "central-record", path, "--as-at", "2024-03-31", stdout=out, stderr=err)
    report = json.loads(out.getvalue())
    assert report["as_at"] == "2024-03-31"
    assert Authorisation.objects.count() == 38
    batch = CentralRecordImport.objects.get()
    assert batch.channel == ImportChannel.COMMAND_LINE
    assert batch.imported_by is None
    assert "38 records stored, 0 already in the register" in err.getvalue()


def test_command_dry_run_stores_nothing(samples_dir: Path) -> None:
    out = io.StringIO()
    path = str(samples_dir / "council_register.csv")
    call_command(
        "import",
        "central-record",
        path,
        "--dry-run",
        "--as-at",
        "2020-12-31",
        "--format",
        "text",
        stdout=out,
    )
    assert "23 records, 3 skipped" in out.getvalue()
    assert "awaiting-approval 1" in out.getvalue()
    assert Authorisation.objects.count() == 0
    assert CentralRecordImport.objects.count() == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--as-at", "31/03/2024"], "--as-at '31/03/2024' is not a valid date"),
        (["--map", "URN=colour"], "unknown field 'colour'"),
        (["--map", "Colour=notes"], "names the column 'Colour'"),
        (["--map", "URN"], "is not in the form COLUMN=FIELD"),
    ],
)
def test_command_rejects_bad_options(samples_dir: Path, arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("import", "central-record", str(samples_dir / POLICE), *arguments)
    assert message in str(raised.value)
    assert POLICE in str(raised.value)
    assert CentralRecordImport.objects.count() == 0


def _run_cpmp(*arguments: str, database: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "CPMP_VAR_DIR": str(database), "DJANGO_SETTINGS_MODULE": ""}
    environment.pop("DJANGO_SETTINGS_MODULE")
    environment.pop("DATABASE_URL", None)
    cpmp = Path(sys.executable).with_name("cpmp")
    return subprocess.run(  # noqa: S603
        [str(cpmp), *arguments], capture_output=True, text=True, env=environment, check=False
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "the file is empty"), (b"\x00\x01\x02binary", "binary data")],
)
def test_cli_exit_status_unreadable(tmp_path: Path, content: bytes, reason: str) -> None:
    register = tmp_path / "register.csv"
    register.write_bytes(content)
    migrate = _run_cpmp("migrate", "--no-input", "-v", "0", database=tmp_path)
    assert migrate.returncode == 0, migrate.stderr
    result = _run_cpmp("import", "central-record", str(register), database=tmp_path)
    assert result.returncode != 0
    assert "Cannot import register.csv" in result.stderr
    assert reason in result.stderr


def test_cli_exit_status_success(tmp_path: Path, samples_dir: Path) -> None:
    assert _run_cpmp("migrate", "--no-input", "-v", "0", database=tmp_path).returncode == 0
    result = _run_cpmp(
        "import",
        "central-record",
        str(samples_dir / POLICE),
        "--dry-run",
        "--as-at",
        "2024-03-31",
        database=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["records"]) == 38
