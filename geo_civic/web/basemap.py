"""The basemap under every map: its settings as the JS reads them, and its tile host let
through the Content Security Policy of every page.

Read from the settings on each use, so a configured basemap (or a test's) just works.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def basemap_config() -> dict[str, str]:
    """What every map's JS needs of the basemap (the map, mini-maps, the point picker)."""
    return {
        "url": settings.GEO_CIVIC_BASEMAP_URL,
        "attribution": settings.GEO_CIVIC_BASEMAP_ATTRIBUTION,
    }


def tile_origin(url_template: str) -> str:
    """CSP source of a tile URL: ``https://{s}.tile.osm.org/…`` → ``https://*.tile.osm.org``."""
    parts = urlsplit(url_template)
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


class BasemapTilesCSPMiddleware:
    """Add the basemap's origin to ``img-src`` (placed before django-csp's middleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        update = getattr(response, "_csp_update", None) or {}
        update.setdefault("img-src", []).append(tile_origin(settings.GEO_CIVIC_BASEMAP_URL))
        response._csp_update = update
        return response
