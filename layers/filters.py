"""The one filter set shared by the map, the API, the tiles and every export.

Parsing is strict: an unknown parameter or a malformed value is an error with a reason, so a
typo never silently returns the whole layer. Each layer declares what its rows can be filtered
on (see ``layers.registry.Layer``); a filter a layer does not support is an error too.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.gis.geos import Polygon
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import get_current_timezone, is_naive, make_aware

from geo_civic.actors.models import Actor
from layers.registry import Layer

# Created by layers/migrations/0001_search.py: French stemming on unaccented words.
SEARCH_CONFIG = "french_unaccent"
MAX_LIMIT = 10_000
MAX_LIST = 200  # values in one comma-separated list
MAX_TEXT = 200  # characters of a q search

FILTERS = (
    "bbox",
    "commune",
    "departement",
    "region",
    "kind",
    "tags",
    "q",
    "start",
    "end",
    "updated_since",
    "limit",
    "offset",
)


class FilterError(ValueError):
    """A request parameter that cannot be understood; the message says why."""


@dataclass(frozen=True)
class Selection:
    """The filtered rows of a layer, in a stable order, and the page asked for."""

    layer: Layer
    queryset: QuerySet  # filtered and ordered, not sliced
    limit: int | None
    offset: int
    params: dict[str, str]

    def page(self, extra: int = 0) -> QuerySet:
        """The asked page, with ``extra`` more rows to tell whether a next page exists."""
        if self.limit is None:
            return self.queryset[self.offset :] if self.offset else self.queryset
        return self.queryset[self.offset : self.offset + self.limit + extra]

    def page_rows(self) -> QuerySet:
        """The asked page as an unsliced queryset, for aggregates (sources, counts)."""
        if self.limit is None and not self.offset:
            return self.queryset
        return self.queryset.filter(pk__in=self.page().values("pk"))

    def next_params(self) -> dict[str, str]:
        return {**self.params, "offset": str(self.offset + (self.limit or 0))}


def single_values(query: QueryDict) -> dict[str, str]:
    """The request's parameters, each given once: ``kind=a&kind=b`` is ambiguous, say so."""
    repeated = sorted(name for name, values in query.lists() if len(values) > 1)
    if repeated:
        raise FilterError(
            f"parameter {', '.join(repeated)} given more than once: use one comma-separated list"
        )
    return query.dict()


def parse_bbox(value: str) -> Polygon:
    """``minLon,minLat,maxLon,maxLat`` in WGS 84 → a polygon."""
    parts = value.split(",")
    if len(parts) != 4:
        raise FilterError("bbox needs 4 numbers: minLon,minLat,maxLon,maxLat")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise FilterError("bbox values must be numbers") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise FilterError("bbox values must be finite numbers")
    if not (
        -180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90
    ):
        raise FilterError("bbox is outside -180..180 longitude, -90..90 latitude")
    if west > east or south > north:
        raise FilterError("bbox minimum is greater than its maximum")
    polygon = Polygon.from_bbox((west, south, east, north))
    polygon.srid = 4326
    return polygon


def parse_list(name: str, value: str) -> list[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    if not items:
        raise FilterError(f"{name} needs at least one value")
    if len(items) > MAX_LIST:
        raise FilterError(f"{name} takes at most {MAX_LIST} values")
    if any("\x00" in item or len(item) > 100 for item in items):
        raise FilterError(f"{name} values must be short text")
    return items


def parse_instant(name: str, value: str) -> dt.datetime:
    """An ISO 8601 date or date-time; a date means its first instant, local time."""
    try:
        instant = parse_datetime(value)
        if instant is None and (day := parse_date(value)) is not None:
            instant = dt.datetime.combine(day, dt.time.min)
    except ValueError:
        instant = None
    if instant is None:
        raise FilterError(f"{name} must be an ISO 8601 date or date-time, like 2024-05-31")
    return make_aware(instant, get_current_timezone()) if is_naive(instant) else instant


def parse_count(name: str, value: str, *, minimum: int, maximum: int) -> int:
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        raise FilterError(f"{name} must be a whole number")
    number = int(value)
    if not minimum <= number <= maximum:
        raise FilterError(f"{name} must be between {minimum} and {maximum}")
    return number


def _kind(value: str) -> Q:
    kinds = parse_list("kind", value)
    allowed = set(Actor.Kind.values)
    unknown = sorted(set(kinds) - allowed)
    if unknown:
        raise FilterError(
            f"unknown kind {', '.join(unknown)} (known: {', '.join(sorted(allowed))})"
        )
    return Q(kind__in=kinds)


def _search(layer: Layer, value: str) -> Q:
    """French full-text search, accents and case ignored (``ecole`` finds « École »)."""
    text = value.strip()
    if not text:
        raise FilterError("q needs some text")
    if len(text) > MAX_TEXT or "\x00" in text:
        raise FilterError(f"q takes at most {MAX_TEXT} characters of text")
    vector = SearchVector(*layer.search_fields, config=SEARCH_CONFIG)
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    # A prefix match on the name too, so "saint-d" or a name's first letters find it.
    name = layer.search_fields[0]
    prefix = Q(**{f"{name}__unaccent__istartswith": text})
    return Q(_search=query) | prefix, vector


def _unsupported(layer: Layer, name: str) -> FilterError:
    return FilterError(f"parameter {name!r} does not apply to layer {layer.name!r}")


def select(layer: Layer, params: Mapping[str, str], *, ignore: Iterable[str] = ()) -> Selection:
    """The layer's rows narrowed by the request parameters (``ignore``: handled by the caller)."""
    params = {k: v for k, v in params.items() if k not in set(ignore)}
    actors = Q()
    rows: list[Q] = []
    search = None
    limit, offset = None, 0
    for name, value in params.items():
        if name == "bbox":
            rows.append(Q(**{f"{layer.geometry}__intersects": parse_bbox(value)}))
        elif name in ("commune", "departement", "region"):
            path = layer.territory_paths[name]
            rows.append(Q(**{f"{path}__in": parse_list(name, value)}))
        elif name in ("kind", "tags"):
            if not layer.actor_filters:
                raise _unsupported(layer, name)
            actors &= _kind(value) if name == "kind" else Q(tags__overlap=parse_list(name, value))
        elif name == "q":
            search = _search(layer, value)
        elif name == "updated_since":
            if layer.updated_field is None:
                raise _unsupported(layer, name)
            rows.append(Q(**{f"{layer.updated_field}__gte": parse_instant(name, value)}))
        elif name in ("start", "end"):
            rows.append(date_range(layer, name, value))
        elif name == "limit":
            limit = parse_count(name, value, minimum=1, maximum=MAX_LIMIT)
        elif name == "offset":
            offset = parse_count(name, value, minimum=0, maximum=10**9)
        else:
            known = ", ".join(f for f in FILTERS)
            raise FilterError(
                f"unknown parameter {name!r} for layer {layer.name!r} (known: {known})"
            )
    queryset = layer.rows(actors)
    if search is not None:
        condition, vector = search
        queryset = queryset.annotate(_search=vector).filter(condition)
    for condition in rows:
        queryset = queryset.filter(condition)
    # The model's own order (communes by code, actors by name), made total for stable pages.
    ordered = queryset.order_by(*layer.model._meta.ordering, "pk")
    return Selection(layer, ordered, limit, offset, params)


def date_range(layer: Layer, name: str, value: str) -> Q:
    """Rows whose [start, end] period overlaps the asked one; an open end never ends."""
    if layer.dates is None:
        raise _unsupported(layer, name)
    start_field, end_field = layer.dates
    instant = parse_instant(name, value)
    if name == "start":  # still going on at or after ``start``
        return Q(**{f"{end_field}__gte": instant}) | Q(**{f"{end_field}__isnull": True})
    return Q(**{f"{start_field}__lte": instant}) | Q(**{f"{start_field}__isnull": True})
