"""The public documents of our actors: WebFinger's JRD, the actor, its followers collection
(a count only: who follows is private) and NodeInfo 2.1."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from geo_civic.federation.keys import key_pair
from geo_civic.federation.local import CONTEXT, LocalActor, host_of
from geo_civic.federation.models import Follower

AP_TYPE = "application/activity+json"
ICON = "/static/geo_civic/icon.svg"


def webfinger(local: LocalActor, base: str) -> dict[str, Any]:
    """The JRD of ``acct:<username>@<host>`` (RFC 7033)."""
    return {
        "subject": f"acct:{local.username}@{host_of(base)}",
        "aliases": [local.id(base), base + local.page],
        "links": [
            {"rel": "self", "type": AP_TYPE, "href": local.id(base)},
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": base + local.page,
            },
        ],
    }


def actor(local: LocalActor, base: str) -> dict[str, Any]:
    """The actor document: what Mastodon and Mobilizon read to follow and to check signatures."""
    ident = local.id(base)
    return {
        "@context": CONTEXT,
        "id": ident,
        "type": local.ap_type,
        "preferredUsername": local.username,
        "name": local.name,
        "summary": local.summary,
        "url": base + local.page,
        "icon": {"type": "Image", "mediaType": "image/svg+xml", "url": base + ICON},
        "inbox": ident + "/inbox",
        "outbox": ident + "/outbox",
        "followers": ident + "/followers",
        "endpoints": {"sharedInbox": base + "/ap/inbox"},
        "publicKey": {
            "id": local.key_id(base),
            "owner": ident,
            "publicKeyPem": key_pair(local.kind, local.key).public_pem,
        },
    }


def follower_count(local: LocalActor) -> int:
    return Follower.objects.filter(
        local_kind=local.kind, local_key=local.key, accepted=True
    ).count()


def followers(local: LocalActor, base: str) -> dict[str, Any]:
    """The followers collection: its size only, never its members."""
    return {
        "@context": CONTEXT[0],
        "id": local.id(base) + "/followers",
        "type": "OrderedCollection",
        "totalItems": follower_count(local),
    }


def nodeinfo_index(base: str) -> dict[str, Any]:
    return {
        "links": [
            {
                "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                "href": base + "/nodeinfo/2.1",
            }
        ]
    }


def nodeinfo(local_posts: int, users: int) -> dict[str, Any]:
    """NodeInfo 2.1: software, protocols and usage counts (rounded figures only)."""
    return {
        "version": "2.1",
        "software": {
            "name": "geocivic",
            "version": "0.1.0",
            "repository": "https://github.com/geocivic",
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["atom1.0"]},
        "openRegistrations": True,
        "usage": {"users": {"total": users}, "localPosts": local_posts},
        "metadata": {"nodeName": getattr(settings, "GEO_CIVIC_NODE_NAME", "GeoCivic")},
    }
