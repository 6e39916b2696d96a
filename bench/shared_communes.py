"""The benchmarks' data: the 1,233 communes of the five shared départements, loaded once."""

from __future__ import annotations

import sys

from django.core.management import call_command

from geo_civic.sources import catalogue
from geo_civic.territories.models import Commune
from importers import datasets
from importers.communes import import_communes

DEPARTEMENTS = ("974", "92", "48", "62", "2A")
EXPECTED = 1233


def ensure_loaded() -> int:
    """Migrate, load the shared départements when fewer communes are present; the count."""
    call_command("migrate", interactive=False, verbosity=0)
    if Commune.objects.filter(valid_to__isnull=True).count() < EXPECTED:
        source = catalogue.load_source("communes", "france-geojson")
        for code in DEPARTEMENTS:
            import_communes(datasets.fetch(source.dataset(code)), source=f"france-geojson/{code}")
            print(f"loaded département {code}", file=sys.stderr)
    return Commune.objects.filter(valid_to__isnull=True).count()


def libpq_dsn(settings: dict) -> str:
    """``DATABASES['default']`` as a libpq string, for ogr2ogr's ``PG:`` and psycopg."""
    parts = {
        "host": settings.get("HOST"),
        "port": settings.get("PORT"),
        "dbname": settings.get("NAME"),
        "user": settings.get("USER"),
        "password": settings.get("PASSWORD"),
        "passfile": settings.get("OPTIONS", {}).get("passfile"),
    }
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)
