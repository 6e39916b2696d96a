"""What a local actor publishes: its outbox is built from a few *sources*, each a function
``(local actor, base, limit) -> (total, newest items)``. Adding news (helper `social`) is one
more function in :data:`SOURCES`.

- events: ``Create`` of an ``Event`` (the fields Mobilizon publishes: startTime, endTime,
  location as a Place with a schema.org PostalAddress, latitude and longitude, timezone);
- proposals in vote or closed: ``Question`` with the options (``oneOf`` for a yes/no vote,
  ``anyOf`` for approval and judgement) and ``endTime`` = closes_at. Never a tally;
- published news: ``Create`` of a ``Note`` or an ``Article`` with its images attached.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from geo_civic.actors.markdown_text import render_markdown
from geo_civic.actors.models import Actor
from geo_civic.federation.local import CONTEXT, PUBLIC, LocalActor
from geo_civic.participation.models import Choice, Method, Proposal, Status
from geo_civic.social.images import image_urls
from geo_civic.social.models import News

PAGE_SIZE = 20
# Terms beyond ActivityStreams and security, as Mobilizon and Mastodon define them.
EXTRA_CONTEXT = {
    "schema": "http://schema.org#",
    "mz": "https://joinmobilizon.org/ns#",
    "PostalAddress": "schema:PostalAddress",
    "address": {"@id": "schema:address", "@type": "@id"},
    "streetAddress": "schema:streetAddress",
    "addressLocality": "schema:addressLocality",
    "addressCountry": "schema:addressCountry",
    "timezone": {"@id": "mz:timezone", "@type": "schema:Text"},
}
OUTBOX_CONTEXT = [*CONTEXT, EXTRA_CONTEXT]

Item = tuple[datetime, dict[str, Any]]
Source = Callable[[LocalActor, str, int], tuple[int, list[Item]]]


def object_id(base: str, kind: str, pk: int) -> str:
    return f"{base}/ap/objects/{kind}/{pk}"


def create(local: LocalActor, base: str, obj: dict[str, Any], published: datetime) -> dict:
    """A ``Create`` by ``local`` of ``obj``, public, copied to its followers."""
    return {
        "id": f"{obj['id']}/create/{local.kind}-{local.key}",
        "type": "Create",
        "actor": local.id(base),
        "published": published.isoformat(),
        "to": [PUBLIC],
        "cc": [local.id(base) + "/followers"],
        "object": obj,
    }


# --- events ---------------------------------------------------------------------------------


def event_object(event: Actor, base: str, attributed_to: str) -> dict[str, Any]:
    """An event as Mobilizon publishes one; the position is the public one (a home's is snapped
    to ~1 km, its address withheld)."""
    point = event.public_point or event.point
    try:
        url = base + reverse("actor-permalink", args=[event.pk])
    except NoReverseMatch:
        url = base
    address = {
        "type": "PostalAddress",
        "streetAddress": event.public_address,  # none for a home
        "addressLocality": event.commune.name if event.commune_id else "",
        "addressCountry": "FR",
    }
    obj = {
        "id": object_id(base, "event", event.pk),
        "type": "Event",
        "name": event.name,
        "summary": event.summary,
        "content": event.description_html,
        "mediaType": "text/html",
        "url": url,
        "attributedTo": attributed_to,
        "to": [PUBLIC],
        "published": event.created_at.isoformat(),
        "updated": event.updated_at.isoformat(),
        "timezone": settings.TIME_ZONE,
        "location": {
            "type": "Place",
            "name": event.public_address or event.name,
            "address": address,
            "latitude": round(point.y, 6),
            "longitude": round(point.x, 6),
        },
    }
    if event.starts_at:
        obj["startTime"] = event.starts_at.isoformat()
    if event.ends_at:
        obj["endTime"] = event.ends_at.isoformat()
    return obj


def _events_of(local: LocalActor) -> QuerySet[Actor]:
    published = Actor.objects.filter(kind=Actor.Kind.EVENT, status=Actor.Status.PUBLISHED)
    if local.kind == "commune":
        return published.filter(commune__code=local.key, commune__valid_to__isnull=True)
    if local.kind == "actor" and local.record.kind == Actor.Kind.EVENT:
        return published.filter(pk=local.key)
    return published.none()


def events(local: LocalActor, base: str, limit: int) -> tuple[int, list[Item]]:
    found = _events_of(local).select_related("commune").order_by("-created_at", "-pk")
    items = [
        (e.created_at, create(local, base, event_object(e, base, local.id(base)), e.created_at))
        for e in found[:limit]
    ]
    return found.count(), items


# --- proposals in vote ----------------------------------------------------------------------

CHOICE_NAMES = {Choice.FOR: "for", Choice.AGAINST: "against", Choice.BLANK: "blank"}


def question_object(proposal: Proposal, base: str, attributed_to: str) -> dict[str, Any]:
    """A proposal in vote as a ``Question``: its options and closing date, no counts ever."""
    options = [{"type": "Note", "name": o.label} for o in proposal.options.order_by("position")]
    obj: dict[str, Any] = {
        "id": object_id(base, "proposal", proposal.pk),
        "type": "Question",
        "name": proposal.title,
        "content": render_markdown(proposal.body),
        "mediaType": "text/html",
        "url": base + reverse("proposal", args=[proposal.pk]),
        "attributedTo": attributed_to,
        "to": [PUBLIC],
        "published": (proposal.voting_at or proposal.created_at).isoformat(),
    }
    if proposal.method == Method.MAJORITY or not options:
        obj["oneOf"] = [{"type": "Note", "name": name} for name in CHOICE_NAMES.values()]
    else:
        obj["anyOf"] = options
    if proposal.closes_at:
        obj["endTime"] = proposal.closes_at.isoformat()
    if proposal.status != Status.VOTING and proposal.closes_at:
        obj["closed"] = proposal.closes_at.isoformat()
    return obj


def _proposals_of(local: LocalActor) -> QuerySet[Proposal]:
    shown = Proposal.objects.filter(status__in=[Status.VOTING, Status.CLOSED, Status.ARCHIVED])
    if local.kind == "space":
        return shown.filter(space_id=local.key)
    if local.kind == "commune":
        return shown.filter(space__commune__code=local.key)
    if local.kind == "actor":
        return shown.filter(space__actor_id=local.key)
    return shown.none()


def questions(local: LocalActor, base: str, limit: int) -> tuple[int, list[Item]]:
    found = _proposals_of(local).filter(~Q(voting_at=None)).order_by("-voting_at", "-pk")
    items = [
        (p.voting_at, create(local, base, question_object(p, base, local.id(base)), p.voting_at))
        for p in found[:limit]
    ]
    return found.count(), items


# --- news -----------------------------------------------------------------------------------

# Mastodon shows a Note in full but an Article as its title and a link: short news are Notes.
NOTE_LIMIT = 500


def news_object(news: News, base: str, attributed_to: str) -> dict[str, Any]:
    """A published news item as a ``Note`` (short) or an ``Article``, its images attached in
    their re-encoded widths. Attributed to the commune or actor that publishes it, never to the
    resident who wrote it; the location is the one the author chose to show with the news."""
    obj: dict[str, Any] = {
        "id": object_id(base, "news", news.pk),
        "type": "Note" if len(news.body) <= NOTE_LIMIT else "Article",
        "name": news.title,
        "content": news.body_html,
        "mediaType": "text/html",
        "url": base + news.get_absolute_url(),
        "attributedTo": attributed_to,
        "to": [PUBLIC],
        "published": news.created_at.isoformat(),
    }
    if obj["type"] == "Note":  # a Note's name is not shown: the title leads the content
        obj["content"] = f"<p><strong>{escape(news.title)}</strong></p>{news.body_html}"
    attachments = []
    for image in news.images.all():
        for width, url in sorted(image_urls(image).items(), key=lambda kv: int(kv[0])):
            height = max(1, round(image.height * int(width) / image.width))
            attachments.append({
                "type": "Image", "mediaType": "image/jpeg", "name": image.alt,
                "url": url if url.startswith("http") else base + url,
                "width": int(width), "height": height,
            })  # fmt: skip
    if attachments:
        obj["attachment"] = attachments
    if news.location is not None:
        obj["location"] = {
            "type": "Place", "name": news.commune.name,
            "latitude": round(news.location.y, 6), "longitude": round(news.location.x, 6),
        }  # fmt: skip
    return obj


def _news_of(local: LocalActor) -> QuerySet[News]:
    published = News.objects.filter(status=News.Status.PUBLISHED)
    if local.kind == "commune":
        return published.filter(commune__code=local.key, commune__valid_to__isnull=True)
    if local.kind == "actor":
        return published.filter(actor_id=local.key)
    return published.none()


def news(local: LocalActor, base: str, limit: int) -> tuple[int, list[Item]]:
    found = (
        _news_of(local).select_related("commune").prefetch_related("images")
        .order_by("-created_at", "-pk")
    )  # fmt: skip
    items = [
        (n.created_at, create(local, base, news_object(n, base, local.id(base)), n.created_at))
        for n in found[:limit]
    ]
    return found.count(), items


SOURCES: list[Source] = [events, questions, news]


def outbox(local: LocalActor, base: str, page: int | None) -> dict[str, Any]:
    """The OrderedCollection (``page`` None: its size and first page) or one of its pages."""
    ident = local.id(base) + "/outbox"
    if page is None:
        total = sum(source(local, base, 0)[0] for source in SOURCES)
        return {
            "@context": OUTBOX_CONTEXT,
            "id": ident,
            "type": "OrderedCollection",
            "totalItems": total,
            "first": ident + "?page=1",
            "last": ident + f"?page={max(1, -(-total // PAGE_SIZE))}",
        }
    wanted = page * PAGE_SIZE
    total, merged = 0, []
    for source in SOURCES:
        count, items = source(local, base, wanted)
        total += count
        merged.extend(items)
    merged.sort(key=lambda item: item[0], reverse=True)
    shown = [activity for _, activity in merged[wanted - PAGE_SIZE : wanted]]
    document = {
        "@context": OUTBOX_CONTEXT,
        "id": f"{ident}?page={page}",
        "type": "OrderedCollectionPage",
        "partOf": ident,
        "totalItems": total,
        "orderedItems": shown,
    }
    if wanted < total:
        document["next"] = f"{ident}?page={page + 1}"
    if page > 1:
        document["prev"] = f"{ident}?page={page - 1}"
    return document
