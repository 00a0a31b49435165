"""Linking authorisations to their operations: on import and by the data migration."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cpmp.audit.models import AuditEvent
from cpmp.authorities.models import Authorisation
from cpmp.operations.models import Operation
from cpmp.oversight.actions import confirm_central_record_import, preview_central_record_import
from tests.factories import a_gatekeeper

from .personas import make_operation

POLICE = "police_cab_register.csv"


def _store(samples_dir: Path) -> None:
    user = a_gatekeeper()
    batch = preview_central_record_import(
        file_name=POLICE,
        content=(samples_dir / POLICE).read_bytes(),
        as_at=date(2024, 3, 31),
        mapping=None,
        acting_user=user,
    )
    confirm_central_record_import(batch.pk, acting_user=user)


@pytest.mark.django_db
def test_import_links_every_named_operation(samples_dir: Path) -> None:
    _store(samples_dir)
    named = Authorisation.objects.exclude(operation="")
    assert named.exists()
    for record in named.select_related("operation_ref"):
        assert record.operation_ref is not None
        assert record.operation_ref.name == " ".join(record.operation.split())
    assert not Authorisation.objects.filter(operation="", operation_ref__isnull=False).exists()


@pytest.mark.django_db
def test_import_gives_pseudonyms_own_compartment(samples_dir: Path) -> None:
    _store(samples_dir)
    kestrel = Operation.objects.get(name="Source 'Fictional-Kestrel'")
    wren = Operation.objects.get(name="UC 'Fictional-Wren'")
    assert kestrel.authorisations.count() == 1
    assert wren.authorisations.count() == 1
    assert not kestrel.memberships.exists()


@pytest.mark.django_db
def test_import_reuses_existing_operation(samples_dir: Path) -> None:
    existing = make_operation("op gateau")
    _store(samples_dir)
    assert existing.authorisations.count() == 5
    assert not Operation.objects.filter(name="Op Gateau").exists()


@pytest.mark.django_db
def test_import_audits_each_new_operation(samples_dir: Path) -> None:
    _store(samples_dir)
    created = AuditEvent.objects.filter(event_type="operation.created", object_type="operation")
    assert created.count() == Operation.objects.count()


@pytest.mark.django_db(transaction=True)
def test_migration_links_records_by_name() -> None:
    executor = MigrationExecutor(connection)
    before = [("authorities", "0001_initial"), ("operations", "0001_operations_and_teams")]
    after = [("authorities", "0002_link_authorisations_to_operations")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldOperation = old_apps.get_model("operations", "Operation")
    OldAuthorisation = old_apps.get_model("authorities", "Authorisation")
    existing = OldOperation.objects.create(name="Op Gingerbread")
    for operation in ("Op Gingerbread", "op  gingerbread ", "Op Nutmeg", "Source 'X'", ""):
        OldAuthorisation.objects.create(origin="imported", operation=operation, state="granted")

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new_apps = executor.loader.project_state(after).apps
    NewAuthorisation = new_apps.get_model("authorities", "Authorisation")
    NewOperation = new_apps.get_model("operations", "Operation")

    links = dict(NewAuthorisation.objects.values_list("operation", "operation_ref__name"))
    assert links["Op Gingerbread"] == "Op Gingerbread"
    assert links["op  gingerbread "] == "Op Gingerbread"
    assert links["Op Nutmeg"] == "Op Nutmeg"
    assert links["Source 'X'"] == "Source 'X'"
    assert links[""] is None
    assert NewOperation.objects.filter(name__iexact="op gingerbread").get().pk == existing.pk

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
