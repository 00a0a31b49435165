"""The demonstration loader prints the code an authenticator app would show for the demo secret."""

from __future__ import annotations

from base64 import b32decode
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from cpmp.web.management.commands.load_demonstration_data import DEMONSTRATION_TOTP_SECRET
from tests.factories import a_gatekeeper


@pytest.mark.django_db
def test_printed_code_passes_second_factor() -> None:
    device = TOTPDevice.objects.create(
        user=a_gatekeeper(),
        name="demonstration",
        key=b32decode(DEMONSTRATION_TOTP_SECRET).hex(),
        confirmed=True,
    )
    output = StringIO()

    call_command("load_demonstration_data", "--code", stdout=output)

    code = output.getvalue().strip()
    assert len(code) == 6
    assert device.verify_token(code)
