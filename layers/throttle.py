"""A per-client limit on file exports, the one endpoint that runs a GDAL process per request.

``GEO_CIVIC_EXPORTS_PER_MINUTE`` per client address, counted by :mod:`geo_civic.web.rate_limits`.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from geo_civic.web import rate_limits

DEFAULT_PER_MINUTE = 30


def seconds_until_allowed(request: HttpRequest) -> int:
    """0 when this export may run now (and count it); else the seconds to wait."""
    limit = int(getattr(settings, "GEO_CIVIC_EXPORTS_PER_MINUTE", DEFAULT_PER_MINUTE))
    rate = rate_limits.Rate(limit, 60) if limit > 0 else None
    return rate_limits.seconds_to_wait("exports", rate, f"ip:{rate_limits.client_address(request)}")
