"""GeoJSON (RFC 7946) built by PostGIS and streamed, so no layer ever sits whole in Python."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connections
from django.db.models import QuerySet

from layers.registry import Layer

FEATURE_SQL = """
SELECT json_build_object(
    'type', 'Feature',
    'id', q.id,
    'geometry', ST_AsGeoJSON(q._geom, %s)::json,
    'properties', to_jsonb(q) - 'id' - '_geom'
)::text
FROM ({inner}) AS q
"""
COORDINATE_DECIMALS = 6  # about 0.1 m
FETCH_SIZE = 500


def feature_collection(layer: Layer, queryset: QuerySet) -> Iterator[bytes]:
    """The bytes of a FeatureCollection of ``queryset``'s published rows, as an iterator.

    The SQL is compiled now, so a mistake shows before the response starts; rows are read
    from a server-side cursor while the response is sent.
    """
    inner, params = layer.published(queryset).query.sql_with_params()
    return _stream(queryset.db, FEATURE_SQL.format(inner=inner), [COORDINATE_DECIMALS, *params])


def _stream(alias: str, sql: str, params: list) -> Iterator[bytes]:
    yield b'{"type":"FeatureCollection","features":['
    separator = b""
    with connections[alias].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH_SIZE):
            for (feature,) in rows:
                yield separator + feature.encode()
                separator = b","
    yield b"]}"
