"""No log line carries a person's name, username or the operation names of an import."""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from cpmp.access.roles import Role
from tests.factories import PASSWORD, SignedInClient, authenticator, current_code, make_user

pytestmark = pytest.mark.django_db

SAMPLE = "police_cab_register.csv"


def _named_gatekeeper() -> object:
    return make_user(
        Role.GATEKEEPER, username="zebedee.quill", first_name="Zebedee", last_name="Quillfeather"
    )


def _assert_not_logged(caplog: pytest.LogCaptureFixture, texts: set[str]) -> None:
    logged = [f"{record.name} {record.getMessage()}" for record in caplog.records]
    assert logged, "nothing was logged, so the test proves nothing"
    for text in texts:
        leaks = [line for line in logged if text.lower() in line.lower()]
        assert leaks == [], f"a log line contains {text!r}"


def _operation_names(path: Path) -> set[str]:
    """Return the values of the sample register's Operation column."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header_row = next(index for index, line in enumerate(lines) if line.startswith("URN,"))
    reader = csv.DictReader(io.StringIO("\n".join(lines[header_row:])))
    return {row["Operation"].strip() for row in reader if (row.get("Operation") or "").strip()}


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_sign_in_logs_no_names(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    gatekeeper = _named_gatekeeper()
    stranger_username = "xanthe.marrowby"
    client = Client()

    client.post(reverse("web:login"), {"username": stranger_username, "password": "x" * 12})
    client.post(reverse("web:login"), {"username": gatekeeper.username, "password": "x" * 12})
    client.post(reverse("web:login"), {"username": gatekeeper.username, "password": PASSWORD})
    wrong = f"{(int(current_code(authenticator(gatekeeper))) + 1) % 1_000_000:06d}"
    client.post(reverse("web:second-factor"), {"code": wrong})
    response = client.post(
        reverse("web:second-factor"), {"code": current_code(authenticator(gatekeeper))}
    )
    assert response.status_code == 302
    client.post(reverse("web:logout"))

    _assert_not_logged(
        caplog,
        {gatekeeper.first_name, gatekeeper.last_name, gatekeeper.username, stranger_username},
    )


def test_import_logs_no_names(caplog: pytest.LogCaptureFixture, samples_dir: Path) -> None:
    pytest.importorskip("cpmp.oversight.actions", reason="the importer is not in this tree yet")
    from cpmp.authorities.models import Authorisation

    caplog.set_level(logging.DEBUG)
    gatekeeper = _named_gatekeeper()
    client = SignedInClient()
    client.force_login(gatekeeper)
    operations = _operation_names(samples_dir / SAMPLE)
    assert operations, "the sample register has no operation names to look for"

    with (samples_dir / SAMPLE).open("rb") as upload:
        response = client.post(
            reverse("oversight:import-start"),
            {"file": upload, "as_at-day": "31", "as_at-month": "3", "as_at-year": "2024"},
        )
    assert response.status_code == 302
    client.post(response["Location"] + "confirm/")
    assert Authorisation.objects.exists()

    _assert_not_logged(
        caplog,
        {gatekeeper.first_name, gatekeeper.last_name, gatekeeper.username, *operations},
    )
