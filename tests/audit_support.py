"""Getting past the audit log's append-only triggers, as only a database owner could."""

from contextlib import contextmanager

from django.db import connection

TABLE = "audit_auditevent"


@contextmanager
def append_only_lifted():
    """Lift the append-only triggers for the block, then put them back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses while deferred foreign-key checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
            try:
                yield cursor
            finally:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
            definitions = [row[0] for row in cursor.fetchall()]
            assert definitions, "the append-only triggers are missing"
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER "{name}"')
            try:
                yield cursor
            finally:
                for sql in definitions:
                    cursor.execute(sql)
