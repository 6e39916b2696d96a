"""Commune import speed against ogr2ogr loading the same files into a bare PostGIS table.

    .venv/bin/python bench/import_communes.py [FILES...] [--repeat 3]

Without FILES: Pas-de-Calais alone (891 communes), the five shared départements merged into
one file (1,233 communes, the shape of a national file), then the five files one by one. Both
loaders run in the same run, on the same database (a separate ``<db>_bench_import`` database,
created and dropped here), file by file as a data steward would: ``import_communes`` (read,
reproject, validate and repair, diff, upsert, retire, re-attach actors, simplified shapes per
zoom band, all in one transaction per file) against ``ogr2ogr -f PostgreSQL`` (COPY into a new
table with its spatial index). Each is timed ``--repeat`` times from an empty table; the median
counts. The last line is ``ratio: X.XX`` (ours ÷ ogr2ogr) for the last scenario.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_civic.settings")
from bench.scratch_db import scratch_database  # noqa: E402

MIRROR = Path(os.environ.get("GEO_CIVIC_DATA_MIRROR", REPO.parent / "shared" / "data"))
FRANCE_GEOJSON = MIRROR / "communes" / "france-geojson"
OGR_TABLE = "bench_ogr2ogr_communes"


def ogr2ogr_env(db: dict) -> dict:
    env = dict(os.environ)
    env.update(
        PGHOST=db["HOST"] or "",
        PGPORT=str(db["PORT"] or "5432"),
        PGUSER=db["USER"] or "",
        PGPASSWORD=db.get("PASSWORD") or "",
        PGDATABASE=db["NAME"],
    )
    if db.get("OPTIONS", {}).get("passfile"):
        env["PGPASSFILE"] = db["OPTIONS"]["passfile"]
    return env


def one_file(files: list[Path], folder: Path) -> Path:
    """The files' features in one GeoJSON, like a national file (ADMIN EXPRESS is one)."""
    features = [f for path in files for f in json.loads(path.read_text())["features"]]
    target = folder / "communes-several.geojson"
    target.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return target


def time_ogr2ogr(files: list[Path], env: dict) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {OGR_TABLE}")
    started = time.perf_counter()
    for index, path in enumerate(files):
        subprocess.run(
            ["ogr2ogr", "-f", "PostgreSQL", "PG:", str(path), "-nln", OGR_TABLE,
             "-nlt", "PROMOTE_TO_MULTI", "-t_srs", "EPSG:4326", "-lco", "GEOMETRY_NAME=geom",
             *(["-append"] if index else [])],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
    return time.perf_counter() - started


def time_import(files: list[Path]) -> float:
    from django.db import connection

    from importers.communes import import_communes

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE territories_commune CASCADE")
    started = time.perf_counter()
    for path in files:
        import_communes(path)
    return time.perf_counter() - started


def scenario(name: str, files: list[Path], repeat: int, env: dict) -> float:
    from geo_civic.territories.models import Commune

    ours, reference = [], []
    for _ in range(repeat):
        reference.append(time_ogr2ogr(files, env))
        ours.append(time_import(files))
    print(
        f"  {name}: ours {[round(t, 2) for t in ours]}, ogr2ogr {[round(t, 2) for t in reference]}"
    )
    communes = Commune.objects.count()
    ratio = statistics.median(ours) / statistics.median(reference)
    print(
        f"{name}: {len(files)} files, {communes} communes; import_communes "
        f"{statistics.median(ours):.2f} s, ogr2ogr {statistics.median(reference):.2f} s "
        f"(median of {repeat}); ratio {ratio:.2f}"
    )
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with scratch_database("bench_import"):
        from django.conf import settings

        scratch = tempfile.mkdtemp(prefix="bench-import-communes-")
        try:
            env = ogr2ogr_env(settings.DATABASES["default"])
            if args.files:
                scenarios = [("given files", args.files)]
            else:
                five = sorted(FRANCE_GEOJSON.glob("communes-*.geojson"))
                scenarios = [
                    ("Pas-de-Calais", sorted(FRANCE_GEOJSON.glob("communes-62-*.geojson"))),
                    ("five départements in one file", [one_file(five, Path(scratch))]),
                    ("five départements", five),
                ]
            ratio = 0.0
            for name, files in scenarios:
                ratio = scenario(name, files, args.repeat, env)
            print(f"ratio: {ratio:.2f}")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
