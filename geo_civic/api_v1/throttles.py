"""Rate limits of ``/api/v1/``: rates read from settings at each request (so tests and deployers
change them), and none at all with ``GEO_CIVIC_THROTTLE=off``."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class _SettingsRateThrottle(SimpleRateThrottle):
    def __init__(self) -> None:  # rates come from settings when asked, not at import
        pass

    def get_rate(self) -> str | None:
        return settings.GEO_CIVIC_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        if not settings.GEO_CIVIC_THROTTLE:
            return True
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class ClientRateThrottle(_SettingsRateThrottle):
    """Every request: per token when one is used, per account for a session, else per address."""

    def allow_request(self, request, view) -> bool:
        self.scope = "user" if request.user.is_authenticated else "anon"
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        if not request.user.is_authenticated:
            return f"throttle_anon_{self.get_ident(request)}"
        digest = getattr(request.auth, "digest", None)  # a knox token
        return f"throttle_token_use_{digest}" if digest else f"throttle_user_{request.user.pk}"


class AddressRateThrottle(_SettingsRateThrottle):
    """Every request per client address, whoever signs it: many tokens from one address
    (or many accounts) share one budget."""

    scope = "ip"

    def get_cache_key(self, request, view) -> str:
        return f"throttle_ip_{self.get_ident(request)}"


class WriteRateThrottle(_SettingsRateThrottle):
    """Writes (proposals, comments, amendments, ballots) per person."""

    scope = "write"

    def get_cache_key(self, request, view) -> str | None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return f"throttle_write_{ident}"


class TokenRateThrottle(_SettingsRateThrottle):
    """Token requests per address (django-axes also locks a user name out)."""

    scope = "token"

    def get_cache_key(self, request, view) -> str:
        return f"throttle_token_{self.get_ident(request)}"


# Every operation of /api/v1/: per token (or account, or address) and per address; writes also per
# person.
THROTTLES = [ClientRateThrottle, AddressRateThrottle, WriteRateThrottle]
