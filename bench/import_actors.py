"""Actor import speed against a raw PostGIS load of the same rows.

    .venv/bin/python bench/import_actors.py [--repeat 5]

On a separate ``<db>_bench_actors`` database (created and dropped here) holding La Réunion's 24
communes, ``import_actor_file`` reads ANCT's ``cnfs.json`` (1,450 structures: parse and clean,
geocode the rows without coordinates offline, stage, drop rows outside every commune, find likely
duplicates within 200 m, upsert), first into an empty table, then again (all unchanged). The
reference is the least a loader must do: ``COPY`` the same parsed rows (name, lon, lat) into a
bare table and find each point's commune with ``geocivic_commune_covering``. Medians of
``--repeat`` runs; the last line is ``ratio: X.XX`` (first import ÷ reference).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_civic.settings")
from bench.scratch_db import scratch_database  # noqa: E402

os.environ.setdefault("GEO_CIVIC_GEOCODERS", "offline")  # never the network

MIRROR = Path(os.environ.get("GEO_CIVIC_DATA_MIRROR", REPO.parent / "shared" / "data"))
CNFS = MIRROR / "actors" / "anct-conseillers-numeriques" / "cnfs.json"
REUNION = MIRROR / "communes" / "france-geojson" / "communes-974-la-reunion.geojson"
FIELDS = dict(
    id="id", name="raison_sociale", lat="latitude", lon="longitude", address="adresse",
    postcode="code_postal_bis", city="commune_insee", citycode="insee_com",
)  # fmt: skip


def time_reference() -> float:
    from django.db import connection, transaction

    from importers.actor_csv import read_json_records
    from importers.actor_mapping import FieldMapping

    started = time.perf_counter()
    rows, _ = read_json_records(CNFS, mapping=FieldMapping(FIELDS))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_raw (name text, lon float8, lat float8)")
        with cursor.copy("COPY bench_raw FROM STDIN") as copy:
            for r in rows:
                if r.lon is not None:
                    copy.write_row((r.name, r.lon, r.lat))
        cursor.execute(
            "SELECT count(*) FROM bench_raw WHERE geocivic_commune_covering("
            "ST_SetSRID(ST_MakePoint(lon, lat), 4326)) IS NOT NULL"
        )
        cursor.fetchone()
        cursor.execute("DROP TABLE bench_raw")
    return time.perf_counter() - started


def time_import() -> tuple[float, float, str]:
    from geo_civic.actors.models import Actor
    from geo_civic.geocoding.models import GeocodedAddress
    from importers.actor_formats import import_actor_file
    from importers.actor_mapping import FieldMapping

    Actor.objects.all().delete()
    GeocodedAddress.objects.all().delete()
    mapping = FieldMapping(FIELDS)
    started = time.perf_counter()
    first = import_actor_file(CNFS, "json", source_key="bench", mapping=mapping)
    middle = time.perf_counter()
    import_actor_file(CNFS, "json", source_key="bench", mapping=mapping)
    return middle - started, time.perf_counter() - middle, first.line()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with scratch_database("bench_actors"):
        from importers.communes import import_communes

        import_communes(REUNION, source="france-geojson/974")
        reference, first, again = [], [], []
        for _ in range(args.repeat):
            reference.append(time_reference())
            created, unchanged, line = time_import()
            first.append(created)
            again.append(unchanged)
        ref, ours, rerun = (statistics.median(x) for x in (reference, first, again))
        print(f"cnfs.json, 1,450 records: {line}")
        print(
            f"import_actor_file {ours:.3f} s, re-import {rerun:.3f} s, "
            f"raw COPY + ST_Covers {ref:.3f} s (median of {args.repeat})"
        )
        print(f"re-import ratio: {rerun / ref:.2f}")
        print(f"ratio: {ours / ref:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
