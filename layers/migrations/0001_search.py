"""French full-text search that ignores accents: ``ecole`` finds « École », ``fete`` « fêtes »."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

FORWARD = """
CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
ALTER TEXT SEARCH CONFIGURATION french_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
"""
BACKWARD = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []

    operations = [UnaccentExtension(), migrations.RunSQL(FORWARD, BACKWARD)]
