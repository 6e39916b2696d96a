"""A per-client limit on file exports, the one endpoint that runs a GDAL process per request.

A fixed one-minute window counted in Django's cache: with the default local-memory cache each
server process counts on its own, so a deployment with several processes sets a shared cache.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_PER_MINUTE = 30
WINDOW_S = 60


def seconds_until_allowed(request: HttpRequest) -> int:
    """0 when this export may run now (and count it); else the seconds to wait."""
    limit = int(getattr(settings, "GEO_CIVIC_EXPORTS_PER_MINUTE", DEFAULT_PER_MINUTE))
    if limit <= 0:
        return 0
    now = time.time()
    window = int(now // WINDOW_S)
    key = f"geocivic-exports:{request.META.get('REMOTE_ADDR', '')}:{window}"
    cache.add(key, 0, timeout=WINDOW_S * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=WINDOW_S * 2)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * WINDOW_S - now))
