"""``/api/layers/<layer>.<format>``: one URL scheme for every format, the filters as parameters."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.contrib.gis.db.models import Extent
from django.db.models import Max
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from geo_civic.web import rate_limits
from geo_civic.web.params import ParameterError, single_values
from geo_civic.web.problems import problem, problem_of
from layers import exports, throttle, tiles
from layers.filters import Selection, select
from layers.freshness import conditional, etag_matches
from layers.geojson import feature_collection
from layers.provenance import notice, sources_of
from layers.registry import LAYERS, Layer, get_layer

TILE_MAX_AGE_S = 300
MAP_PAGE_POLICY = "sandbox allow-scripts allow-popups"
TILEJSON_TYPES = {"integer": "Number", "number": "Number", "boolean": "Boolean"}


def unknown_layer(name: str) -> JsonResponse:
    return problem(f"unknown layer {name!r}", 404, layers=sorted(LAYERS))


def metadata(selection: Selection) -> dict:
    """The ``metadata`` member: what the layer is, where its rows come from, under which licence."""
    layer = selection.layer
    sources = sources_of(selection)
    return {
        "layer": layer.name,
        "title": layer.title,
        "description": layer.description,
        "licence": "; ".join(sorted({s.licence for s in sources})),
        "sources": [s.as_dict() for s in sources],
        "filters": selection.params,
    }


def geojson_response(request: HttpRequest, selection: Selection) -> HttpResponse:
    next_link = None
    if selection.limit is not None:
        next_link = {
            "rel": "next",
            "type": "application/geo+json",
            "href": request.build_absolute_uri(
                f"{request.path}?{urlencode(selection.next_params())}"
            ),
        }
    stream = feature_collection(
        selection, members={"metadata": metadata(selection)}, next_link=next_link
    )
    return StreamingHttpResponse(stream, content_type="application/geo+json")


@require_safe
def layer_geojson(request: HttpRequest, name: str) -> HttpResponse:
    return layer_export(request, name, "geojson")


@require_safe
def layer_export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    layer = get_layer(name)
    if layer is None:
        return unknown_layer(name)
    if fmt not in layer.formats:
        return problem(f"unknown format {fmt!r}", 404, formats=list(layer.formats))
    option_names = exports.FORMAT_OPTIONS.get(fmt, ())
    try:
        params = single_values(request.GET)
        options = {k: v for k, v in params.items() if k in option_names}
        selection = select(layer, params, ignore=option_names)
        variant = f"{fmt}?{urlencode(sorted(options.items()))}"
        if fmt == "geojson":
            return conditional(
                request, selection, variant, lambda: geojson_response(request, selection)
            )
        # A client whose copy is current gets its 304 without spending its export quota.
        return conditional(
            request, selection, variant, lambda: file_response(request, selection, fmt, options)
        )
    except ParameterError as exc:
        return problem_of(exc)
    except exports.ExportError as exc:
        return problem(str(exc))


def file_response(
    request: HttpRequest, selection: Selection, fmt: str, options: dict[str, str]
) -> HttpResponse:
    if wait := throttle.seconds_until_allowed(request):
        return rate_limits.too_many_requests(request, wait, as_json=True, what="exports")
    export = exports.export(selection, fmt, options)
    response = FileResponse(
        export.open(),
        content_type=export.content_type,
        as_attachment=fmt != "html",
        filename=export.filename,
    )
    if fmt == "html":
        # folium's page runs inline scripts, which our site-wide policy forbids. Shown on our
        # origin, it gets a policy of its own: scripts run, but in a sandbox, an opaque origin
        # with no access to our cookies, storage or pages.
        response["Content-Security-Policy"] = MAP_PAGE_POLICY
        response._csp_exempt = True  # django-csp leaves this response's policy alone
    return response


def _tile_selection(request: HttpRequest, layer: Layer) -> Selection:
    params = single_values(request.GET)
    for name in ("limit", "offset"):
        if name in params:
            raise ParameterError(f"{name} does not apply to tiles (each tile has its own cap)")
    return select(layer, params)


@require_safe
def layer_tile(request: HttpRequest, name: str, z: str, x: str, y: str) -> HttpResponse:
    layer = get_layer(name)
    if layer is None:
        return unknown_layer(name)
    try:
        selection = _tile_selection(request, layer)
        data = tiles.tile(selection, int(z), int(x), int(y))
    except ParameterError as exc:
        return problem_of(exc)
    except tiles.TileNotFound as exc:
        return problem(str(exc), 404)
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    if etag_matches(request, etag):
        response = HttpResponse(status=304)
    elif not data:
        response = HttpResponse(status=204)
    else:
        response = HttpResponse(data, content_type="application/vnd.mapbox-vector-tile")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={TILE_MAX_AGE_S}"
    return response


@require_safe
def layer_tilejson(request: HttpRequest, name: str) -> HttpResponse:
    layer = get_layer(name)
    if layer is None:
        return unknown_layer(name)
    try:
        selection = _tile_selection(request, layer)
    except ParameterError as exc:
        return problem_of(exc)
    query = f"?{urlencode(selection.params)}" if selection.params else ""
    template = request.build_absolute_uri(f"/tiles/{layer.name}/") + "{z}/{x}/{y}.pbf" + query
    extent = selection.queryset.aggregate(extent=Extent(layer.geometry))["extent"]
    bounds = list(extent) if extent else [-180, -85.0511, 180, 85.0511]
    document = {
        "tilejson": "3.0.0",
        "name": layer.title,
        "description": layer.description,
        "attribution": notice(layer.title, sources_of(selection)),
        "scheme": "xyz",
        "tiles": [template],
        "minzoom": 0,
        "maxzoom": tiles.MAX_ZOOM,
        "bounds": bounds,
        "center": [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 8],
        "vector_layers": [
            {
                "id": layer.name,
                "description": layer.description,
                "fields": {
                    name: TILEJSON_TYPES.get(kind, "String")
                    for name, kind in layer.property_types().items()
                },
            }
        ],
    }
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    return response


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    """``/data/``: every layer with its formats, feature count, last update and licence."""
    entries = []
    for layer in LAYERS.values():
        selection = select(layer, {})
        updated = (
            selection.queryset.aggregate(last=Max(layer.updated_field))["last"]
            if layer.updated_field
            else None
        )
        entries.append(
            {
                "layer": layer,
                "count": selection.queryset.count(),
                "updated": updated,
                "sources": sources_of(selection),
                "links": [
                    (fmt, reverse("layer-export", kwargs={"name": layer.name, "fmt": fmt}))
                    for fmt in layer.formats
                ],
                "tilejson": reverse("layer-tilejson", kwargs={"name": layer.name}),
            }
        )
    return render(
        request,
        "layers/catalogue.html",
        {"entries": entries, "ogc_url": request.build_absolute_uri(reverse("ogc-landing"))},
    )
