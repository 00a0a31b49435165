"""Make audit events and checkpoints append-only in the database itself.

Triggers on SQLite and PostgreSQL reject every UPDATE and DELETE of an event or checkpoint,
whoever sends it. On PostgreSQL, when CPMP_DB_APP_ROLE names the role the application connects
as, that role may also only SELECT and INSERT them: without UPDATE, DELETE or TRUNCATE, and
without owning the tables, it cannot disable the triggers either. TRUNCATE fires no row
trigger, so on PostgreSQL only the revoked privilege stops it.
"""

import os
import re

from django.db import migrations

APPEND_ONLY_TABLES = ("audit_auditevent", "audit_auditcheckpoint")
HEAD_TABLE = "audit_chainhead"
ROLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


class RunSQLOnVendor(migrations.RunSQL):
    """RunSQL that runs only on one database vendor ("sqlite" or "postgresql")."""

    def __init__(self, vendor, sql, reverse_sql):
        self.vendor = vendor
        super().__init__(sql, reverse_sql)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        kwargs["vendor"] = self.vendor
        return self.__class__.__qualname__, args, kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _sqlite_triggers():
    create, drop = [], []
    for table in APPEND_ONLY_TABLES:
        for operation in ("UPDATE", "DELETE"):
            name = f"{table}_reject_{operation.lower()}"
            create.append(
                f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} rejected'); END"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name}")
    return create, drop


def _postgresql_triggers():
    create = [
        """
        CREATE FUNCTION audit_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: % rejected', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    ]
    drop = []
    for table in APPEND_ONLY_TABLES:
        create.append(
            f"CREATE TRIGGER {table}_reject_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_reject_change()"
        )
        drop.append(f"DROP TRIGGER IF EXISTS {table}_reject_change ON {table}")
    drop.append("DROP FUNCTION IF EXISTS audit_reject_change()")
    return create, drop


def restrict_application_role(apps, schema_editor):
    """Let the role in CPMP_DB_APP_ROLE only read and append audit rows (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    role = os.environ.get("CPMP_DB_APP_ROLE", "").strip()
    if not role:
        return
    if not ROLE_NAME.fullmatch(role):
        raise ValueError(
            f"CPMP_DB_APP_ROLE {role!r} is not a plain PostgreSQL role name: use letters, digits "
            "and underscores."
        )
    quoted = schema_editor.quote_name(role)
    for table in APPEND_ONLY_TABLES:
        schema_editor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON TABLE {table} FROM {quoted}")
        schema_editor.execute(f"GRANT SELECT, INSERT ON TABLE {table} TO {quoted}")
    # The head row is updated on every append but never deleted.
    schema_editor.execute(f"REVOKE DELETE, TRUNCATE ON TABLE {HEAD_TABLE} FROM {quoted}")
    schema_editor.execute(f"GRANT SELECT, INSERT, UPDATE ON TABLE {HEAD_TABLE} TO {quoted}")


SQLITE_CREATE, SQLITE_DROP = _sqlite_triggers()
POSTGRESQL_CREATE, POSTGRESQL_DROP = _postgresql_triggers()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_create_event_checkpoint_and_head_tables"),
    ]

    operations = [
        RunSQLOnVendor("sqlite", SQLITE_CREATE, SQLITE_DROP),
        RunSQLOnVendor("postgresql", POSTGRESQL_CREATE, POSTGRESQL_DROP),
        # Reversing leaves the privileges as they are: a rollback should not widen them.
        migrations.RunPython(restrict_application_role, migrations.RunPython.noop),
    ]
