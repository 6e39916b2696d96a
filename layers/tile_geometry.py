"""How a layer's geometry is drawn in a vector tile at a zoom: SQL over ``q._geom``.

Each layer of the registry names its own (``Layer.tile_geometry``), so tiles know no layer: points
are only transformed; commune boundaries come from the importer's shapes simplified per zoom band
(``territories_communeshape``), so no tile simplifies at request time.
"""

from __future__ import annotations

from geo_civic.territories.shapes import band_for_zoom
from layers.models import ID_FACTOR


def transformed(z: int) -> tuple[str, list]:
    """The geometry as stored, in Web Mercator: points, and any layer without derived shapes."""
    return "ST_Transform(q._geom, 3857)", []


# The commune's boundary simplified for the zoom's band by the importer (Web Mercator already);
# the full boundary, transformed, for a commune whose shapes were never derived.
COMMUNE_SHAPE_SQL = """COALESCE(
    (SELECT shape.geom FROM territories_communeshape shape
     WHERE shape.commune_id = q.id AND shape.band = %s),
    ST_Transform(q._geom, 3857))"""


def commune_shape(z: int) -> tuple[str, list]:
    """A commune layer's boundary in the band of ``band_for_zoom(z)``; only the ``&&`` test of
    the tile reads ``q._geom`` (the boundary's spatial index)."""
    return COMMUNE_SHAPE_SQL, [band_for_zoom(z)]


def result_commune_shape(z: int) -> tuple[str, list]:
    """The commune of a per-commune result row (``layers.models.CommuneResult``, whose id holds
    the commune's) drawn as :func:`commune_shape` draws it."""
    sql = COMMUNE_SHAPE_SQL.replace("shape.commune_id = q.id", "shape.commune_id = q.id %% %s")
    return sql, [ID_FACTOR, band_for_zoom(z)]
