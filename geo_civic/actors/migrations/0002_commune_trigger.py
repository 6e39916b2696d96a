"""The commune of an actor is derived by PostGIS from its point, whoever writes the row."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION geocivic_commune_covering(p geometry) RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT id FROM territories_commune
    WHERE valid_to IS NULL AND ST_Covers(boundary, p)
    ORDER BY code
    LIMIT 1
$$;

CREATE OR REPLACE FUNCTION actors_actor_set_commune() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.commune_id := geocivic_commune_covering(NEW.point);
    RETURN NEW;
END
$$;

CREATE TRIGGER actor_set_commune
BEFORE INSERT OR UPDATE ON actors_actor
FOR EACH ROW EXECUTE FUNCTION actors_actor_set_commune();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS actor_set_commune ON actors_actor;
DROP FUNCTION IF EXISTS actors_actor_set_commune();
DROP FUNCTION IF EXISTS geocivic_commune_covering(geometry);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0001_initial"),
        ("territories", "0001_initial"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
