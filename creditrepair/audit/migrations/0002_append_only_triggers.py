"""Database triggers that refuse UPDATE and DELETE on the audit table.

They stop any code path that bypasses the ORM guards (raw SQL, other
applications sharing the database). A database owner can still drop or
disable them (``DROP TRIGGER`` on SQLite, ``ALTER TABLE ... DISABLE TRIGGER``
on PostgreSQL); the hash chain is what detects such tampering afterwards.

Errors are raised as integrity violations on both vendors (SQLite
``RAISE(ABORT)``, PostgreSQL SQLSTATE 23001), so Django reports them as
``IntegrityError``. There is no TRUNCATE trigger on PostgreSQL: row triggers do
not fire on TRUNCATE, and the test runner's flush relies on it.
"""

from django.db import migrations

TABLE = "audit_auditevent"
PG_FUNCTION = "audit_auditevent_refuse_change"
PG_TRIGGER = "audit_auditevent_append_only"
SQLITE_TRIGGERS = ("audit_auditevent_no_update", "audit_auditevent_no_delete")


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit log is append-only: % on {TABLE} refused', TG_OP
                    USING ERRCODE = 'restrict_violation';
            END;
            $$
            """,
            params=None,  # the body contains a literal "%"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {PG_TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
            params=None,
        )
    elif vendor == "sqlite":
        for name, operation in zip(SQLITE_TRIGGERS, ("UPDATE", "DELETE")):
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE {operation} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, 'audit log is append-only: {operation} on {TABLE} refused'); END"
            )


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
    elif vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
