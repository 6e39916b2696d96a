"""``/api/layers/<layer>.<format>``: one URL scheme for every format, the filters as parameters."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.views.decorators.http import require_safe

from layers import exports
from layers.filters import FilterError, Selection, select
from layers.geojson import feature_collection
from layers.provenance import sources_of
from layers.registry import LAYERS, Layer, get_layer


def unknown_layer(name: str) -> JsonResponse:
    return JsonResponse({"error": f"unknown layer {name!r}", "layers": sorted(LAYERS)}, status=404)


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
        return JsonResponse(
            {"error": f"unknown format {fmt!r}", "formats": list(layer.formats)}, status=404
        )
    options = exports.FORMAT_OPTIONS.get(fmt, ())
    try:
        selection = select(layer, request.GET.dict(), ignore=options)
        if fmt == "geojson":
            return geojson_response(request, selection)
        return file_response(layer, selection, fmt, request.GET.dict())
    except (FilterError, exports.ExportError) as exc:
        return JsonResponse({"error": str(exc)}, status=400)


def file_response(layer: Layer, selection: Selection, fmt: str, params: dict) -> HttpResponse:
    options = {k: v for k, v in params.items() if k in exports.FORMAT_OPTIONS.get(fmt, ())}
    export = exports.export(selection, fmt, options)
    response = FileResponse(
        export.open(),
        content_type=export.content_type,
        as_attachment=fmt != "html",
        filename=export.filename,
    )
    return response
