"""Conditional GET for ``/api/v1/`` reads: an ``ETag`` (and ``Last-Modified`` where a row has an
``updated_at``) on every answer, a 304 when ``If-None-Match`` still names it
(``layers.freshness.etag_matches``: weak comparison, as a compressing proxy may weaken it)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.core.cache import cache
from django.utils.http import http_date
from rest_framework.response import Response

from layers.freshness import etag_matches, not_modified

# The answer depends on who asks (an editor sees the private member): shared caches must know.
VARY = "Authorization, Cookie"
BODY_CACHE_SECONDS = 60


def etag_of(data) -> str:
    """A strong ETag of what the answer's body would be."""
    body = json.dumps(data, sort_keys=True, default=str).encode()
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def conditional(request, data, last_modified: dt.datetime | None = None, status=200) -> Response:
    """``data`` as an answer with validators, or an empty 304 when the client's copy is current."""
    etag = etag_of(data)
    if etag_matches(request, etag):
        response = Response(status=304)
    else:
        response = Response(data, status=status)
    _validators(response, etag, last_modified)
    return response


def conditional_version(request, etag: str, last_modified: dt.datetime | None, respond) -> Response:
    """As ``conditional`` with a version computed without building the body (large lists).

    The body is kept in the cache under its ETag for a minute: the same page for the same
    person, unchanged since, is not serialised again (the ETag changes with any write)."""
    if not_modified(request, etag, last_modified):
        response = Response(status=304)
    else:
        key = f"api-v1-body:{etag}"
        body = cache.get(key)
        if body is not None:
            response = Response(body)
        else:
            response = respond()
            if response.status_code == 200:
                cache.set(key, response.data, BODY_CACHE_SECONDS)
    _validators(response, etag, last_modified)
    return response


def _validators(response: Response, etag: str, last_modified: dt.datetime | None) -> None:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Vary"] = VARY
    response["Cache-Control"] = "private, no-cache"
