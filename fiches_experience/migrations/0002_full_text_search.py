"""French full-text search on PostgreSQL: `french_unaccent` configuration, a tsvector column and its GIN index.

Everything here runs on PostgreSQL only: on SQLite (`make run` without DATABASE_URL) the migration does nothing
and the catalogue searches `search_text` with icontains. The column is not mapped by the ORM on purpose.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION french_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$
    """,
    "ALTER TABLE fiches_experience_ficheexperience ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "CREATE INDEX IF NOT EXISTS fiche_search_vector_gin ON fiches_experience_ficheexperience USING GIN (search_vector)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS fiche_search_vector_gin",
    "ALTER TABLE fiches_experience_ficheexperience DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("fiches_experience", "0001_initial")]
    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
