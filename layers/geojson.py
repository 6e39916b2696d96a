"""GeoJSON (RFC 7946) built by PostGIS and streamed, so no layer ever sits whole in Python."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db import connections, transaction
from django.db.models import QuerySet
from psycopg.adapt import Loader

from layers.filters import Selection
from layers.registry import Layer, column

FEATURE_SQL = """
SELECT json_build_object(
    'type', 'Feature',
    'id', q.id,
    'geometry', ST_AsGeoJSON(q._geom, %s)::json,
    'properties', {properties}
)::text
FROM ({inner}) AS q
"""


class TextAsBytes(Loader):
    """Text columns as the bytes PostgreSQL sent (UTF-8, the connection's encoding)."""

    def load(self, data) -> bytes:
        return bytes(data)


COORDINATE_DECIMALS = 6  # about 0.1 m
FETCH_SIZE = 1000


def quoted(name: str) -> str:
    """A column name of the registry as an SQL identifier (never user input)."""
    return '"' + name.replace('"', '""') + '"'


def properties_sql(layer: Layer) -> tuple[str, list]:
    """``json_build_object`` of the published columns of ``q``, in the layer's order.

    Naming the columns costs a fraction of ``to_jsonb(q) - '_geom'``, which would serialise
    every geometry a second time only to drop it.
    """
    pairs = ", ".join(f"%s::text, q.{quoted(column(name))}" for name in layer.properties)
    return f"json_build_object({pairs})", list(layer.properties)


# A text cell a spreadsheet would run as a formula (OWASP, CSV injection): = + - @, tab, CR. With
# a quote before it, it shows as the text it is. Numbers are JSON numbers there: left as they are.
FORMULA_START = "^[-=+@\t\r]"
FORMULA_GUARD = "'"
# The row's source and its licence (looked up in a JSON object passed as a parameter).
PROVENANCE_SQL = "jsonb_build_object('source', q._source, 'licence', %s::jsonb ->> q._source)"
# A point of the geometry (the point itself, or one inside the polygon) as lon/lat columns.
LON_LAT_SQL = (
    "jsonb_build_object('lon', round(ST_X(ST_PointOnSurface(q._geom))::numeric, 6), "
    "'lat', round(ST_Y(ST_PointOnSurface(q._geom))::numeric, 6))"
)
SPREADSHEET_SQL = """(
    SELECT jsonb_object_agg(p.key, CASE
        WHEN jsonb_typeof(p.value) = 'string' AND p.value #>> '{{}}' ~ %s
        THEN to_jsonb(%s || (p.value #>> '{{}}'))
        ELSE p.value END)
    FROM jsonb_each({properties}) AS p
)"""


def feature_sql(
    layer: Layer,
    rows: QuerySet,
    *,
    licences: dict[str, str] | None = None,
    lon_lat: bool = False,
    spreadsheet: bool = False,
) -> tuple[str, list]:
    """The one builder of feature SQL: one GeoJSON Feature text per row of ``rows`` (published
    columns in the layer's order). Exports ask for more: each row's source and its licence
    (``licences``: by source; ``rows`` annotated with ``_source``), a ``lon``/``lat`` pair, and
    text that a spreadsheet would run as a formula guarded (these make the properties ``jsonb``,
    whose keys are sorted: the exports choose their column order themselves)."""
    properties, params = properties_sql(layer)
    if licences is not None or lon_lat or spreadsheet:
        properties = f"{properties}::jsonb"
        if licences is not None:
            properties += f" || {PROVENANCE_SQL}"
            params.append(json.dumps(licences))
        if lon_lat:
            properties += f" || {LON_LAT_SQL}"
        if spreadsheet:
            properties = SPREADSHEET_SQL.format(properties=properties)
            params = [FORMULA_START, FORMULA_GUARD, *params]
    inner, inner_params = rows.query.sql_with_params()
    sql = FEATURE_SQL.format(properties=properties, inner=inner)
    return sql, [COORDINATE_DECIMALS, *params, *inner_params]


def compile_features(selection: Selection, extra: int = 0) -> tuple[str, list]:
    """SQL giving one GeoJSON Feature text per row of the selected page."""
    layer = selection.layer
    return feature_sql(layer, layer.published(selection.page(extra)))


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
    # Inside a transaction the server-side cursor needs no WITH HOLD, so PostgreSQL sends rows
    # as it makes them instead of first materialising the whole result at commit.
    with transaction.atomic(using=alias), connections[alias].chunked_cursor() as cursor:
        # Each feature arrives as UTF-8 bytes and leaves as is: no decoding to str and back.
        cursor.cursor.adapters.register_loader("text", TextAsBytes)
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH_SIZE):
            if limit is not None and returned + len(rows) > limit:
                rows = rows[: limit - returned]
                more = True
            if rows:
                # One write per batch of rows: a write per feature costs more than the JSON.
                yield separator + b",".join(feature for (feature,) in rows)
                separator = b","
                returned += len(rows)
            if more:
                break
    tail: dict = {"numberReturned": returned}
    all_links = list(links or [])
    if more and next_link:
        all_links.append(next_link)
    if all_links:
        tail["links"] = all_links
    yield b"]," + json.dumps(tail, ensure_ascii=False)[1:].encode()
