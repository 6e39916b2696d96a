"""The site's JSON endpoints in the one OpenAPI 3.1 document beside ``/api/v1/``.

drf-spectacular generates the app API's operations from its DRF views; the map's JSON, the
layers, tiles and exports, and the stewards' imports are plain Django views, so their operations
are made here, by a spectacular postprocessing hook, from the very declarations their code
parses with: ``layers.filters`` (the filter set), the ``PARAMETERS`` of ``places`` and
``nearby``, ``clusters.ZOOM``, the export formats and their options, the import options
(``importers.options``). The OGC API keeps its own document at ``/ogc/api``, linked from here.
"""

from __future__ import annotations

from typing import Any

from geo_civic.actors.models import Actor
from geo_civic.api_v1.schema_parts import PROBLEM_COMPONENT
from geo_civic.web.params import Parameter
from importers import options as import_options
from importers import uploads
from layers import clusters, exports, filters, nearby, places, tiles
from layers.registry import LAYERS

PROBLEM = "application/problem+json"
GEOJSON = "application/geo+json"
SITE_TAGS = [
    {"name": "layers", "description": "Every map layer, filtered, as GeoJSON or a GIS file."},
    {"name": "tiles", "description": "Vector tiles of the layers, and their TileJSON."},
    {"name": "map", "description": "What the map page reads: clusters, places, nearby actors."},
    {"name": "imports", "description": "Data stewards' uploads (session and CSRF token)."},
    {"name": "documentation", "description": "This document and its page."},
]
DESCRIPTION = (
    "One document for GeoCivic's JSON: the public read-only API (layers, exports, tiles, map "
    "data; no authentication, CORS open), the data stewards' imports and the app API "
    "`/api/v1/` (local democracy; Bearer tokens from `/api/v1/auth/token`). Every refusal is "
    "an RFC 9457 `application/problem+json`. The OGC API – Features service has its own "
    "document at [/ogc/api](/ogc/api); the open-data catalogue is at [/data/](/data/)."
)


def _problem_responses(*codes: str) -> dict[str, Any]:
    reasons = {
        "400": "a parameter that cannot be understood (`parameter` names it)",
        "401": "not logged in",
        "403": "not a data steward, or the CSRF check failed",
        "404": "no such layer, format or tile",
        "405": "only POST",
        "411": "no Content-Length",
        "413": "the upload is too large",
        "415": "not multipart/form-data",
        "429": "too many requests: see Retry-After",
        "503": "the database is unavailable; nothing was imported",
    }
    problem = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    return {code: {"description": reasons[code], "content": problem} for code in codes}


def _json(description: str, schema: dict | None = None) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema or {}}}}


def _path(name: str, description: str, schema: dict) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema}  # fmt: skip


def _operation(operation_id: str, tag: str, summary: str, **members: Any) -> dict[str, Any]:
    return {"operationId": operation_id, "tags": [tag], "summary": summary, "security": [{}],
            **members}  # fmt: skip


LAYER = _path("name", "the layer", {"type": "string", "enum": sorted(LAYERS)})
ACTOR = {
    "type": "object",
    "required": ["id", "name", "kind", "url", "lon", "lat", "distance_m"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "kind": {"type": "string", "enum": list(Actor.Kind.values)},
        "url": {"type": "string"},
        "commune_name": {"type": ["string", "null"]},
        "lon": {"type": "number"},
        "lat": {"type": "number"},
        "distance_m": {"type": "integer", "description": "metres to the published point"},
    },
}
# A row of /api/nearby: an actor, or a public proposal (which says its status and space).
NEARBY = {
    **ACTOR,
    "required": ["layer", *ACTOR["required"]],
    "properties": {
        "layer": {"type": "string", "enum": ["actors", "proposals"]},
        **ACTOR["properties"],
        "kind": {"type": "string", "enum": [*Actor.Kind.values, "proposal"]},
        "status": {"type": "string", "description": "a proposal's status"},
        "space_title": {"type": "string", "description": "a proposal's participation space"},
    },
}
PLACE = {
    "type": "object",
    "required": ["code", "name", "departement", "postal_codes", "bounds"],
    "properties": {
        "code": {"type": "string"},
        "name": {"type": "string"},
        "departement": {"type": "string"},
        "postal_codes": {"type": "array", "items": {"type": "string"}},
        "bounds": {"type": "array", "description": "[[south, west], [north, east]]",
                   "items": {"type": "array", "items": {"type": "number"}}},
    },
}  # fmt: skip
CATEGORY = {
    "type": "object",
    "required": ["slug", "name", "colour", "icon", "parent"],
    "properties": {
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "colour": {"type": "string"},
        "icon": {"type": "string"},
        "parent": {"type": ["string", "null"], "description": "the parent's slug"},
    },
}


def layer_paths() -> dict[str, Any]:
    every_format = list(exports.FORMATS)
    export_options = [
        {"name": name, "in": "query", "required": False, "description": text, "schema": schema}
        for name, (text, schema) in exports.OPTION_DOCS.items()
    ]
    conditional = {"304": {"description": "unchanged since the ETag or date sent"}}
    return {
        "/api/layers/{name}.geojson": {
            "get": _operation(
                "layerGeoJSON",
                "layers",
                "A layer, filtered, as GeoJSON",
                description=(
                    "Streamed GeoJSON with a `metadata` member (sources, licences, filters); a "
                    "filter a layer has no data for (events' `start` on communes) is a 400."
                ),
                parameters=[LAYER, *filters.openapi_parameters()],
                responses={
                    "200": {
                        "description": "the features",
                        "content": {GEOJSON: {"schema": {"type": "object"}}},
                    },
                    **conditional,
                    **_problem_responses("400", "404"),
                },  # fmt: skip
            )
        },
        "/api/layers/{name}.{fmt}": {
            "get": _operation(
                "layerExport",
                "layers",
                "A layer, filtered, in a GIS format",
                description=(
                    "Written by GDAL; every feature carries its source and licence. File "
                    "exports are limited per client and minute (429)."
                ),
                parameters=[
                    LAYER,
                    _path("fmt", "the format", {"type": "string", "enum": every_format}),
                    *filters.openapi_parameters(),
                    *export_options,
                ],
                responses={
                    "200": {
                        "description": "the file",
                        "content": {f.content_type: {} for f in exports.FORMATS.values()},
                    },
                    **conditional,
                    **_problem_responses("400", "404", "429"),
                },
            )
        },
    }


def tile_paths() -> dict[str, Any]:
    tile_filters = [name for name in filters.FILTERS if name not in ("limit", "offset")]
    return {
        "/tiles/{name}.json": {
            "get": _operation(
                "tileJSON",
                "tiles",
                "TileJSON 3.0 of a layer's tiles, filtered",
                parameters=[LAYER, *filters.openapi_parameters(tile_filters)],
                responses={"200": _json("TileJSON"), **_problem_responses("400", "404")},
            )
        },
        "/tiles/{name}/{z}/{x}/{y}.pbf": {
            "get": _operation(
                "tile",
                "tiles",
                "A Mapbox Vector Tile of a layer, filtered",
                parameters=[
                    LAYER,
                    _path(
                        "z", "zoom", {"type": "integer", "minimum": 0, "maximum": tiles.MAX_ZOOM}
                    ),
                    _path("x", "column, below 2^z", {"type": "integer", "minimum": 0}),
                    _path("y", "row, below 2^z", {"type": "integer", "minimum": 0}),
                    *filters.openapi_parameters(tile_filters),
                ],  # fmt: skip
                responses={
                    "200": {
                        "description": "the tile",
                        "content": {"application/vnd.mapbox-vector-tile": {}},
                    },
                    "204": {"description": "no feature in this tile"},
                    "304": {"description": "unchanged (ETag)"},
                    **_problem_responses("400", "404"),
                },  # fmt: skip
            )
        },
    }


def _results(
    operation_id: str, summary: str, parameters: tuple[Parameter, ...], found: str, item: dict
) -> dict[str, Any]:
    """A map endpoint answering ``{"results": [item, …]}``."""
    body = {"type": "object", "required": ["results"],
            "properties": {"results": {"type": "array", "items": item}}}  # fmt: skip
    return {
        "get": _operation(
            operation_id,
            "map",
            summary,
            parameters=[p.openapi() for p in parameters],
            responses={"200": _json(found, body), **_problem_responses("400")},
        )
    }


def map_paths() -> dict[str, Any]:
    counts = {"type": "object", "additionalProperties": {"type": "integer"}}
    cluster = {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "lat": {"type": "number"},
            "lon": {"type": "number"},
            "id": {"type": ["integer", "null"], "description": "a lone actor's id"},
        },
    }
    return {
        "/api/map/clusters": {
            "get": _operation(
                "mapClusters",
                "map",
                "Actors of a view grouped on a grid, and the view's counts per kind and category",
                parameters=[
                    clusters.ZOOM.openapi(),
                    *filters.openapi_parameters(clusters.FILTERS, required=["bbox"]),
                ],
                responses={
                    "200": _json(
                        "clusters and counts",
                        {
                            "type": "object",
                            "required": ["total", "kinds", "categories", "clusters"],
                            "properties": {
                                "total": {"type": "integer"},
                                "kinds": counts,
                                "categories": counts,
                                "clusters": {"type": "array", "items": cluster},
                            },
                        },
                    ),
                    **_problem_responses("400"),
                },  # fmt: skip
            )
        },
        "/api/map/first-view": {
            "get": _operation(
                "mapFirstView",
                "map",
                "The map's default view of the territory (counts, grid clusters and, when few, the "
                "actors as GeoJSON features), preloaded by the map page under its data version",
                parameters=[
                    {
                        "name": "v",
                        "in": "query",
                        "required": False,
                        "description": "the data version the page names; under it the answer "
                        "is immutable",
                        "schema": {"type": "string"},
                    }
                ],
                responses={
                    "200": _json(
                        "the first view, or null when no commune is loaded",
                        {
                            "type": ["object", "null"],
                            "required": ["bbox", "zoom", "summary", "features"],
                            "properties": {
                                "bbox": {"type": "string"},
                                "zoom": {"type": "integer"},
                                "summary": {"type": "object"},
                                "features": {"type": ["array", "null"]},
                            },
                        },
                    ),
                    "304": {"description": "the client's copy is current (If-None-Match)"},
                    **_problem_responses("400"),
                },
            )
        },
        "/api/places": _results(
            "places",
            "Communes whose name or code starts with or contains the query",
            places.PARAMETERS,
            "at most eight communes, best first",
            PLACE,
        ),
        "/api/nearby": _results(
            "nearby",
            "The published actors and public proposals nearest to a point, nearest first",
            nearby.PARAMETERS,
            "actors and proposals with their distance",
            NEARBY,
        ),
        "/api/categories": {
            "get": _operation(
                "categories",
                "map",
                "Categories holding a published actor (or whose child does)",
                responses={
                    "200": _json(
                        "the categories, by name",
                        {
                            "type": "object",
                            "required": ["categories"],
                            "properties": {"categories": {"type": "array", "items": CATEGORY}},
                        },
                    )
                },  # fmt: skip
            )
        },
    }


def _form(options: tuple[import_options.Option, ...]) -> dict[str, Any]:
    """The multipart body of an upload: ``file`` (one or more) and the import's options."""
    binary = {"type": "string", "contentMediaType": "application/octet-stream"}
    suffixes = ", ".join((*uploads.VECTOR_SUFFIXES, *uploads.ARCHIVE_SUFFIXES))
    properties: dict[str, Any] = {
        "file": {"type": "array", "items": binary, "minItems": 1,
                 "description": f"the file(s): {suffixes} (a Shapefile with its parts)"},
    }  # fmt: skip
    for option in options:
        if option.name == "mapping":
            properties["mapping"] = {**binary, "description": option.help}
        else:
            properties[option.name] = option.schema
    return {
        "required": True,
        "content": {"multipart/form-data": {
            "schema": {"type": "object", "required": ["file"], "properties": properties,
                       "additionalProperties": False},
        }},
    }  # fmt: skip


def import_paths() -> dict[str, Any]:
    summary = {
        "type": "object",
        "required": ["summary", "dry_run", "created", "updated"],
        "properties": {
            "summary": {"type": "string"},
            "dry_run": {"type": "boolean"},
            "created": {"type": "integer"},
            "updated": {"type": "integer"},
        },
    }
    refusals = _problem_responses("400", "401", "403", "405", "411", "413", "415", "503")
    steward = [{"cookieAuth": []}]
    return {
        "/api/imports/jobs/{pk}": {
            "get": _operation(
                "importJob",
                "imports",
                "A large upload's import run by a worker: its status, then its report or reason",
                description="An upload over `GEO_CIVIC_ASYNC_IMPORT_BYTES` is answered 202 "
                "with this address (`Location`); poll it until `done` or `failed`.",
                parameters=[
                    {
                        "name": "pk",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 0},
                    }
                ],
                responses={
                    "200": _json(
                        "the job",
                        {
                            "type": "object",
                            "required": ["job", "kind", "status"],
                            "properties": {
                                "job": {"type": "integer"},
                                "kind": {"type": "string", "enum": ["communes", "actors"]},
                                "status": {
                                    "type": "string",
                                    "enum": ["queued", "running", "done", "failed"],
                                },
                                "report": {"type": "object", "description": "once done"},
                                "detail": {"type": "string", "description": "once failed"},
                            },
                        },
                    ),
                    **_problem_responses("401", "404"),
                },
                security=steward,
            )
        },
        "/api/imports/communes": {
            "post": _operation(
                "importCommunes",
                "imports",
                "Import commune boundaries (data stewards)",
                description="As `manage.py import_communes`, with the same options.",
                requestBody=_form(import_options.COMMUNES),
                responses={"200": _json("what changed", summary), **refusals},
                security=steward,
            )
        },
        "/api/imports/actors": {
            "post": _operation(
                "importActors",
                "imports",
                "Import actors (data stewards)",
                description="As `manage.py import_actors`, with the same options.",
                requestBody=_form(import_options.ACTORS),
                responses={"200": _json("what changed", summary), **refusals},
                security=steward,
            )
        },
    }


def documentation_paths() -> dict[str, Any]:
    document = {
        "description": "this document: YAML, or JSON when asked (Accept: application/json)",
        "content": {
            "application/vnd.oai.openapi": {},
            "application/yaml": {},
            "application/vnd.oai.openapi+json": {},
            "application/json": {},
        },
    }
    page = {"200": {"description": "the page", "content": {"text/html": {}}}}
    return {
        "/api/schema/": {"get": _operation("schema", "documentation", "This OpenAPI document",
                                           responses={"200": document})},
        "/api/v1/schema/": {"get": _operation("schemaV1", "documentation",
                                              "This OpenAPI document (same as /api/schema/)",
                                              responses={"200": document})},
        "/api/docs/": {"get": _operation("docs", "documentation",
                                         "This document as a page (Swagger UI)", responses=page)},
    }  # fmt: skip


def site_paths() -> dict[str, Any]:
    """Every operation of the site's own (non-DRF) JSON endpoints."""
    return {**layer_paths(), **tile_paths(), **map_paths(), **import_paths(),
            **documentation_paths()}  # fmt: skip


def add_site_endpoints(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: the site's endpoints join the app API's document."""
    result["info"]["description"] = DESCRIPTION
    result["paths"] = {**result.get("paths", {}), **site_paths()}
    result.setdefault("tags", [])
    known = {tag["name"] for tag in result["tags"]}
    result["tags"] += [tag for tag in SITE_TAGS if tag["name"] not in known]
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_COMPONENT
    components.setdefault("securitySchemes", {}).setdefault(
        "cookieAuth", {"type": "apiKey", "in": "cookie", "name": "sessionid"}
    )
    result["externalDocs"] = {"description": "OGC API – Features (its own document)",
                              "url": "/ogc/api"}  # fmt: skip
    return result
