"""Mapbox Vector Tiles of any layer, one SQL query per tile (``ST_AsMVT`` over ``ST_AsMVTGeom``).

The rows are the layer's filtered rows, so a tile shows what the API and the exports give; the
``&&`` test against the tile envelope uses the geometry's spatial index; polygons are simplified
for the zoom; a tile keeps at most ``MAX_TILE_FEATURES`` features, the layer's most important
first (largest communes).
"""

from __future__ import annotations

import math

from django.db import connections

from layers.filters import FilterError, Selection

EXTENT = 4096  # tile coordinate units
BUFFER = 64  # units drawn beyond the edge, so strokes and labels join across tiles
MAX_ZOOM = 22
MAX_TILE_FEATURES = 5_000
WEB_MERCATOR_WIDTH_M = 2 * math.pi * 6378137


class TileNotFound(LookupError):
    """x or y outside the zoom's grid: there is no such tile."""


def check_tile(z: int, x: int, y: int) -> None:
    if not 0 <= z <= MAX_ZOOM:
        raise FilterError(f"zoom must be between 0 and {MAX_ZOOM}")
    side = 2**z
    if not (0 <= x < side and 0 <= y < side):
        raise TileNotFound(f"no tile {z}/{x}/{y}: x and y go from 0 to {side - 1} at zoom {z}")


def simplified_geometry_sql(is_point: bool, z: int) -> tuple[str, list]:
    """The Web-Mercator geometry drawn at zoom ``z``: SQL over ``q._geom``, and its parameters.

    INTEGRATION POINT: polygons are simplified on the fly here. Once the importer keeps
    ``territories_communeshape(commune_id, band, geom)`` (MultiPolygon 3857), read the band of
    ``geo_civic.territories.shapes.band_for_zoom(z)`` from that table instead (a join on
    ``commune_id = q.id``), so that no tile simplifies at request time.
    """
    if is_point:
        return "ST_Transform(q._geom, 3857)", []
    # One pixel of a 512-pixel tile: finer detail cannot be seen at this zoom.
    tolerance = WEB_MERCATOR_WIDTH_M / (2**z * 512)
    return "ST_Simplify(ST_Transform(q._geom, 3857), %s, true)", [tolerance]


TILE_SQL = """
SELECT ST_AsMVT(tile, %s, {extent}, 'geom', 'id')
FROM (
    SELECT q.id,
           ST_AsMVTGeom({geometry}, ST_TileEnvelope(%s, %s, %s), {extent}, {buffer}, true) AS geom,
           {properties}
    FROM ({inner}) AS q
    WHERE q._geom && ST_Transform(ST_TileEnvelope(%s, %s, %s, margin => %s), 4326)
    LIMIT %s
) AS tile
WHERE tile.geom IS NOT NULL
"""


def _property_columns(selection: Selection) -> str:
    """The published properties as tile attributes; lists (tags) become comma-joined text."""
    columns = []
    for name in selection.layer.properties:
        quoted = '"' + name.replace('"', '""') + '"'  # names come from the registry, not users
        if name == "tags":
            columns.append(f"array_to_string(q.{quoted}, ',') AS {quoted}")
        else:
            columns.append(f"q.{quoted}")
    return ", ".join(columns)


def tile(selection: Selection, z: int, x: int, y: int) -> bytes:
    """The MVT bytes of tile ``z/x/y`` of the selection; empty when no feature is in it."""
    check_tile(z, x, y)
    layer = selection.layer
    rows = selection.queryset.order_by(*layer.tile_order)
    inner, inner_params = layer.published(rows).query.sql_with_params()
    geometry, geometry_params = simplified_geometry_sql(layer.is_point, z)
    sql = TILE_SQL.format(
        extent=EXTENT,
        buffer=BUFFER,
        geometry=geometry,
        properties=_property_columns(selection),
        inner=inner,
    )
    params = [
        layer.name,
        *geometry_params,
        z,
        x,
        y,
        *inner_params,
        z,
        x,
        y,
        BUFFER / EXTENT,
        MAX_TILE_FEATURES,
    ]
    with connections[selection.queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        (data,) = cursor.fetchone()
    return bytes(data or b"")
