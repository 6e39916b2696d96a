"""Rate limits on what costs us or others something: exports, e-mails sent, reports, previews.

Counted in Django's cache (each process alone with the local-memory cache; a deployment with
several processes configures a shared cache such as Redis), in fixed windows, per client address
and, where there is one, per account. ``GEO_CIVIC_THROTTLE=off`` turns every limit off.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import ngettext

from geo_civic.web.problems import problem

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400}
RATE = re.compile(r"(\d+)/(\d*)([smhd])")


@dataclass(frozen=True)
class Rate:
    """At most ``count`` requests in each window of ``seconds``."""

    count: int
    seconds: int


def parse_rate(text: str) -> Rate | None:
    """``"5/h"``, ``"20/15m"``, ``"30/m"``…; ``"0"`` or ``"off"`` is no limit (None)."""
    text = text.strip().lower()
    if text in {"0", "off", "none"}:
        return None
    match = RATE.fullmatch(text)
    if not match or int(match[1]) == 0 or int(match[2] or 1) == 0:
        raise ImproperlyConfigured(
            f"rate {text!r}: expected COUNT/UNIT such as 5/h or 20/15m (units s, m, h, d), or off"
        )
    return Rate(int(match[1]), int(match[2] or 1) * UNITS[match[3]])


def throttling_on() -> bool:
    return bool(getattr(settings, "GEO_CIVIC_THROTTLE", True))


def client_ip(request: HttpRequest) -> str:
    """The client's IP address: ``REMOTE_ADDR``, or behind ``GEO_CIVIC_PROXY_COUNT`` reverse
    proxies the address the outermost one saw, the Nth from the right in X-Forwarded-For (what is
    left of it, the client wrote). django-axes uses it too (``AXES_CLIENT_IP_CALLABLE``)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = int(getattr(settings, "GEO_CIVIC_PROXY_COUNT", 0))
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if count <= 0 or len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


def client_address(request: HttpRequest) -> str:
    """Who a limit counts: the client's IP, an IPv6 one as its /64 (one host holds all of it)."""
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _cache_key(scope: str, who: str, window: int) -> str:
    # Hashed: the cache holds no e-mail address, and any key fits memcached's rules.
    digest = hashlib.sha256(who.encode()).hexdigest()[:32]
    return f"geocivic-rate:{scope}:{digest}:{window}"


def seconds_to_wait(scope: str, rate: Rate | None, *who: str) -> int:
    """0 when a request of ``scope`` from every one of ``who`` is within ``rate`` (and count it
    for each); else the seconds until it would be, and count nothing: a refusal costs no quota."""
    if rate is None or not throttling_on():
        return 0
    now = time.time()
    window = int(now // rate.seconds)
    keys = [_cache_key(scope, w, window) for w in who if w]
    counts = cache.get_many(keys)
    if any(counts.get(key, 0) >= rate.count for key in keys):
        return max(1, math.ceil((window + 1) * rate.seconds - now))
    for key in keys:
        cache.add(key, 0, timeout=rate.seconds * 2)
        try:
            cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=rate.seconds * 2)
    return 0


def limit_request(scope: str, request: HttpRequest, account: str = "") -> int:
    """:func:`seconds_to_wait` for the client's address and ``account`` (an e-mail address or a
    user id), at the rate of the setting ``GEO_CIVIC_RATE_<SCOPE>``."""
    rate = parse_rate(getattr(settings, f"GEO_CIVIC_RATE_{scope.upper()}"))
    who = [f"ip:{client_address(request)}"] + ([f"account:{account.lower()}"] if account else [])
    return seconds_to_wait(scope, rate, *who)


def wait_text(seconds: int) -> str:
    if seconds < 120:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def too_many_requests(
    request: HttpRequest, seconds: int, *, as_json: bool = False, what: str = ""
) -> HttpResponse:
    """A 429 with ``Retry-After``: a page for a person, a problem (RFC 9457) with
    ``retry_after`` for a program (``as_json``, or a client that accepts JSON and not HTML).
    ``what`` names what was refused."""
    if as_json or (request.accepts("application/json") and not request.accepts("text/html")):
        # In English, like every error of the API.
        message = f"too many {what or 'requests'}: try again in {seconds} s"
        response = problem(message, 429, retry_after=seconds)
    else:
        page = render_to_string(
            "too_many_requests.html", {"wait": wait_text(seconds)}, request=request
        )
        response = HttpResponse(page, status=429)
    response["Retry-After"] = str(seconds)
    return response


def throttle_off_warning(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Said at every start (runserver, migrate, check): production refuses to start instead."""
    if throttling_on():
        return []
    return [
        checks.Warning(
            "GEO_CIVIC_THROTTLE is off: no rate limit and no login lockout apply.",
            hint="For tests and load benchmarks only; unset GEO_CIVIC_THROTTLE otherwise.",
            id="geo_civic.W002",
        )
    ]
