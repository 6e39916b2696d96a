"""The one filter set shared by the map, the API, the tiles and every export.

Parsing is strict: an unknown parameter or a malformed value is an error with a reason, so a
typo never silently returns the whole layer. Each layer declares what its rows can be filtered
on (see ``layers.registry.Layer``); a filter a layer does not support is an error too.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.gis.geos import Polygon
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db.models import DateTimeField, F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import (
    get_current_timezone,
    get_current_timezone_name,
    is_naive,
    make_aware,
)

from geo_civic.actors.models import Actor, Category
from geo_civic.web.params import ParameterError, whole_number
from layers.registry import Layer
from layers.row_filters import MAX_LIST, parse_list

# Created by layers/migrations/0001_search.py: French stemming on unaccented words.
SEARCH_CONFIG = "french_unaccent"
MAX_LIMIT = 10_000
MAX_OFFSET = 10**9
MAX_TEXT = 200  # characters of a q search
MAX_PREFIX_WORDS = 8
OPERATORS = re.compile(r'"|(^|\s)-|\sor\s', re.IGNORECASE)
WORD = re.compile(r"[^\W_]+")  # letters and digits only: never a tsquery operator

# The grammar of dates and date-times the filters take, published as is in the OGC API's
# OpenAPI document: a real calendar day of the years 1000–2999, then optionally a time (seconds,
# fraction and offset optional; no offset: local time).
LEAP_DAY = r"([12][0-9](0[48]|[2468][048]|[13579][26])|(12|16|20|24|28)00)-02-29"
DAY = (
    r"([12][0-9]{3}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)"
    rf"|(0[13578]|1[02])-31)|{LEAP_DAY})"
)
# Offsets up to ±15:59, the most PostgreSQL takes (real ones span -12:00 to +14:00).
TIME = (
    r"T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
    r"(Z|[+-](0[0-9]|1[0-5]):[0-5][0-9])?"
)
INSTANT = f"{DAY}({TIME})?"
INSTANT_RE = re.compile(INSTANT)
OFFSET_RE = re.compile(r".+T.+[+-]([0-9]{2}):[0-9]{2}")  # a date-time, its offset
# Territory codes (INSEE, département, région, SIREN): short alphanumerics, comma-separated.
CODES = rf"[0-9A-Za-z]{{1,12}}(,[0-9A-Za-z]{{1,12}}){{0,{MAX_LIST - 1}}}"
CODES_RE = re.compile(CODES)
# A search holds at least one letter or digit; any other character but NUL may surround it.
SEARCH = r"[^\x00]*[0-9A-Za-zÀ-ÖØ-öø-ÿ][^\x00]*"
SEARCH_RE = re.compile(SEARCH)

FILTERS = (
    "bbox",
    "commune",
    "departement",
    "region",
    "epci",
    "kind",
    "category",
    "tags",
    "q",
    "start",
    "end",
    "updated_since",
    "limit",
    "offset",
)

# The OpenAPI schema of each filter, from the same constants and patterns the parsers below use,
# so a schema admits exactly what the server accepts (the OGC API's document uses them too).
CODES_SCHEMA = {"type": "string", "pattern": f"^{CODES}$"}
INSTANT_SCHEMA = {"type": "string", "pattern": f"^{INSTANT}$"}
SEARCH_SCHEMA = {"type": "string", "maxLength": MAX_TEXT, "pattern": f"^{SEARCH}$"}
LIST_ITEM = {
    "type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[^,\\x00]*\\S[^,\\x00]*$"
}  # fmt: skip
COMMA_LIST = {"style": "form", "explode": False}  # a=1,2 rather than a=1&a=2
BBOX_SCHEMA = {
    "type": "array",
    "minItems": 4,
    "maxItems": 4,
    "items": {"type": "number", "minimum": -180, "maximum": 180},
}
FILTER_DOCS: dict[str, tuple[str, dict]] = {
    "bbox": (
        "minLon,minLat,maxLon,maxLat in WGS 84 (minimum before maximum, latitudes -90..90); "
        "a polygon reaching into the box counts",
        BBOX_SCHEMA,
    ),
    "commune": ("INSEE commune codes, comma-separated", CODES_SCHEMA),
    "departement": ("département codes, comma-separated", CODES_SCHEMA),
    "region": ("région codes, comma-separated", CODES_SCHEMA),
    "epci": ("EPCI SIREN codes, comma-separated", CODES_SCHEMA),
    "kind": (
        "actor kinds, any of them (actor layers only)",
        {"type": "array", "minItems": 1, "maxItems": MAX_LIST,
         "items": {"type": "string", "enum": list(Actor.Kind.values)}},
    ),
    "category": (
        "category slugs (see /api/categories), any of them, their subcategories included "
        "(actor layers only)",
        {"type": "array", "minItems": 1, "maxItems": MAX_LIST, "items": LIST_ITEM},
    ),
    "tags": (
        "tags, any of them (actor layers only)",
        {"type": "array", "minItems": 1, "maxItems": MAX_LIST, "items": LIST_ITEM},
    ),
    "q": ("French full-text search, accents and case ignored, word prefixes too", SEARCH_SCHEMA),
    "start": (
        "ISO 8601 date or date-time: events still running then (actor layers only; other "
        "kinds are left out)",
        INSTANT_SCHEMA,
    ),
    "end": (
        "ISO 8601 date or date-time: events begun by then, a date including its whole day "
        "(actor layers only)",
        INSTANT_SCHEMA,
    ),
    "updated_since": ("ISO 8601 date or date-time: rows changed since", INSTANT_SCHEMA),
    "limit": (
        "features per page (none: the whole layer); a next link follows a full page",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    ),
    "offset": ("features to skip", {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}),
}  # fmt: skip


def openapi_parameters(names: Iterable[str] = FILTERS, required: Iterable[str] = ()) -> list[dict]:
    """The OpenAPI 3.1 query parameters of these filters, as ``select`` parses them."""
    must = set(required)
    parameters = []
    for name in names:
        description, schema = FILTER_DOCS[name]
        parameter = {"name": name, "in": "query", "required": name in must,
                     "description": description, "schema": schema}  # fmt: skip
        if schema["type"] == "array":
            parameter.update(COMMA_LIST)
        parameters.append(parameter)
    return parameters


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


def parse_bbox(value: str) -> Polygon:
    """``minLon,minLat,maxLon,maxLat`` in WGS 84 → a polygon."""
    parts = value.split(",")
    if len(parts) != 4:
        raise ParameterError("bbox needs 4 numbers: minLon,minLat,maxLon,maxLat", "bbox")
    try:
        if not value.isascii():  # float() reads other scripts' digits too
            raise ValueError
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise ParameterError("bbox values must be numbers", "bbox") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ParameterError("bbox values must be finite numbers", "bbox")
    if not (
        -180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90
    ):
        raise ParameterError("bbox is outside -180..180 longitude, -90..90 latitude", "bbox")
    if west > east or south > north:
        raise ParameterError("bbox minimum is greater than its maximum", "bbox")
    polygon = Polygon.from_bbox((west, south, east, north))
    polygon.srid = 4326
    return polygon


def _date(value: str) -> dt.date | None:
    """A plain date (``parse_datetime`` would also take one, as its midnight)."""
    try:
        return parse_date(value)
    except ValueError:
        return None


def parse_codes(name: str, value: str) -> list[str]:
    """Territory codes: ``97411,97415`` (letters and digits, commas, nothing else)."""
    if not value:
        raise ParameterError(f"{name} needs at least one value", name)
    if not CODES_RE.fullmatch(value):
        raise ParameterError(
            f"{name} takes codes of letters and digits separated by commas, like 97411,97415",
            name,
        )
    return parse_list(name, value)


def parse_instant(name: str, value: str, *, day_end: bool = False) -> dt.datetime:
    """An ISO 8601 date or date-time; a date means its first instant, local time, or with
    ``day_end`` the first instant of the next day (``end=2024-05-31`` includes the 31st)."""
    if not INSTANT_RE.fullmatch(value):
        if (offset := OFFSET_RE.fullmatch(value)) and int(offset.group(1)) > 15:
            raise ParameterError(f"{name}: a time-zone offset goes from -15:59 to +15:59", name)
        raise ParameterError(
            f"{name} must be an ISO 8601 date or date-time of the years 1000 to 2999, like "
            "2024-05-31 or 2024-05-31T18:00:00+04:00",
            name,
        )
    try:
        if (day := _date(value)) is not None:
            instant = dt.datetime.combine(day, dt.time.min)
            if day_end:
                instant += dt.timedelta(days=1)
        else:
            instant = parse_datetime(value)
    except (ValueError, OverflowError):
        instant = None
    if instant is None:
        raise ParameterError(f"{name} must be an ISO 8601 date or date-time, like 2024-05-31", name)
    try:
        return make_aware(instant, get_current_timezone()) if is_naive(instant) else instant
    except (ValueError, OverflowError):
        raise ParameterError(f"{name} is out of range", name) from None


parse_count = whole_number


def _kind(value: str) -> Q:
    kinds = parse_list("kind", value)
    allowed = set(Actor.Kind.values)
    unknown = sorted(set(kinds) - allowed)
    if unknown:
        raise ParameterError(
            f"unknown kind {', '.join(unknown)} (known: {', '.join(sorted(allowed))})", "kind"
        )
    return Q(kind__in=kinds)


CATEGORY_ACTORS_SQL = """
WITH RECURSIVE tree AS (
    SELECT id FROM {category} WHERE slug = ANY(%s)
    UNION
    SELECT child.id FROM {category} child JOIN tree ON child.parent_id = tree.id
)
SELECT link.actor_id FROM {link} link JOIN tree ON link.category_id = tree.id
"""


def _category(value: str) -> Q:
    """Actors in any of these categories or in their descendants."""
    slugs = parse_list("category", value)
    known = set(Category.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    unknown = sorted(set(slugs) - known)
    if unknown:
        raise ParameterError(
            f"unknown category {', '.join(unknown)} (see /api/categories)", "category"
        )
    sql = CATEGORY_ACTORS_SQL.format(  # table names from the models, never from a request
        category=Category._meta.db_table, link=Actor.categories.through._meta.db_table
    )
    return Q(pk__in=RawSQL(sql, [slugs]))


class NextLocalMidnight(Func):
    """The first instant of the day after the expression's day, in the current time zone."""

    output_field = DateTimeField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        zone = get_current_timezone_name()
        return (
            f"((date_trunc('day', {sql} AT TIME ZONE %s) + interval '1 day') AT TIME ZONE %s)",
            [*params, zone, zone],
        )


def event_end() -> Coalesce:
    """When an event ends: its ``ends_at``, or the end of its start day (local time)."""
    return Coalesce("ends_at", NextLocalMidnight("starts_at"), output_field=DateTimeField())


def _period(start: str | None, end: str | None) -> Q:
    """Events whose [starts_at, end] overlaps [start, end]; other kinds are left out."""
    period = Q(kind=Actor.Kind.EVENT, starts_at__isnull=False)
    if start is not None:
        instant = parse_instant("start", start)
        # The end of the start day is the first instant of the next day: not part of the event.
        period &= Q(ends_at__gte=instant) | Q(
            GreaterThan(NextLocalMidnight("starts_at"), instant), ends_at__isnull=True
        )
    if end is not None:
        bound = parse_instant("end", end, day_end=True)
        # A date ends before the next day's first instant; a date-time includes itself.
        period &= Q(starts_at__lt=bound) if _date(end) else Q(starts_at__lte=bound)
    return period


def _life(layer: Layer, start: str | None, end: str | None) -> Q:
    """Rows of a dated layer (not actors) whose [start field, end field] overlaps [start, end];
    a row without an end (a proposal with no closing date yet) is still open."""
    start_field, end_field = layer.dates
    period = Q()
    if start is not None:
        instant = parse_instant("start", start)
        period &= Q(**{f"{end_field}__gte": instant}) | Q(**{f"{end_field}__isnull": True})
    if end is not None:
        bound = parse_instant("end", end, day_end=True)
        lookup = "lt" if _date(end) else "lte"
        period &= Q(**{f"{start_field}__{lookup}": bound})
    return period


class ActorSearchVector(Func):
    """An actor's name, summary and tags as a French vector: the expression of the GIN index
    of ``layers/migrations/0002_actor_search_index.py``. Built from column references, not a
    table name, so it stays right when the query becomes a subquery with aliased tables."""

    template = (
        f"to_tsvector('{SEARCH_CONFIG}'::regconfig, geocivic_actor_search_text(%(expressions)s))"
    )
    output_field = SearchVectorField()

    def __init__(self) -> None:
        super().__init__(F("name"), F("summary"), F("tags"))


def _search(layer: Layer, value: str) -> Q:
    """French full-text search, accents and case ignored (``ecole`` finds « École »)."""
    text = value.strip()
    if not text:
        raise ParameterError("q needs some text", "q")
    if len(value) > MAX_TEXT or not SEARCH_RE.fullmatch(value):
        raise ParameterError(
            f"q takes at most {MAX_TEXT} characters of text, with a letter or digit, no NUL", "q"
        )
    if layer.model is Actor:
        vector = ActorSearchVector()
    else:
        vector = SearchVector(*layer.search_fields, config=SEARCH_CONFIG)
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    # Word prefixes too, so "saint-d" or a name's first letters find it; on the same vector, so
    # both halves read its GIN index (layers/migrations/0002_actor_search_index.py).
    # Not when the text uses the search syntax (a "phrase", -word, or): it says what it means.
    words = [] if OPERATORS.search(text) else WORD.findall(text)[:MAX_PREFIX_WORDS]
    if not words:
        return Q(_search=query), vector
    prefixes = " & ".join(f"{word}:*" for word in words)
    prefix = SearchQuery(prefixes, config=SEARCH_CONFIG, search_type="raw")
    return Q(_search=query) | Q(_search=prefix), vector


def _unsupported(layer: Layer, name: str) -> ParameterError:
    return ParameterError(f"parameter {name!r} does not apply to layer {layer.name!r}", name)


def select(layer: Layer, params: Mapping[str, str], *, ignore: Iterable[str] = ()) -> Selection:
    """The layer's rows narrowed by the request parameters (``ignore``: handled by the caller)."""
    params = {k: v for k, v in params.items() if k not in set(ignore)}
    actors = Q()
    rows: list[Q] = []
    search = None
    limit, offset = None, 0
    for name, value in params.items():
        if name in layer.row_filters:
            rows.append(layer.row_filters[name].rows(name, value))
        elif name == "bbox":
            rows.append(Q(**{f"{layer.geometry}__intersects": parse_bbox(value)}))
        elif name in ("commune", "departement", "region", "epci"):
            path = layer.territory_paths[name]
            codes = parse_codes(name, value)
            rows.append(path(codes) if callable(path) else Q(**{f"{path}__in": codes}))
        elif name in ("kind", "tags", "category"):
            if not layer.actor_filters:
                raise _unsupported(layer, name)
            if name == "kind":
                actors &= _kind(value)
            elif name == "tags":
                actors &= Q(tags__overlap=parse_list(name, value))
            else:
                actors &= _category(value)
        elif name == "q":
            search = _search(layer, value)
        elif name == "updated_since":
            if layer.updated_field is None:
                raise _unsupported(layer, name)
            rows.append(Q(**{f"{layer.updated_field}__gte": parse_instant(name, value)}))
        elif name in ("start", "end"):
            if not (layer.actor_filters or layer.dates):
                raise _unsupported(layer, name)
        elif name == "limit":
            limit = parse_count(name, value, minimum=1, maximum=MAX_LIMIT)
        elif name == "offset":
            offset = parse_count(name, value, minimum=0, maximum=MAX_OFFSET)
        else:
            known = ", ".join((*FILTERS, *layer.row_filters))
            raise ParameterError(
                f"unknown parameter {name!r} for layer {layer.name!r} (known: {known})", name
            )
    if ("start" in params or "end" in params) and layer.actor_filters:
        actors &= _period(params.get("start"), params.get("end"))
    elif "start" in params or "end" in params:
        rows.append(_life(layer, params.get("start"), params.get("end")))
    queryset = layer.rows(actors)
    if search is not None:
        condition, vector = search
        queryset = queryset.annotate(_search=vector).filter(condition)
    for condition in rows:
        queryset = queryset.filter(condition)
    # The model's own order (communes by code, actors by name), made total for stable pages.
    ordered = queryset.order_by(*layer.model._meta.ordering, "pk")
    return Selection(layer, ordered, limit, offset, params)
