from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from geo_civic.territories.models import CURRENT, Commune


def map_page(request: HttpRequest) -> HttpResponse:
    """The full-screen map; it fetches its layers for the current view from the layers API."""
    communes = Commune.objects.filter(CURRENT)
    extent = communes.aggregate(extent=Extent("boundary"))["extent"]
    config = {
        "basemap": {
            "url": settings.GEO_CIVIC_BASEMAP_URL,
            "attribution": settings.GEO_CIVIC_BASEMAP_ATTRIBUTION,
        },
        "bounds": [[extent[1], extent[0]], [extent[3], extent[2]]] if extent else None,
        "communeCount": communes.count(),
        "layers": {
            name: reverse("layer-geojson", kwargs={"name": name}) for name in ("communes", "actors")
        },
    }
    response = render(request, "map.html", {"config": config})
    response._csp_update = {"img-src": [tile_origin(settings.GEO_CIVIC_BASEMAP_URL)]}
    return response


def tile_origin(url_template: str) -> str:
    """The CSP source of a tile URL template: ``https://{s}.tile.osm.org/…`` → ``https://*.tile.osm.org``."""
    parts = urlsplit(url_template)
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"
