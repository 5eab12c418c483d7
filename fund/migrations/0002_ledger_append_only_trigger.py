"""On PostgreSQL the database itself refuses to change or delete a ledger entry.

The model and queryset refuse already; this catches raw SQL, other clients and
anything that bypasses the ORM. TRUNCATE (used only to empty a test database) does
not fire row triggers. SQLite has no such trigger here: the ORM guards stand alone.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION fund_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'fund_fundentry is append-only: % refused (基金台账只能追加，更正请做冲正)', TG_OP
        USING ERRCODE = 'raise_exception';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS fund_entry_append_only ON fund_fundentry;
CREATE TRIGGER fund_entry_append_only
    BEFORE UPDATE OR DELETE ON fund_fundentry
    FOR EACH ROW EXECUTE FUNCTION fund_entry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS fund_entry_append_only ON fund_fundentry;
DROP FUNCTION IF EXISTS fund_entry_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # the SQL holds a literal %


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("fund", "0001_ledger_applications_guarantees")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
