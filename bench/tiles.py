"""Tile latency and size: our tiles against the naive Martin-style query, in the same run.

    .venv/bin/python bench/tiles.py [--repeat 7]

Uses ``DATABASE_URL`` (default: the embedded PostGIS under ``.data/``), migrates it, and loads
the 1,233 communes of the five shared départements from ``GEO_CIVIC_DATA_MIRROR`` when fewer are
present. For each zoom it times the same tile over Boulogne-Billancourt (next to Paris) both
ways, warm, taking turns, and prints the median of ``--repeat`` runs. The naive query is what a
generic tile server does with the table: the indexed ``&&`` test, but no simplification and no
feature cap.
The last line is the headline: ``ratio: X.XX`` (our z5 time ÷ the naive z5 time).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_civic.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from bench.scratch_db import running_database  # noqa: E402
from bench.shared_communes import ensure_loaded  # noqa: E402
from layers import tiles  # noqa: E402
from layers.filters import select  # noqa: E402
from layers.registry import LAYERS  # noqa: E402

PLACE = (2.2399, 48.8397)  # Boulogne-Billancourt, Hauts-de-Seine
ZOOMS = (5, 8, 12, 15)

NAIVE_SQL = """
SELECT ST_AsMVT(t, 'communes', 4096, 'geom', 'id') FROM (
    SELECT id, code, name, departement_code AS departement, region_code AS region,
           population, area_km2,
           ST_AsMVTGeom(ST_Transform(boundary, 3857), ST_TileEnvelope(%s, %s, %s),
                        4096, 64, true) AS geom
    FROM territories_commune
    WHERE valid_to IS NULL AND boundary && ST_Transform(ST_TileEnvelope(%s, %s, %s), 4326)
) AS t
"""


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def interleaved(ways: list, repeat: int) -> list[tuple[float, bytes]]:
    """Median time and result of each way, taking turns so that they share the machine's load."""
    results = [way() for way in ways]  # warm-up
    times: list[list[float]] = [[] for _ in ways]
    for _ in range(repeat):
        for index, way in enumerate(ways):
            start = time.perf_counter()
            results[index] = way()
            times[index].append(time.perf_counter() - start)
    return [(statistics.median(t), r) for t, r in zip(times, results, strict=True)]


def naive(z: int, x: int, y: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(NAIVE_SQL, [z, x, y, z, x, y])
        return bytes(cursor.fetchone()[0] or b"")


def ours(z: int, x: int, y: int) -> bytes:
    return tiles.tile(select(LAYERS["communes"], {}), z, x, y)


def tile_table(repeat: int) -> float:
    """Print the table of tiles at each zoom, ours against naive; the z5 time ratio."""
    print("| zoom | tile | naive ms | naive KB | ours ms | ours KB | time ratio | size ratio |")
    print("|---|---|---|---|---|---|---|---|")
    headline = None
    for z in ZOOMS:
        tile = tile_of(*PLACE, z)
        (naive_s, naive_data), (ours_s, ours_data) = interleaved(
            [lambda t=tile: naive(*t), lambda t=tile: ours(*t)], repeat
        )
        ratio = ours_s / naive_s
        headline = headline or ratio
        print(
            f"| {z} | {'/'.join(map(str, tile))} | {naive_s * 1000:.1f} | "
            f"{len(naive_data) / 1024:.0f} | {ours_s * 1000:.1f} | {len(ours_data) / 1024:.0f} "
            f"| {ratio:.2f} | {len(ours_data) / max(len(naive_data), 1):.2f} |"
        )
    return headline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with running_database():
        count = ensure_loaded()
        print(f"{count} communes; tile over Boulogne-Billancourt; {args.repeat} runs")
        print(f"ratio: {tile_table(args.repeat):.2f}")


if __name__ == "__main__":
    main()
