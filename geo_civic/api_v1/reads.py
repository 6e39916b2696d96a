"""Conditional GET for ``/api/v1/`` reads: an ``ETag`` (and ``Last-Modified`` where a row has an
``updated_at``) on every answer, a 304 when ``If-None-Match`` still names it
(``layers.freshness.etag_matches``: weak comparison, as a compressing proxy may weaken it)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.utils.http import http_date
from rest_framework.response import Response

from layers.freshness import etag_matches, not_modified

# The answer depends on who asks (an editor sees the private member): shared caches must know.
VARY = "Authorization, Cookie"


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
    """As ``conditional`` with a version computed without building the body (large lists)."""
    if not_modified(request, etag, last_modified):
        response = Response(status=304)
    else:
        response = respond()
    _validators(response, etag, last_modified)
    return response


def _validators(response: Response, etag: str, last_modified: dt.datetime | None) -> None:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Vary"] = VARY
    response["Cache-Control"] = "private, no-cache"
