"""Speed at 200k clients (issue 3, budget P5): an index for the client list filtered by PPKS
category in its keyset order (category, name, id), so a category page reads 25 index entries
instead of every client of the category sorted by name.

Created with SQL (not `Meta.indexes`, whose models belong to the other increments); the same
statement works on PostgreSQL and SQLite."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS rehab_client_category_name_idx "
    "ON rehabilitation_client (ppks_category_id, name, id)"
)
DROP = "DROP INDEX IF EXISTS rehab_client_category_name_idx"


class Migration(migrations.Migration):
    dependencies = [("rehabilitation", "0008_finish")]

    operations = [migrations.RunSQL(CREATE, DROP)]
