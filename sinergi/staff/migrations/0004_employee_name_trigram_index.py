"""A trigram index on Employee.name, on PostgreSQL only, so the name search of the staff list stays
fast at the office's scale (and at ten times it).

Django spells `name__icontains` as `UPPER("name"::text) LIKE UPPER(%s)`, so the index is on that
expression (an index on plain `name` would not be used), as for Region and Client.

SQLite has no trigram indexes; there the migration does nothing. If the database user may not create
the pg_trgm extension, the index is skipped with a notice (searches still work, only slower).
"""

from django.db import DatabaseError, migrations, transaction

INDEX = "staff_employee_name_trgm_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:  # a missing privilege must not block the migration
        print(f"\n  pg_trgm is not available ({type(exc).__name__}); no employee name index.")
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON staff_employee "
        "USING gin ((UPPER(name::text)) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("staff", "0003_reference_data")]

    operations = [migrations.RunPython(create_index, drop_index)]
