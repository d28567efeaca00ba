"""A small vector to rank the catalogue's results by, beside the full one that finds them (PostgreSQL only).

Ranking with `ts_rank(search_vector, …)` read every matching fiche's whole vector (about 16 kB, stored out of
line): 10–15 ms for the 500 fiches a one-word query matches among 5,000. `search_rank_vector` holds the title (A),
the metadata (B) and the opening of the sections (C, RANK_OPENING characters): small enough to stay in the row.
The full `search_vector` still decides what matches (GIN index).
"""

from django.db import migrations

RANK_OPENING = 300  # fiches_experience.services.RANK_OPENING, at the time of this migration

FORWARD = [
    "ALTER TABLE fiches_experience_ficheexperience ADD COLUMN IF NOT EXISTS search_rank_vector tsvector",
    # search_text is « title \n metadata \n sections » (services._write_index)
    f"""
    UPDATE fiches_experience_ficheexperience SET search_rank_vector =
        setweight(to_tsvector('french_unaccent', split_part(search_text, E'\\n', 1)), 'A')
        || setweight(to_tsvector('french_unaccent', split_part(search_text, E'\\n', 2)), 'B')
        || setweight(to_tsvector('french_unaccent', left(substr(search_text,
            length(split_part(search_text, E'\\n', 1)) + length(split_part(search_text, E'\\n', 2)) + 3),
            {RANK_OPENING})), 'C')
    """,
]
BACKWARD = ["ALTER TABLE fiches_experience_ficheexperience DROP COLUMN IF EXISTS search_rank_vector"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("fiches_experience", "0004_fiche_source_restitution_cycle")]
    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
