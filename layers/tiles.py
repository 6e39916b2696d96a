"""Mapbox Vector Tiles of any layer, one SQL query per tile (``ST_AsMVT`` over ``ST_AsMVTGeom``).

The rows are the layer's filtered rows, so a tile shows what the API and the exports give; the
``&&`` test against the tile envelope uses the geometry's spatial index; each layer says how its
geometry is drawn at a zoom (``Layer.tile_geometry``); a tile keeps at most ``MAX_TILE_FEATURES``
features, the layer's most important first (largest communes).
"""

from __future__ import annotations

from django.db import connections

from geo_civic.web.params import ParameterError
from layers.filters import Selection
from layers.geojson import quoted
from layers.registry import column

EXTENT = 4096  # tile coordinate units
BUFFER = 64  # units drawn beyond the edge, so strokes and labels join across tiles
MAX_ZOOM = 22
MAX_TILE_FEATURES = 5_000


class TileNotFound(LookupError):
    """x or y outside the zoom's grid: there is no such tile."""


def check_tile(z: int, x: int, y: int) -> None:
    if not 0 <= z <= MAX_ZOOM:
        raise ParameterError(f"zoom must be between 0 and {MAX_ZOOM}")
    side = 2**z
    if not (0 <= x < side and 0 <= y < side):
        raise TileNotFound(f"no tile {z}/{x}/{y}: x and y go from 0 to {side - 1} at zoom {z}")


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
    """The published properties as tile attributes: lists (tags, categories) become
    comma-joined text and dates ISO 8601 text, as in the GeoJSON."""
    columns = []
    types = selection.layer.property_types()
    for name in selection.layer.properties:
        # Names come from the registry, never from users.
        value, alias = f"q.{quoted(column(name))}", quoted(name)
        if types[name] == "array":
            columns.append(f"array_to_string({value}, ',') AS {alias}")
        elif types[name] == "date-time":
            columns.append(f"to_json({value}) #>> '{{}}' AS {alias}")
        else:
            columns.append(f"{value} AS {alias}")
    return ", ".join(columns)


def tile(selection: Selection, z: int, x: int, y: int) -> bytes:
    """The MVT bytes of tile ``z/x/y`` of the selection; empty when no feature is in it."""
    check_tile(z, x, y)
    layer = selection.layer
    rows = selection.queryset.order_by(*layer.tile_order)
    inner, inner_params = layer.published(rows).query.sql_with_params()
    geometry, geometry_params = layer.tile_geometry(z)
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
