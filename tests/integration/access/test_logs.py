"""No log line written during the access flows carries a name, pseudonym or operation name."""

from __future__ import annotations

import logging
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from cpmp.access.roles import Role
from cpmp.operations.models import OperationMembership
from cpmp.oversight.actions import confirm_central_record_import, preview_central_record_import
from tests.factories import make_user

from .personas import (
    OTHER_OPERATION,
    OUR_OPERATION,
    SOURCE_PSEUDONYM,
    TRUE_ADDRESS,
    TRUE_NAME,
    make_operation,
    make_record,
    make_source,
)

pytestmark = pytest.mark.django_db

OFFICER_FIRST_NAME = "Perpetua"
OFFICER_LAST_NAME = "Loggable"
IMPORTED_NAMES = ("Op Gateau", "Fictional-Kestrel", "Fictional-Wren")


def _text_of(record: logging.LogRecord) -> str:
    return f"{record.name} {record.getMessage()} {record.exc_text or ''}"


def test_flows_log_no_names(
    client: Client, caplog: pytest.LogCaptureFixture, samples_dir: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    handler = make_user(Role.HANDLER, first_name=OFFICER_FIRST_NAME, last_name=OFFICER_LAST_NAME)
    gatekeeper = make_user(
        Role.GATEKEEPER, first_name=OFFICER_FIRST_NAME, last_name=OFFICER_LAST_NAME
    )
    ours = make_operation(OUR_OPERATION, members=(handler,))
    theirs = make_operation(OTHER_OPERATION)
    record = make_record(ours)
    hidden = make_record(theirs)
    source = make_source(ours, handler=handler)

    client.force_login(handler)
    client.get(reverse("authorities:register"), {"operation": OTHER_OPERATION})
    client.get(reverse("authorities:detail", args=[record.pk]))
    client.get(reverse("authorities:detail", args=[hidden.pk]))
    client.get(reverse("assets:source-list"))
    client.get(reverse("assets:source-detail", args=[source.pk]))

    client.force_login(gatekeeper)
    client.get(reverse("authorities:register"), {"operation": OUR_OPERATION})
    client.get(reverse("assets:source-detail", args=[source.pk]))
    batch = preview_central_record_import(
        file_name="police_cab_register.csv",
        content=(samples_dir / "police_cab_register.csv").read_bytes(),
        as_at=date(2024, 3, 31),
        mapping=None,
        acting_user=gatekeeper,
    )
    confirm_central_record_import(batch.pk, acting_user=gatekeeper)
    client.get(reverse("oversight:import-detail", args=[batch.pk]))

    OperationMembership.objects.filter(user=handler).delete()
    client.force_login(handler)
    client.get(reverse("assets:source-detail", args=[source.pk]))

    new_key = Fernet.generate_key().decode()
    with override_settings(CPMP_FIELD_ENCRYPTION_KEYS=[new_key, *_current_keys()]):
        call_command("rotate_field_encryption", stdout=StringIO())

    assert caplog.records, "the flows logged nothing, so the check below proves nothing"
    forbidden = (
        OFFICER_FIRST_NAME,
        OFFICER_LAST_NAME,
        SOURCE_PSEUDONYM,
        TRUE_NAME,
        TRUE_ADDRESS,
        "1990-02-14",
        OUR_OPERATION,
        OTHER_OPERATION,
        *IMPORTED_NAMES,
    )
    for logged in caplog.records:
        text = _text_of(logged)
        for word in forbidden:
            assert word not in text, f"a {logged.name} log line contains {word!r}"


def _current_keys() -> list[str]:
    from django.conf import settings

    return list(settings.CPMP_FIELD_ENCRYPTION_KEYS)
