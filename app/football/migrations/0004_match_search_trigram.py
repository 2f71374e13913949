"""Trigram indexes for the admin's match search (PostgreSQL only; SQLite searches without them).

The admin's search box compares `UPPER(column) LIKE UPPER('%word%')` (Django's icontains); a
GIN trigram index on the same expression answers that without reading all 59,000+ matches.
pg_trgm is a trusted extension (PostgreSQL 13+), so the database's owner may create it; where it
cannot be created the search still works, only slower, and the migration says so.
"""

from django.db import DatabaseError, migrations, transaction

COLUMNS = ("tournament", "city", "external_id")


def create_indexes(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as exc:
            print(f"\n  pg_trgm is not available ({exc}); the admin's match search works without its indexes")
            return
        for column in COLUMNS:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS match_{column}_trgm ON football_match "
                f"USING gin (UPPER({column}::text) gin_trgm_ops)"
            )


def drop_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(f"DROP INDEX IF EXISTS match_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("football", "0003_competition_tie_break"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
