"""A GIN index on the actors' French search vector, so ``q=`` reads the index, not every row.

An index expression must be IMMUTABLE; casting the tags array to text is only STABLE, so the
searched text is made by a function declared IMMUTABLE (joining text is, whatever the session
settings). ``layers.filters.ActorSearchVector`` writes the very same expression, which is what
lets PostgreSQL use the index; a test checks the planner picks it.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION geocivic_actor_search_text(name text, summary text, tags text[])
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(name, '') || ' ' || coalesce(summary, '') || ' '
       || coalesce(array_to_string(tags, ' '), '');

CREATE INDEX actor_search_french_unaccent ON actors_actor USING gin (
    to_tsvector('french_unaccent'::regconfig, geocivic_actor_search_text(name, summary, tags))
);
"""
BACKWARD = """
DROP INDEX IF EXISTS actor_search_french_unaccent;
DROP FUNCTION IF EXISTS geocivic_actor_search_text(text, text, text[]);
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0001_search"), ("actors", "0005_public_point_index")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
