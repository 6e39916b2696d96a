"""Remote actors and their keys, fetched SSRF-safe (public addresses only unless
``GEO_CIVIC_FEDERATION_ALLOW_PRIVATE``), size- and time-capped, cached in :class:`RemoteActor`."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any
from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from django.utils import timezone

from geo_civic.federation import signatures
from geo_civic.federation.keys import key_pair
from geo_civic.federation.local import site
from geo_civic.federation.models import RemoteActor
from geo_civic.outbound import public_addresses

MAX_BYTES = 1024 * 1024
TIMEOUT_S = 10
CACHE_FOR = timedelta(days=1)
ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
USER_AGENT = "GeoCivic/0.1 (ActivityPub)"


class FetchFailed(Exception):
    """A remote document could not be had, or is not what it claims (the reason in words)."""


def allow_private() -> bool:
    return getattr(settings, "GEO_CIVIC_FEDERATION_ALLOW_PRIVATE", False)


def opener() -> urllib.request.OpenerDirector:
    return public_addresses.opener(allow_private(), purpose="federates only with")


def fetch_json(url: str, base: str = "") -> dict[str, Any]:
    """The JSON object at ``url``, asked as ActivityStreams; signed by our site's actor when our
    origin ``base`` is known (servers in secure mode answer signed requests only)."""
    try:
        public_addresses.require_http(url)
        headers = {"Accept": ACCEPT, "User-Agent": USER_AGENT}
        if base:
            signer = site()
            private_pem = key_pair(signer.kind, signer.key).private_pem
            headers |= signatures.sign("GET", url, signer.key_id(base), private_pem)
        request = urllib.request.Request(url, headers=headers)
        with opener().open(request, timeout=TIMEOUT_S) as response:
            body = response.read(MAX_BYTES + 1)
    except (public_addresses.Refused, public_addresses.Unresolvable) as exc:
        raise FetchFailed(str(exc)) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise FetchFailed(f"could not fetch {url[:200]}: {exc}") from None
    if len(body) > MAX_BYTES:
        raise FetchFailed(f"{url[:200]}: larger than {MAX_BYTES} bytes")
    try:
        document = json.loads(body)
    except ValueError:
        raise FetchFailed(f"{url[:200]}: not JSON") from None
    if not isinstance(document, dict):
        raise FetchFailed(f"{url[:200]}: not a JSON object")
    return document


def _text(document: dict, name: str) -> str:
    value = document.get(name)
    return value if isinstance(value, str) else ""


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _store(document: dict[str, Any], key_id: str | None = None) -> RemoteActor:
    """Cache the actor ``document``; its publicKey must be ``key_id`` when one is asked."""
    uri, inbox = _text(document, "id"), _text(document, "inbox")
    key = document.get("publicKey")
    if isinstance(key, list):
        key = next((k for k in key if isinstance(k, dict) and k.get("id") == key_id), None)
    if not uri or not inbox or not isinstance(key, dict):
        raise FetchFailed("the remote actor has no id, inbox or publicKey")
    if key_id and key.get("id") != key_id:
        raise FetchFailed("the remote actor does not hold that key")
    if _origin(key["id"]) != _origin(uri) or _origin(inbox) != _origin(uri):
        # A server speaks for its own actors only: no taking over another server's actor.
        raise FetchFailed("the actor, its key and its inbox are not on one server")
    if key.get("owner", uri) != uri or not _text(key, "publicKeyPem"):
        raise FetchFailed("the key does not belong to that actor")
    for url in (uri, inbox):
        public_addresses.require_http(url)
    endpoints = document.get("endpoints") if isinstance(document.get("endpoints"), dict) else {}
    actor, _ = RemoteActor.objects.update_or_create(
        uri=uri,
        defaults={
            "inbox": inbox,
            "shared_inbox": _text(endpoints, "sharedInbox"),
            "key_id": key["id"],
            "public_key_pem": key["publicKeyPem"],
            "username": _text(document, "preferredUsername")[:200],
            "fetched_at": timezone.now(),
        },
    )
    return actor


def by_key_id(key_id: str, refresh: bool = False, base: str = "") -> RemoteActor:
    """The remote actor owning ``key_id``: from the cache when fresh, else fetched (a key's
    document may be the actor itself, ``…#main-key``, or a key naming its owner)."""
    if not refresh:
        cached = RemoteActor.objects.filter(
            key_id=key_id, fetched_at__gte=timezone.now() - CACHE_FOR
        ).first()
        if cached:
            return cached
    url = urldefrag(key_id).url
    document = fetch_json(url, base)
    if "inbox" not in document and isinstance(document.get("owner"), str):
        url = document["owner"]
        document = fetch_json(url, base)
    if _origin(_text(document, "id")) != _origin(url):
        raise FetchFailed("the document fetched names an actor of another server")
    try:
        return _store(document, key_id)
    except public_addresses.Refused as exc:
        raise FetchFailed(str(exc)) from None
