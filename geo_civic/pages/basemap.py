"""The basemap's tile host, let through the Content Security Policy of every page.

Read from the settings on each response, so a configured basemap (or a test's) just works.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
