"""Geocode an address with a chain of geopy geocoders, configured in settings.

``GEO_CIVIC_GEOCODERS`` lists them in order (default: ``ban``, ``nominatim``, ``offline``). Each
answer is cached in the database (:class:`GeocodedAddress`); a timeout or an error of one service
is logged and the next one is asked, so the offline commune geocoder always has the last word.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import BANFrance, Nominatim
from geopy.location import Location

from geo_civic.geocoding.models import GeocodedAddress
from geo_civic.geocoding.offline import CommuneGeocoder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Geocoded:
    lon: float
    lat: float
    label: str
    provider: str


def _ban() -> Callable[[str], Location | None]:
    return _shared_ban(
        settings.GEO_CIVIC_BAN_DOMAIN,
        settings.GEO_CIVIC_GEOCODER_SCHEME,
        settings.GEO_CIVIC_GEOCODER_TIMEOUT,
        settings.GEO_CIVIC_GEOCODER_USER_AGENT,
        settings.GEO_CIVIC_BAN_MIN_SCORE,
    )


@functools.cache
def _shared_ban(
    domain: str, scheme: str, timeout: float, user_agent: str, min_score: float
) -> Callable[[str], Location | None]:
    ban = BANFrance(domain=domain, scheme=scheme, timeout=timeout, user_agent=user_agent)

    def geocode(query: str) -> Location | None:
        # BAN always answers with its best guess; a low score is a wrong street elsewhere.
        location = ban.geocode(query)
        score = (location.raw.get("properties") or {}).get("score", 0) if location else 0
        return location if score >= min_score else None

    return geocode


def _nominatim() -> Callable[[str], Location | None]:
    return _shared_nominatim(
        settings.GEO_CIVIC_NOMINATIM_DOMAIN,
        settings.GEO_CIVIC_GEOCODER_SCHEME,
        settings.GEO_CIVIC_GEOCODER_TIMEOUT,
        settings.GEO_CIVIC_GEOCODER_USER_AGENT,
        settings.GEO_CIVIC_NOMINATIM_MIN_DELAY,
    )


@functools.cache
def _shared_nominatim(
    domain: str, scheme: str, timeout: float, user_agent: str, min_delay: float
) -> Callable[[str], Location | None]:
    """One per process, so the rate limit holds across requests and threads (it has a lock)."""
    nominatim = Nominatim(domain=domain, scheme=scheme, timeout=timeout, user_agent=user_agent)
    # Nominatim's usage policy: at most one request a second, no retry storms.
    return RateLimiter(
        nominatim.geocode, min_delay_seconds=min_delay, max_retries=0, swallow_exceptions=False
    )


def _offline() -> Callable[[str], Location | None]:
    return CommuneGeocoder().geocode


FACTORIES: dict[str, Callable[[], Callable[[str], Location | None]]] = {
    "ban": _ban,
    "nominatim": _nominatim,
    "offline": _offline,
}


def query_key(query: str) -> str:
    return re.sub(r"\s+", " ", query).strip().lower()[:500]


class GeocoderChain:
    """Ask each geocoder in turn; the first answer wins and is cached."""

    def __init__(self, names: list[str] | None = None) -> None:
        names = list(settings.GEO_CIVIC_GEOCODERS if names is None else names)
        unknown = sorted(set(names) - set(FACTORIES))
        if unknown:
            raise ValueError(f"unknown geocoder(s) {unknown}, known: {sorted(FACTORIES)}")
        self.geocoders = [(name, FACTORIES[name]()) for name in names]

    def geocode(self, query: str, *, private: bool = False) -> Geocoded | None:
        """``private``: a person's home (a residence): neither cached nor logged."""
        key = query_key(query)
        if not key or "\x00" in key:
            # Not an address (PostgreSQL could not even cache it): nothing is found, nothing asked.
            return None
        cached = GeocodedAddress.objects.filter(query_key=key).first()
        if cached is not None:
            return Geocoded(cached.point.x, cached.point.y, cached.label, cached.provider)
        for name, geocode in self.geocoders:
            try:
                location = geocode(query)
            except GeopyError as exc:
                shown = "a private address" if private else repr(query)
                log.warning(
                    "geocoder %s failed for %s: %s: %s", name, shown, type(exc).__name__, exc
                )
                continue
            if location is None:
                continue
            found = Geocoded(location.longitude, location.latitude, location.address or "", name)
            if private:
                return found
            GeocodedAddress.objects.update_or_create(
                query_key=key,
                defaults={
                    "query": query[:500],
                    "provider": name,
                    "label": found.label[:500],
                    "point": Point(found.lon, found.lat, srid=4326),
                },
            )
            return found
        return None
