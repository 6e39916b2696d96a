"""schema.org JSON-LD of an actor page, for search engines.

Only public fields go in (the published position, never the exact point of a home). The script
element is not executed, so the Content Security Policy allows it; its text is escaped like
``json_script`` so that no value can close the element.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from geo_civic.actors.models import Actor

SCHEMA_TYPES = {
    Actor.Kind.ORGANISATION: "Organization",
    Actor.Kind.PROJECT: "Organization",
    Actor.Kind.EVENT: "Event",
    Actor.Kind.PLACE: "Place",
}
ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _place(actor: Actor) -> dict:
    place: dict = {"@type": "Place"}
    if actor.kind == Actor.Kind.PLACE:
        place = {}
    point = actor.public_point
    place["geo"] = {
        "@type": "GeoCoordinates",
        "latitude": round(point.y, 5),
        "longitude": round(point.x, 5),
    }
    address = {"@type": "PostalAddress", "addressCountry": "FR"}
    if actor.public_address:
        address["streetAddress"] = actor.public_address
    if actor.commune:
        address["addressLocality"] = actor.commune.name
    place["address"] = address
    return place


def _date(value, all_day: bool) -> str:
    local = timezone.localtime(value)
    return local.date().isoformat() if all_day else local.isoformat()


def actor_json_ld(actor: Actor, request: HttpRequest) -> dict:
    data: dict = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES[actor.kind],
        "name": actor.name,
        "url": request.build_absolute_uri(actor.get_absolute_url()),
    }
    if actor.summary:
        data["description"] = actor.summary
    same_as = [link for link in [actor.website, *actor.social_links] if link]
    if same_as:
        data["sameAs"] = same_as
    if actor.tags:
        data["keywords"] = ", ".join(actor.tags)
    if actor.kind == Actor.Kind.PLACE:
        data.update(_place(actor))
        if actor.public_phone:
            data["telephone"] = actor.public_phone
    else:
        data["location"] = _place(actor)
    if actor.kind == Actor.Kind.EVENT:
        if actor.starts_at:
            data["startDate"] = _date(actor.starts_at, actor.all_day)
        if actor.ends_at:
            data["endDate"] = _date(actor.ends_at, actor.all_day)
    elif actor.kind != Actor.Kind.PLACE:
        if actor.public_email:
            data["email"] = actor.public_email
        if actor.public_phone:
            data["telephone"] = actor.public_phone
    return data


def json_ld_script(data: dict) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
