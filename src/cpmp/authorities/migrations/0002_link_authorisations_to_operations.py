"""Add each authorisation's compartment and link existing records to operations by name.

A record whose ``operation`` text names an operation is linked to the operation of that name
(compared without regard to case or runs of spaces), which is created when none exists. A
record with empty text is left unlinked: only the roles that oversee every operation see it.
"""

import django.db.models.deletion
from django.db import migrations, models

# Operation.name's length at the time of this migration.
MAX_NAME_LENGTH = 200


def _normalise(text):
    # The rule of cpmp.operations.actions.normalise_operation_name, copied because a migration
    # must not import application code that may later change.
    return " ".join(text.split())[:MAX_NAME_LENGTH]


def link_records_to_operations(apps, schema_editor):
    Authorisation = apps.get_model("authorities", "Authorisation")
    Operation = apps.get_model("operations", "Operation")
    by_name = {
        operation.name.casefold(): operation for operation in Operation.objects.order_by("-pk")
    }
    texts = (
        Authorisation.objects.filter(operation_ref__isnull=True)
        .exclude(operation="")
        .values_list("operation", flat=True)
        .distinct()
    )
    for text in list(texts):
        name = _normalise(text)
        if not name:
            continue
        operation = by_name.get(name.casefold())
        if operation is None:
            operation = Operation.objects.create(name=name)
            by_name[name.casefold()] = operation
        Authorisation.objects.filter(operation_ref__isnull=True, operation=text).update(
            operation_ref=operation
        )


def unlink_records(apps, schema_editor):
    # Operations created going forwards are kept: teams may have been added to them since.
    Authorisation = apps.get_model("authorities", "Authorisation")
    Authorisation.objects.update(operation_ref=None)


class Migration(migrations.Migration):
    dependencies = [
        ("authorities", "0001_initial"),
        ("operations", "0001_operations_and_teams"),
    ]

    operations = [
        migrations.AddField(
            model_name="authorisation",
            name="operation_ref",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="authorisations",
                to="operations.operation",
            ),
        ),
        migrations.RunPython(link_records_to_operations, unlink_records),
    ]
