"""Our ActivityPub actors: a commune (Group), an actor of the map (Organization for an
organisation, Group for a project, event or place) and a participation space (Group).

Ids live under ``/ap/<communes|actors|spaces>/<key>``, always with the same origin: ``https://``
+ ``GEO_CIVIC_DOMAIN`` when it is set (required in production: ids must not follow a Host header),
else the origin a request came to (``http://127.0.0.1:8000`` on a local server).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from geo_civic.actors.models import Actor
from geo_civic.participation.models import Space
from geo_civic.territories.models import CURRENT, Commune

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"]
INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
PATHS = {"commune": "communes", "actor": "actors", "space": "spaces", "site": "site"}
KINDS = {path: kind for kind, path in PATHS.items()}


def origin(request: HttpRequest | None = None, fallback: str = "") -> str:
    """``scheme://host`` of our ids: the configured domain, else the request's, else
    ``fallback``."""
    domain = getattr(settings, "GEO_CIVIC_DOMAIN", "")
    if domain:
        return f"{settings.GEO_CIVIC_FEDERATION_SCHEME}://{domain}"
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return fallback


def host_of(origin_url: str) -> str:
    """The host (with its port) of ``origin_url``: the part after @ in ``acct:`` names."""
    return origin_url.split("://", 1)[1]


@dataclass(frozen=True)
class LocalActor:
    """One of ours, as the fediverse sees it; ``key`` is the INSEE code or the database id."""

    kind: str
    key: str
    ap_type: str
    username: str
    name: str
    summary: str
    page: str  # path of its page on the site
    record: Any

    def id(self, base: str) -> str:
        return f"{base}/ap/{PATHS[self.kind]}/{self.key}"

    def key_id(self, base: str) -> str:
        return self.id(base) + "#main-key"


def _reverse(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return "/"


def of_commune(commune: Commune) -> LocalActor:
    return LocalActor(
        "commune", commune.code, "Group", commune.code, commune.name,
        f"{commune.name} ({commune.code})", _reverse("commune", commune.code), commune,
    )  # fmt: skip


def of_actor(actor: Actor) -> LocalActor:
    ap_type = "Organization" if actor.kind == Actor.Kind.ORGANISATION else "Group"
    return LocalActor(
        "actor", str(actor.pk), ap_type, actor.slug or f"actor_{actor.pk}", actor.name,
        actor.summary, _reverse("actor-permalink", actor.pk), actor,
    )  # fmt: skip


def of_space(space: Space) -> LocalActor:
    return LocalActor(
        "space", str(space.pk), "Group", f"space_{space.pk}", space.title, space.description,
        f"/api/v1/spaces/{space.pk}", space,
    )  # fmt: skip


def site() -> LocalActor:
    """The server's own actor (``/ap/site/instance``): it signs our fetches of remote keys, as
    servers in Mastodon's secure mode ("authorized fetch") answer signed GETs only."""
    return LocalActor(
        "site", "instance", "Application", "geocivic", "GeoCivic",
        getattr(settings, "GEO_CIVIC_NODE_NAME", "GeoCivic"), "/", None,
    )  # fmt: skip


def find(kind: str, key: str) -> LocalActor | None:
    """The local actor ``(kind, key)`` if it exists and is public; None otherwise."""
    if kind == "site":
        return site() if key == "instance" else None
    if kind == "commune":
        commune = Commune.objects.filter(CURRENT, code=key).first()
        return of_commune(commune) if commune else None
    if not key.isdigit() or len(key) > 18:
        return None
    if kind == "actor":
        actor = Actor.objects.filter(pk=key, status=Actor.Status.PUBLISHED).first()
        return of_actor(actor) if actor else None
    if kind == "space":
        space = Space.objects.filter(pk=key).first()
        return of_space(space) if space else None
    return None


def by_username(username: str) -> LocalActor | None:
    """The local actor a WebFinger ``acct:`` name designates: an INSEE code is a commune,
    ``space_<id>`` a space, anything else an actor's slug (the oldest actor of that slug)."""
    if INSEE.match(username):
        return find("commune", username)
    if username.startswith("space_"):
        return find("space", username.removeprefix("space_"))
    if username.startswith("actor_"):
        return find("actor", username.removeprefix("actor_"))
    actor = (
        Actor.objects.filter(slug=username, status=Actor.Status.PUBLISHED).order_by("pk").first()
    )
    return of_actor(actor) if actor else None


def by_id(uri: str, base: str) -> LocalActor | None:
    """The local actor whose ActivityPub id is ``uri`` (under our origin ``base``)."""
    if not uri.startswith(base + "/ap/"):
        return None
    path, _, key = uri.removeprefix(base + "/ap/").partition("/")
    if path not in KINDS or not key or "/" in key:
        return None
    return find(KINDS[path], key)
