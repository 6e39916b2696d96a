"""A residence's commune is derived by PostGIS from its point, whoever writes the row; moving to
another commune clears the verification (eligibility ends where the resident left)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION participation_residence_set_commune() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.commune_id := geocivic_commune_covering(NEW.point);
    IF TG_OP = 'UPDATE' AND NEW.commune_id IS DISTINCT FROM OLD.commune_id THEN
        NEW.verified := false;
        NEW.verified_by_id := NULL;
        NEW.verified_at := NULL;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER residence_set_commune
BEFORE INSERT OR UPDATE ON participation_residence
FOR EACH ROW EXECUTE FUNCTION participation_residence_set_commune();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS residence_set_commune ON participation_residence;
DROP FUNCTION IF EXISTS participation_residence_set_commune();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0001_initial"),
        ("actors", "0002_commune_trigger"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
