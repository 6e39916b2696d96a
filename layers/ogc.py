"""OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0) at ``/ogc/``, so QGIS and GDAL read
every layer as a collection, filtered by the same filter set as the rest of the API.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from urllib.parse import urlencode

from django.contrib.gis.db.models import Extent
from django.db import connections
from django.db.models import Max, Min
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from geo_civic.web.params import ParameterError, single_values
from geo_civic.web.problems import problem
from layers import filters
from layers.filters import MAX_LIMIT, MAX_OFFSET, Selection, event_end, select
from layers.freshness import conditional
from layers.geojson import compile_features, feature_collection
from layers.provenance import sources_of
from layers.registry import LAYERS, Layer, get_layer

DEFAULT_LIMIT = 10
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
JSON = "application/json"
GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"


def _url(request: HttpRequest, route: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(route, kwargs=kwargs or None))


def _json(document: dict, status: int = 200, content_type: str = JSON) -> JsonResponse:
    response = JsonResponse(
        document,
        status=status,
        content_type=content_type,
        json_dumps_params={"ensure_ascii": False},
    )
    return response


def _error(message: str, status: int, parameter: str | None = None) -> JsonResponse:
    """A problem document that also carries the exception members of OGC API – Common."""
    code = "InvalidParameterValue" if status == 400 else "NotFound"
    return problem(message, status, parameter=parameter, code=code, description=message)


def _format(request: HttpRequest) -> None:
    if request.GET.get("f", "json") not in ("json", "geojson"):
        raise ParameterError("f must be json: this service speaks JSON and GeoJSON only", "f")


@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    return _json(
        {
            "title": "GeoCivic",
            "description": "Les couches publiées de GeoCivic : communes et acteurs.",
            "links": [
                {"href": _url(request, "ogc-landing"), "rel": "self", "type": JSON},
                {"href": _url(request, "ogc-openapi"), "rel": "service-desc", "type": OPENAPI},
                {"href": _url(request, "ogc-conformance"), "rel": "conformance", "type": JSON},
                {"href": _url(request, "ogc-collections"), "rel": "data", "type": JSON},
            ],
        }
    )


@require_safe
def conformance(request: HttpRequest) -> HttpResponse:
    return _json({"conformsTo": CONFORMANCE})


def _collection(request: HttpRequest, layer: Layer) -> dict:
    everything = select(layer, {})
    extent = everything.queryset.aggregate(extent=Extent(layer.geometry))["extent"]
    sources = sources_of(everything)
    document = {
        "id": layer.name,
        "title": layer.title,
        "description": layer.description,
        "attribution": "; ".join(f"{s.attribution} ({s.licence})" for s in sources),
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {
            "spatial": {
                "bbox": [list(extent) if extent else [-180, -90, 180, 90]],
                "crs": CRS84,
            }
        },
        "links": [
            {"href": _url(request, "ogc-collection", name=layer.name), "rel": "self", "type": JSON},
            {
                "href": _url(request, "ogc-items", name=layer.name),
                "rel": "items",
                "type": GEOJSON,
                "title": layer.title,
            },
            {
                "href": _url(request, "ogc-schema", name=layer.name),
                "rel": "describedby",
                "type": "application/schema+json",
            },
        ],
    }
    if layer.dates:
        document["extent"]["temporal"] = {"interval": [_interval(everything)], "trs": GREGORIAN}
    return document


def _interval(selection: Selection) -> list[str | None]:
    """First start and last end of a dated collection (an event without end: its day's end)."""
    start_field, end_field = selection.layer.dates
    end = event_end() if selection.layer.actor_filters else end_field
    bounds = selection.queryset.aggregate(first=Min(start_field), last=Max(end))

    def utc(instant: dt.datetime | None) -> str | None:
        return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if instant else None

    return [utc(bounds["first"]), utc(bounds["last"])]


@require_safe
def collections(request: HttpRequest) -> HttpResponse:
    return _json(
        {
            "links": [{"href": _url(request, "ogc-collections"), "rel": "self", "type": JSON}],
            "collections": [_collection(request, layer) for layer in LAYERS.values()],
        }
    )


@require_safe
def collection(request: HttpRequest, name: str) -> HttpResponse:
    layer = get_layer(name)
    if layer is None:
        return _error(f"no collection {name!r}", 404)
    return _json(_collection(request, layer))


@require_safe
def schema(request: HttpRequest, name: str) -> HttpResponse:
    """The JSON Schema of a collection's features, so clients type fields without guessing."""
    layer = get_layer(name)
    if layer is None:
        return _error(f"no collection {name!r}", 404)
    properties: dict = {}
    for prop, kind in layer.property_types().items():
        if kind == "array":
            properties[prop] = {"type": "array", "items": {"type": "string"}}
        elif kind == "date-time":
            properties[prop] = {"type": "string", "format": "date-time"}
        else:
            properties[prop] = {"type": kind}
    geometry = "geometry-point" if layer.is_point else "geometry-multipolygon"
    properties["geometry"] = {"format": geometry, "x-ogc-role": "primary-geometry"}
    return _json(
        {
            "$schema": "https://json-schema.org/draft/2019-09/schema",
            "$id": _url(request, "ogc-schema", name=name),
            "type": "object",
            "title": layer.title,
            "properties": properties,
        },
        content_type="application/schema+json",
    )


def datetime_params(value: str) -> dict[str, str]:
    """OGC ``datetime`` (an instant, ``a/b``, ``../b``, ``a/..``) → our start/end filters."""
    parts = value.split("/")
    if len(parts) > 2 or not all(parts):
        raise ParameterError("datetime must be an instant or an interval start/end ('..' = open)")
    start, end = (parts[0], parts[0]) if len(parts) == 1 else parts
    for part in {start, end} - {".."}:
        filters.parse_instant("datetime", part)  # so that an error names this parameter
    return {k: v for k, v in (("start", start), ("end", end)) if v != ".."}


@require_safe
def items(request: HttpRequest, name: str) -> HttpResponse:
    layer = get_layer(name)
    if layer is None:
        return _error(f"no collection {name!r}", 404)
    try:
        params = single_values(request.GET)
        params.pop("f", None)
        params.setdefault("limit", str(DEFAULT_LIMIT))
        _format(request)
        for name in ("crs", "bbox-crs"):  # Part 2 clients may name the only CRS we serve
            if name in params and params.pop(name) not in (CRS84, "EPSG:4326"):
                raise ParameterError(f"{name}: this service serves {CRS84} only")
        if "datetime" in params:
            period = datetime_params(params.pop("datetime"))
            if layer.dates is None:
                raise ParameterError(
                    f"datetime does not apply to collection {layer.name!r}: it has no dates"
                )
            params.update(period)
        selection = select(layer, params)
    except ParameterError as exc:
        return _error(str(exc), 400, exc.parameter)
    base = _url(request, "ogc-items", name=layer.name)
    links = [
        {"href": f"{base}?{urlencode(selection.params)}", "rel": "self", "type": GEOJSON},
        {
            "href": _url(request, "ogc-collection", name=layer.name),
            "rel": "collection",
            "type": JSON,
        },
    ]
    return conditional(request, selection, "ogc", lambda: _items_response(selection, base, links))


def _items_response(selection: Selection, base: str, links: list[dict]) -> HttpResponse:
    next_link = {
        "href": f"{base}?{urlencode(selection.next_params())}",
        "rel": "next",
        "type": GEOJSON,
    }
    members = {
        "timeStamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "numberMatched": selection.queryset.count(),
    }
    response = StreamingHttpResponse(
        feature_collection(selection, members=members, links=links, next_link=next_link),
        content_type=GEOJSON,
    )
    return response


@require_safe
def item(request: HttpRequest, name: str, fid: str) -> HttpResponse:
    layer = get_layer(name)
    if layer is None:
        return _error(f"no collection {name!r}", 404)
    try:
        _format(request)
    except ParameterError as exc:
        return _error(str(exc), 400, exc.parameter)
    if not (fid.isascii() and fid.isdigit()) or len(fid) > 18:
        return _error(f"no feature {fid!r} in {name!r}", 404)
    selection = select(layer, {})
    one: Selection = dataclasses.replace(selection, queryset=selection.queryset.filter(pk=fid))
    sql, params = compile_features(one)
    with connections[one.queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return _error(f"no feature {fid!r} in {name!r}", 404)
    feature = json.loads(row[0])
    feature["links"] = [
        {"href": _url(request, "ogc-item", name=name, fid=fid), "rel": "self", "type": GEOJSON},
        {"href": _url(request, "ogc-collection", name=name), "rel": "collection", "type": JSON},
    ]
    return _json(feature, content_type=GEOJSON)


def _parameter(name: str, description: str, schema: dict, location: str = "query") -> dict:
    return {
        "name": name,
        "in": location,
        "required": location == "path",
        "description": description,
        "schema": schema,
        "style": "form",
        "explode": False,
    }


# The parameter schemas admit exactly what the server accepts (schemathesis checks both ways):
# the patterns are the filter set's own (layers.filters).
CODES = filters.CODES_SCHEMA
DATETIME = {
    "type": "string",
    "pattern": (
        f"^({filters.INSTANT}|{filters.INSTANT}/{filters.INSTANT}|\\.\\./{filters.INSTANT}"
        f"|{filters.INSTANT}/\\.\\.)$"
    ),
}
SEARCH_TEXT = filters.SEARCH_SCHEMA


def filter_parameters(layer: Layer) -> list[dict]:
    """The query parameters of a collection's items: ``datetime`` for dated ones only."""
    parameters = [
        _parameter(
            "bbox",
            "minLon,minLat,maxLon,maxLat (WGS 84; minimum before maximum, latitudes -90..90)",
            filters.BBOX_SCHEMA,
        ),
        _parameter(
            "limit",
            "features per page",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        ),
        _parameter(
            "offset",
            "features to skip",
            {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
        ),
        _parameter("commune", "INSEE codes, comma-separated", CODES),
        _parameter("departement", "département codes, comma-separated", CODES),
        _parameter("region", "région codes, comma-separated", CODES),
        _parameter("epci", "EPCI SIREN codes, comma-separated", CODES),
        _parameter("q", "French full-text search, accents ignored", SEARCH_TEXT),
    ]
    for name, row_filter in layer.row_filters.items():
        schema = {"type": "string", "pattern": row_filter.pattern}
        parameters.append(_parameter(name, row_filter.description, schema))
    if layer.dates:
        parameters.append(
            _parameter(
                "datetime",
                "an instant or an interval start/end ('..' open), RFC 3339 dates or date-times",
                DATETIME,
            )
        )
    return parameters


@require_safe
def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.0 description of this service, which GDAL reads for the page size."""
    feature_collection_schema = {"type": "object", "required": ["type", "features"]}
    paths: dict = {
        "/": {
            "get": {
                "summary": "Landing page",
                "operationId": "getLandingPage",
                "responses": {"200": {"description": "links"}},
            }
        },
        "/conformance": {
            "get": {
                "summary": "Conformance classes",
                "operationId": "getConformance",
                "responses": {"200": {"description": "conformsTo"}},
            }
        },
        "/collections": {
            "get": {
                "summary": "Collections",
                "operationId": "getCollections",
                "responses": {"200": {"description": "collections"}},
            }
        },
    }
    for layer in LAYERS.values():
        fid = _parameter("featureId", "feature id", {"type": "integer", "minimum": 1}, "path")
        paths[f"/collections/{layer.name}"] = {
            "get": {
                "summary": layer.title,
                "operationId": f"describe-{layer.name}",
                "responses": {"200": {"description": "collection"}},
            }
        }
        paths[f"/collections/{layer.name}/items"] = {
            "get": {
                "summary": f"{layer.title}: features",
                "operationId": f"items-{layer.name}",
                "parameters": filter_parameters(layer),
                "responses": {
                    "200": {
                        "description": "features",
                        "content": {GEOJSON: {"schema": feature_collection_schema}},
                    },
                    "400": {"description": "a parameter that cannot be understood"},
                },
            }
        }
        paths[f"/collections/{layer.name}/items/{{featureId}}"] = {
            "get": {
                "summary": f"{layer.title}: one feature",
                "operationId": f"item-{layer.name}",
                "parameters": [fid],
                "responses": {"200": {"description": "feature"}, "404": {"description": "none"}},
            }
        }
    document = {
        "openapi": "3.0.3",
        "info": {
            "title": "GeoCivic – OGC API Features",
            "version": "1.0.0",
            "license": {"name": "AGPL-3.0-or-later (software); data: see each collection"},
        },
        "servers": [{"url": _url(request, "ogc-landing").rstrip("/")}],
        "paths": paths,
    }
    return _json(document, content_type=OPENAPI)
