"""Simplified Web-Mercator copies of commune boundaries, one per zoom band, for vector tiles.

A tile at zoom z needs no more detail than its pixels show: each band simplifies at a quarter
of a 256-px pixel at the band's highest zoom (in Web-Mercator metres, the tile's own unit), so
low zooms ship a few hundred bytes per commune instead of the full boundary. The last band
keeps every vertex. Tiles choose the band with ``band_for_zoom`` and read
``territories_communeshape (commune_id, band, geom)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

# Size of a 256-px pixel at zoom 0 in Web-Mercator metres (2π × 6378137 / 256).
PIXEL_AT_Z0_M = 156_543.033928


@dataclass(frozen=True)
class Band:
    band: int
    max_zoom: int | None  # None: every zoom above the previous band

    @property
    def tolerance_m(self) -> float:
        if self.max_zoom is None:
            return 0.0
        return PIXEL_AT_Z0_M / 2**self.max_zoom / 4


BANDS = (Band(0, 5), Band(1, 8), Band(2, 11), Band(3, None))


def band_for_zoom(z: int) -> int:
    """The band a tile of zoom ``z`` reads: 0–5 → 0, 6–8 → 1, 9–11 → 2, 12+ → 3."""
    if z < 0:
        raise ValueError(f"zoom {z} is negative")
    for band in BANDS:
        if band.max_zoom is None or z <= band.max_zoom:
            return band.band
    raise AssertionError("the last band covers every zoom")


DELETE_SQL = """
DELETE FROM territories_communeshape WHERE %(every)s OR commune_id = ANY(%(ids)s)
"""

# Douglas-Peucker keeping collapsed rings (ST_Simplify, 2.5× faster than PreserveTopology here);
# what comes out invalid is repaired (the full band is the stored boundary, valid already), and a
# shape left empty falls back to the full one.
INSERT_SQL = """
WITH merc AS MATERIALIZED (
    SELECT id, ST_Transform(boundary, 3857) AS geom FROM territories_commune
    WHERE valid_to IS NULL AND (%(every)s OR id = ANY(%(ids)s))
), simplified AS MATERIALIZED (
    SELECT m.id, b.band, b.tolerance, m.geom AS full_geom,
           CASE WHEN b.tolerance = 0 THEN m.geom
                ELSE ST_Multi(ST_Simplify(m.geom, b.tolerance, true))
           END AS geom
    FROM merc m CROSS JOIN unnest(%(bands)s::smallint[], %(tolerances)s::float8[])
        AS b(band, tolerance)
), repaired AS MATERIALIZED (
    SELECT id, band, full_geom,
           CASE WHEN tolerance = 0 OR ST_IsValid(geom) THEN geom
                ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) END AS geom
    FROM simplified
)
INSERT INTO territories_communeshape (commune_id, band, geom)
SELECT id, band, CASE WHEN ST_IsEmpty(geom) THEN full_geom ELSE geom END FROM repaired
"""


def refresh_commune_shapes(commune_ids: Iterable[int] | None = None) -> int:
    """Rebuild the shapes of these communes (all when None); returns how many were written."""
    ids = None if commune_ids is None else list(commune_ids)
    if ids == []:
        return 0
    params = {
        "every": ids is None,
        "ids": ids or [],
        "bands": [b.band for b in BANDS],
        "tolerances": [b.tolerance_m for b in BANDS],
    }
    with connection.cursor() as cursor:
        cursor.execute(DELETE_SQL, params)
        cursor.execute(INSERT_SQL, params)
        return cursor.rowcount
