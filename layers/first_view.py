"""``/api/map/first-view``: what the map's default view asks for, fetched with the page.

On a phone over a slow network each API round trip that waits for the map's code costs a latency
and a turn of the server. This answer holds the counts (``/api/map/clusters``) and the actors
(``/api/layers/actors.geojson``) of the territory's extent with the default filters, as those
endpoints answer them; the map page preloads it (``<link rel=preload>``) beside its code, under a
URL naming the data's version (``?v=``), so it is downloaded once per version, compressed (the
page itself is not: it carries a CSRF token), and a repeat visit reads it from the HTTP cache.
The map draws it at once and still asks the API for its exact view (the browser's window decides
it); an identical answer is not drawn twice.
"""

from __future__ import annotations

import hashlib
import json
import math
from functools import lru_cache

from django.contrib.gis.db.models import Extent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from geo_civic.territories.models import CURRENT, Commune
from geo_civic.web.params import ParameterError, single_values
from geo_civic.web.problems import problem_of
from layers.clusters import MAX_ZOOM, grid_clusters, view_summary
from layers.filters import select
from layers.freshness import etag_matches
from layers.freshness import version as selection_version
from layers.geojson import feature_collection
from layers.registry import get_layer

# Above this many actors the page carries the counts and grid clusters only: the actors would
# make the page heavier than the round trip they save.
INLINE_ACTORS = 300
PAD = 0.05  # the map pads its view by this much when it asks (map-layers.js bboxParam)
PHONE_MAP = (390, 700)  # pixels: the zoom the grid clusters are made for


def padded_bbox(extent: tuple[float, float, float, float]) -> str:
    """``west,south,east,north`` of the extent padded as the map pads its view, 5 decimals."""
    west, south, east, north = extent
    dx, dy = (east - west) * PAD, (north - south) * PAD
    box = (
        max(-180.0, west - dx),
        max(-90.0, south - dy),
        min(180.0, east + dx),
        min(90.0, north + dy),
    )
    return ",".join(f"{v:.5f}" for v in box)


def _mercator_y(lat: float) -> float:
    lat = max(-85.0511, min(85.0511, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_zoom(extent: tuple[float, float, float, float], size: tuple[int, int] = PHONE_MAP) -> int:
    """The whole zoom at which Leaflet's ``fitBounds`` shows the extent in a map of ``size``."""
    west, south, east, north = extent
    width = max(east - west, 1e-9) / 360
    height = max(_mercator_y(north) - _mercator_y(south), 1e-9) / (2 * math.pi)
    zoom = math.floor(min(math.log2(size[0] / 256 / width), math.log2(size[1] / 256 / height)))
    return max(0, min(MAX_ZOOM, zoom))


def first_view(extent: tuple[float, float, float, float] | None) -> dict | None:
    """``{bbox, zoom, summary, features}`` for the actors of the extent with the map's default
    filters; ``features`` is None when there are more than ``INLINE_ACTORS``."""
    if extent is None:
        return None
    layer = get_layer("actors")
    params = {"bbox": padded_bbox(extent)}
    zoom = fit_zoom(extent)
    summary = view_summary(params)
    summary["clusters"] = grid_clusters(select(layer, params).queryset, zoom)
    features = None
    if summary["total"] <= INLINE_ACTORS:
        selection = select(layer, {**params, "limit": str(INLINE_ACTORS)})
        features = json.loads(b"".join(feature_collection(selection)))["features"]
    return {"bbox": params["bbox"], "zoom": zoom, "summary": summary, "features": features}


def territory_extent() -> tuple[float, float, float, float] | None:
    """``west, south, east, north`` of the current communes, or None without any."""
    return Commune.objects.filter(CURRENT).aggregate(extent=Extent("boundary"))["extent"]


def current_version(extent: tuple[float, float, float, float] | None) -> str:
    """Changes whenever the answer would: the actors and categories (the layer's ETag, see
    ``layers.freshness``) and the territory's extent."""
    etag, _ = selection_version(select(get_layer("actors"), {}), "first-view")
    return hashlib.sha256(json.dumps([etag, extent]).encode()).hexdigest()[:16]


def url_for_page(extent: tuple[float, float, float, float] | None) -> str | None:
    """The versioned URL the map page preloads, or None when there is no territory to show."""
    if extent is None:
        return None
    return f"{reverse('map-first-view')}?v={current_version(extent)}"


@lru_cache(maxsize=4)
def _answer(version: str, extent: tuple[float, float, float, float]) -> bytes:
    # Every visitor of a version gets the same bytes: computed once per version and process.
    return json.dumps(first_view(extent), ensure_ascii=False).encode()


@require_safe
def first_view_answer(request: HttpRequest) -> HttpResponse:
    """``/api/map/first-view?v=``: ``{bbox, zoom, summary, features}`` (see the module)."""
    try:
        asked = single_values(request.GET, known=("v",)).get("v")
    except ParameterError as error:
        return problem_of(error)
    extent = territory_extent()
    if extent is None:
        return JsonResponse(None, safe=False)
    version = current_version(extent)
    etag = f'"{version}"'
    if etag_matches(request, etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(_answer(version, tuple(extent)), content_type="application/json")
    response["ETag"] = etag
    # Under the URL of its version, the answer never changes; any other URL revalidates.
    response["Cache-Control"] = (
        "public, max-age=31536000, immutable" if asked == version else "public, no-cache"
    )
    return response
