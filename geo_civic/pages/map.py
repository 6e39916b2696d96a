"""The pages residents open: the map, its embeddable twin, and what makes it an installable app."""

import hashlib
import json

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from geo_civic.actors import kinds
from geo_civic.actors.models import Actor
from geo_civic.pages import app_manifest, frontend_build
from geo_civic.pages.catalogue import catalogue_url
from geo_civic.participation import statuses
from geo_civic.territories.models import CURRENT, Commune
from geo_civic.web.basemap import basemap_config, tile_origin
from layers import first_view
from layers.categories import categories_in_use

# The kind filters of the map, as a resident reads them.


@require_safe
def map_page(request: HttpRequest, embed: bool = False) -> HttpResponse:
    """The full-screen map; it fetches its layers for the current view from the layers API."""
    communes = Commune.objects.filter(CURRENT)
    extent = communes.aggregate(extent=Extent("boundary"))["extent"]
    config = {
        "basemap": basemap_config(),
        "bounds": [[extent[1], extent[0]], [extent[3], extent[2]]] if extent else None,
        "communeCount": communes.count(),
        # With few actors in all, every view gets its actors with its counts, in parallel.
        "actorCount": Actor.objects.filter(status=Actor.Status.PUBLISHED).count(),
        "layers": {
            "actors": reverse("layer-geojson", kwargs={"name": "actors"}),
            "actorsCsv": reverse("layer-export", kwargs={"name": "actors", "fmt": "csv"}),
            "perCommune": reverse("layer-geojson", kwargs={"name": "actors-per-commune"}),
            "clusters": reverse("map-clusters"),
            "proposals": reverse("layer-geojson", kwargs={"name": "proposals"}),
        },
        # Vector tiles: the whole country's boundaries without one huge GeoJSON.
        "communeTiles": "/tiles/communes/{z}/{x}/{y}.pbf",
        "nearbyUrl": reverse("nearby"),
        "placesUrl": reverse("places"),
        "embedUrl": reverse("embed"),
        "serviceWorkerUrl": reverse("service-worker"),
        "kinds": kinds.for_the_map(),
        "proposalStatuses": statuses.for_the_map(),

        # What the default view asks the API for, preloaded beside the map's code: no round
        # trip waits for the code before the first markers (layers/first_view.py).
        "firstViewUrl": first_view.url_for_page(extent),
        # The category filter needs no request either.
        "categories": categories_in_use(),
    }
    context = {"config": config, "embed": embed, "kinds": kinds.KINDS}
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
            "icons": [{"src": "/" + icon.lstrip("/"), "sizes": "any", "type": "image/svg+xml"},
                      *app_manifest.png_icons()],
            **app_manifest.app_extras(),
        },
        content_type="application/manifest+json",
    )


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the site root so that it may control every page.

    Its precache list is the map's bundle as built (static_build/entries.json) under the names
    the static storage gives it; the list's hash names the cache, so a deployment replaces it.
    """
    shell = [
        reverse("map"),
        # Every language's: the worker is fetched without the page's language.
        *(catalogue_url(language) for language, _name in settings.LANGUAGES),
        reverse("manifest"),
        "/" + static("geo_civic/icon.svg").lstrip("/"),
        *frontend_build.page_files("map"),
    ]
    cache = "geocivic-" + hashlib.sha256(json.dumps(shell).encode()).hexdigest()[:12]
    # Hashed names never change (production): the cached copy is used without asking.
    immutable = isinstance(staticfiles_storage, ManifestFilesMixin)
    script = (frontend_build.build_dir() / "sw.js").read_text()
    head = (
        f"const CACHE = {json.dumps(cache)};\nconst PRECACHE = {json.dumps(shell)};\n"
        f"const IMMUTABLE = {json.dumps(immutable)};\n"
        f"const BASEMAP = {json.dumps(basemap_config()['url'])};\n"
    )
    response = HttpResponse(head + script, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    # The worker fetches the basemap tiles the page shows (to keep them): its own CSP lets it.
    response._csp_update = {"connect-src": [tile_origin(basemap_config()["url"])]}
    return response
