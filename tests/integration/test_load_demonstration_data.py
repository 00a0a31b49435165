"""The demonstration data loader: refusal without the setting, and running it twice."""

from __future__ import annotations

from base64 import b32decode
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cpmp.access.compartments import visible_authorisations
from cpmp.access.models import RoleAssignment, User
from cpmp.access.roles import Rank, Role
from cpmp.web.management.commands.load_demonstration_data import (
    DEMONSTRATION_PASSWORD,
    DEMONSTRATION_TOTP_SECRET,
)

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    output = StringIO()
    call_command("load_demonstration_data", *args, stdout=output)
    return output.getvalue()


@override_settings(CPMP_DEMONSTRATION_DATA_ALLOWED=False)
@pytest.mark.parametrize("args", [(), ("--list-accounts",)])
def test_refused_without_setting(args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError, match="CPMP_DEMONSTRATION_DATA_ALLOWED"):
        _run(*args)
    assert User.objects.count() == 0


def test_creates_one_account_per_role() -> None:
    _run()
    roles = dict(RoleAssignment.objects.values_list("user__username", "role"))
    assert roles == {
        "applicant": Role.APPLICANT,
        "gatekeeper": Role.GATEKEEPER,
        "authorising-officer": Role.AUTHORISING_OFFICER,
        "inspector": Role.INSPECTOR,
        "administrator": Role.ADMINISTRATOR,
    }
    officer = User.objects.get(username="authorising-officer")
    assert officer.rank == Rank.SUPERINTENDENT
    assert officer.warrant_number
    assert officer.check_password(DEMONSTRATION_PASSWORD)
    assert len(DEMONSTRATION_PASSWORD) >= 12


def test_privileged_accounts_get_demonstration_secret() -> None:
    _run()
    devices = {
        device.user.username: device
        for device in TOTPDevice.objects.select_related("user").filter(confirmed=True)
    }
    assert set(devices) == {"gatekeeper", "authorising-officer", "administrator"}
    expected_key = b32decode(DEMONSTRATION_TOTP_SECRET)
    for username, device in devices.items():
        assert device.bin_key == expected_key, username
    assert len(expected_key) == 20


def test_second_run_changes_nothing() -> None:
    _run()
    users_before = list(User.objects.order_by("pk").values())
    roles_before = list(RoleAssignment.objects.order_by("pk").values())
    devices_before = list(TOTPDevice.objects.order_by("pk").values())

    output = _run()

    assert "Nothing to change" in output
    assert list(User.objects.order_by("pk").values()) == users_before
    assert list(RoleAssignment.objects.order_by("pk").values()) == roles_before
    assert list(TOTPDevice.objects.order_by("pk").values()) == devices_before


def test_list_accounts_stores_nothing() -> None:
    output = _run("--list-accounts")
    assert User.objects.count() == 0
    lines = output.splitlines()
    assert lines[0].split() == ["Username", "Role", "Password", "Authenticator", "secret"]
    assert len(lines) == 6
    assert all(DEMONSTRATION_PASSWORD in line for line in lines[1:])
    assert any(line.startswith("gatekeeper ") for line in lines)
    rows = {line.split()[0]: line for line in lines[1:]}
    for username in ("gatekeeper", "authorising-officer", "administrator"):
        assert rows[username].endswith(DEMONSTRATION_TOTP_SECRET), username
    for username in ("applicant", "inspector"):
        assert rows[username].endswith("none needed"), username


def test_sample_registers_imported_once() -> None:
    pytest.importorskip("cpmp.oversight.actions", reason="the importer is not in this tree yet")
    from cpmp.authorities.models import Authorisation
    from cpmp.oversight.models import CentralRecordImport

    _run()
    records = Authorisation.objects.count()
    imports = CentralRecordImport.objects.count()
    assert records > 0

    _run()
    assert Authorisation.objects.count() == records
    assert CentralRecordImport.objects.count() == imports


def test_officers_join_sample_operation_teams() -> None:
    _run()
    now = timezone.now()
    officer = User.objects.get(username="authorising-officer")
    applicant = User.objects.get(username="applicant")

    assert visible_authorisations(officer, now).filter(operation="Op Jalebi").exists()
    assert visible_authorisations(applicant, now).filter(operation="Op Teapot").exists()
    assert not visible_authorisations(applicant, now).filter(operation="Op Jalebi").exists()
    assert "team memberships" not in _run()
