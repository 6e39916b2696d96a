"""GeoJSON (RFC 7946) built by PostGIS and streamed, so no layer ever sits whole in Python."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db import connections

from layers.filters import Selection

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


def compile_features(selection: Selection, extra: int = 0) -> tuple[str, list]:
    """SQL giving one GeoJSON Feature text per row of the selected page."""
    page = selection.layer.published(selection.page(extra))
    inner, params = page.query.sql_with_params()
    return FEATURE_SQL.format(inner=inner), [COORDINATE_DECIMALS, *params]


def feature_collection(
    selection: Selection,
    *,
    members: dict | None = None,
    links: list[dict] | None = None,
    next_link: dict | None = None,
) -> Iterator[bytes]:
    """The bytes of a FeatureCollection of the selected page, as an iterator.

    ``members`` are written before the features (``metadata``); ``links`` after them, with
    ``next_link`` added when a row exists beyond the page. The SQL is compiled now, so a mistake
    shows before the response starts; rows are read from a server-side cursor while it is sent.
    """
    paged = selection.limit is not None
    sql, params = compile_features(selection, extra=1 if paged else 0)
    head = json.dumps({"type": "FeatureCollection", **(members or {})}, ensure_ascii=False)
    return _stream(selection.queryset.db, sql, params, head[:-1], selection.limit, links, next_link)


def _stream(
    alias: str,
    sql: str,
    params: list,
    head: str,
    limit: int | None,
    links: list[dict] | None,
    next_link: dict | None,
) -> Iterator[bytes]:
    yield head.encode() + b',"features":['
    separator = b""
    returned = 0
    more = False
    with connections[alias].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH_SIZE):
            for (feature,) in rows:
                if limit is not None and returned == limit:
                    more = True
                    break
                yield separator + feature.encode()
                separator = b","
                returned += 1
    tail: dict = {"numberReturned": returned}
    all_links = list(links or [])
    if more and next_link:
        all_links.append(next_link)
    if all_links:
        tail["links"] = all_links
    yield b"]," + json.dumps(tail, ensure_ascii=False)[1:].encode()
