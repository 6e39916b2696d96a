"""Pieces of the v1 OpenAPI document shared by every operation: the problem body and the
refusals each kind of operation may answer."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

PROBLEM_JSON = "application/problem+json"

Problem = inline_serializer(
    "Problem",
    {
        "type": serializers.CharField(),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(),
        "parameter": serializers.CharField(required=False),
    },
)

WHY = {
    304: "not modified: the If-None-Match ETag is current",
    400: "a malformed, unknown or repeated parameter, or an invalid body",
    401: "not signed in (Authorization: Bearer <token>, or a session)",
    403: "not allowed for this account (or a session without its CSRF token)",
    404: "nothing here with this id (or not visible to this account)",
    429: "too many requests: wait Retry-After seconds",
}


def refusals(*codes: int) -> dict:
    """``responses`` entries for these refusals, each a problem (304: no body)."""
    found: dict = {}
    for code in codes:
        if code == 304:
            found[304] = OpenApiResponse(description=WHY[304])
        else:
            found[(code, PROBLEM_JSON)] = OpenApiResponse(Problem, description=WHY[code])
    return found


READ = (304, 400, 404, 429)
WRITE = (400, 401, 403, 404, 429)


def query(name: str, kind=str, description: str = "", **extra) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, **extra)


PAGE = [
    query("cursor", str, "the opaque cursor of a `links.next` / `links.previous`"),
    query(
        "page_size", {"type": "integer", "minimum": 1, "maximum": 200}, "rows per page (default 50)"
    ),
]
