"""The site's writes of local democracy count against the API's write rate (one quota a person)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from rest_framework.throttling import SimpleRateThrottle

from geo_civic.web import rate_limits


def too_fast(request: HttpRequest) -> HttpResponse | None:
    """A 429 page when ``request.user`` writes faster than ``GEO_CIVIC_THROTTLE_RATES["write"]``."""
    text = settings.GEO_CIVIC_THROTTLE_RATES.get("write")
    if not text or not settings.GEO_CIVIC_THROTTLE:
        return None
    count, seconds = SimpleRateThrottle.parse_rate(None, text)
    rate = rate_limits.Rate(count, seconds)
    wait = rate_limits.seconds_to_wait("democracy-write", rate, f"account:{request.user.pk}")
    return rate_limits.too_many_requests(request, wait) if wait else None
