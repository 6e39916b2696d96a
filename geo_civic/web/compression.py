"""Gzip for the data answers (JSON, GeoJSON, vector tiles, exports, feeds), never for pages.

BREACH recovers a secret from the size of compressed answers that also reflect what an attacker
sends. Our HTML pages hold CSRF tokens next to reflected input (the language form's ``next``),
so they are never compressed. Data answers hold public data and no token; an answer that varies
on the cookie (it depends on who asks, so it may carry something of theirs) stays uncompressed
too. Static files are compressed ahead of time by whitenoise, not here. Streamed answers stay
streamed: Django's middleware compresses them chunk by chunk.
"""

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import cc_delim_re

COMPRESSED_TYPES = frozenset(
    {
        "application/json",
        "application/geo+json",
        "application/problem+json",
        "application/manifest+json",
        "application/schema+json",
        "application/vnd.oai.openapi+json",
        "application/vnd.mapbox-vector-tile",
        "application/vnd.google-earth.kml+xml",
        "application/gpx+xml",
        "application/geopackage+sqlite3",
        "application/flatgeobuf",
        "application/atom+xml",
        "application/rss+xml",
        "text/csv",
        "text/calendar",
        "text/javascript",
    }
)


def _media_type(response: HttpResponseBase) -> str:
    return response.get("Content-Type", "").split(";")[0].strip().lower()


def _varies_on_cookie(response: HttpResponseBase) -> bool:
    vary = cc_delim_re.split(response.get("Vary", ""))
    return any(field.strip().lower() == "cookie" for field in vary)


class DataCompressionMiddleware(GZipMiddleware):
    """Django's gzip middleware, for public data answers only (see the module's docstring)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if _media_type(response) not in COMPRESSED_TYPES or _varies_on_cookie(response):
            return response
        return super().process_response(request, response)
