"""Validators for conditional GET: a client that already holds a selection gets a 304.

A selection's version is its row count, highest id and highest ``xmin`` (the id of the last
transaction that wrote a row, which PostgreSQL changes on every insert and update), so any
import, edit or deletion gives a new ``ETag`` without a timestamp on every table. Layers with an
``updated_at`` also give ``Last-Modified``. The actors a layer counts are part of its version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db.models import Count, Max
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from geo_civic.actors.models import Actor, Category
from layers.filters import Selection


def _last_write(model) -> RawSQL:
    # The table name comes from the model, never from a request.
    return RawSQL(f'"{model._meta.db_table}".xmin::text::bigint', [])  # noqa: S608


def version(selection: Selection, variant: str) -> tuple[str, dt.datetime | None]:
    """A strong ETag of what ``variant`` (format and options) of the selection would send."""
    layer = selection.layer
    stats = {"n": Count("pk"), "id": Max("pk"), "xmin": Max(_last_write(layer.model))}
    if layer.updated_field:
        stats["updated"] = Max(layer.updated_field)
    facts = selection.page_rows().order_by().aggregate(**stats)
    if layer.actor_filters and layer.model is not Actor:  # counts of actors
        facts["actors"] = Actor.objects.aggregate(n=Count("pk"), xmin=Max(_last_write(Actor)))
    if layer.actor_filters:  # categories: published (slugs, colour) and filtered on
        for model in (Category, Actor.categories.through):
            facts[model._meta.db_table] = model.objects.aggregate(
                n=Count("pk"), xmin=Max(_last_write(model))
            )
    key = json.dumps(
        [layer.name, variant, sorted(selection.params.items()), facts], default=str
    ).encode()
    etag = '"' + hashlib.sha256(key).hexdigest()[:32] + '"'
    return etag, facts.get("updated")


def not_modified(request: HttpRequest, etag: str, last_modified: dt.datetime | None) -> bool:
    if "If-None-Match" in request.headers:
        # Weak comparison (RFC 9110 13.1.2): gzip makes our strong ETag weak on the way out
        # (W/"…"), and the client sends that back.
        held = [tag.removeprefix("W/") for tag in parse_etags(request.headers["If-None-Match"])]
        return etag in held or held == ["*"]
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return bool(last_modified and since and int(last_modified.timestamp()) <= since)


def conditional(request: HttpRequest, selection: Selection, variant: str, respond) -> HttpResponse:
    """``respond()`` with validators, or a 304 when the client's copy is still current."""
    etag, last_modified = version(selection, variant)
    if not_modified(request, etag, last_modified):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = respond()
    if response.status_code not in (200, 304):
        return response  # an error (a 429) is not a version of the data
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = "public, max-age=60"
    return response
