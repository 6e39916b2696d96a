"""The pages residents open: the map, its embeddable twin, and what makes it an installable app."""

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from geo_civic.actors import kinds
from geo_civic.territories.models import CURRENT, Commune
from geo_civic.web.basemap import basemap_config

# The kind filters of the map, as a resident reads them.


# The map's own ES modules, preloaded by the page (see templates/map.html).
MAP_MODULES = [
    f"geo_civic/{name}.js"
    for name in (
        "map",
        "i18n",
        "kinds",
        "url-state",
        "map-layers",
        "commune-tiles",
        "popup",
        "results-panel",
        "place-search",
        "actor-search",
        "category-filter",
        "near-me",
    )
]


@require_safe
def map_page(request: HttpRequest, embed: bool = False) -> HttpResponse:
    """The full-screen map; it fetches its layers for the current view from the layers API."""
    communes = Commune.objects.filter(CURRENT)
    extent = communes.aggregate(extent=Extent("boundary"))["extent"]
    config = {
        "basemap": basemap_config(),
        "bounds": [[extent[1], extent[0]], [extent[3], extent[2]]] if extent else None,
        "communeCount": communes.count(),
        "layers": {
            "actors": reverse("layer-geojson", kwargs={"name": "actors"}),
            "actorsCsv": reverse("layer-export", kwargs={"name": "actors", "fmt": "csv"}),
            "perCommune": reverse("layer-geojson", kwargs={"name": "actors-per-commune"}),
            "clusters": reverse("map-clusters"),
        },
        # Vector tiles: the whole country's boundaries without one huge GeoJSON.
        "communeTiles": "/tiles/communes/{z}/{x}/{y}.pbf",
        "categoriesUrl": reverse("api-categories"),
        "nearbyUrl": reverse("nearby"),
        "placesUrl": reverse("places"),
        "embedUrl": reverse("embed"),
        "serviceWorkerUrl": reverse("service-worker"),
        "kinds": kinds.for_the_map(),
    }
    context = {"config": config, "embed": embed, "kinds": kinds.KINDS, "modules": MAP_MODULES}
    return render(request, "map.html", context)


@xframe_options_exempt
def embed_page(request: HttpRequest) -> HttpResponse:
    """The map for a town hall's or an association's site: any site may frame it."""
    response = map_page(request, embed=True)
    response._csp_replace = {"frame-ancestors": ["*"]}
    return response


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: GeoCivic can be installed on a phone's home screen."""
    icon = settings.STATIC_URL + "geo_civic/icon.svg"
    return JsonResponse(
        {
            "name": "GeoCivic",
            "short_name": "GeoCivic",
            "description": _("Who does what around you, on the map of your commune"),
            "lang": request.LANGUAGE_CODE,
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b5d3b",
            "icons": [{"src": "/" + icon.lstrip("/"), "sizes": "any", "type": "image/svg+xml"}],
        },
        content_type="application/manifest+json",
    )


@require_safe
def service_worker(request: HttpRequest) -> FileResponse:
    """The service worker, served from the site root so that it may control every page."""
    response = FileResponse(
        open(finders.find("geo_civic/sw.js"), "rb"), content_type="text/javascript"
    )
    response["Cache-Control"] = "no-cache"
    return response
