"""Read-your-writes with replicas: a client that wrote reads from the primary for a while.

A GET or HEAD may read from a replica (see :mod:`geo_civic.operations.replicas`). Any other
method reads and writes the primary, and marks the client with a short-lived cookie so its next
reads also go to the primary until the replicas have surely caught up: someone who just signed
in, voted or edited sees the result at once. The cookie carries no secret; a client that forges
it only sends its own reads to the primary.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse

from geo_civic.operations.replicas import replica_aliases, replica_reads_allowed

COOKIE = "geocivic_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _recently_wrote(request: HttpRequest) -> bool:
    try:
        return float(request.COOKIES.get(COOKIE, "0")) > time.time()
    except ValueError:
        return False


class PrimaryAfterWritesMiddleware:
    def __init__(self, get_response) -> None:
        if not replica_aliases():
            raise MiddlewareNotUsed  # no replica: nothing to route
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS and not _recently_wrote(request):
            with replica_reads_allowed():
                return self.get_response(request)
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            window = settings.GEO_CIVIC_REPLICA_STICKY_SECONDS
            response.set_cookie(
                COOKIE,
                f"{time.time() + window:.0f}",
                max_age=window,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
