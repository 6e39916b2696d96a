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


PROBLEM_COMPONENT = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "parameter": {"type": "string", "description": "the parameter to blame"},
    },
}
UNSAFE = {"post", "put", "patch", "delete"}
# The democracy services refuse by their own statuses (participation/errors.py), on any of them.
SERVICE_REFUSALS = {"/api/v1/spaces", "/api/v1/proposals", "/api/v1/me", "/api/v1/residents"}


def _refusal(code: int) -> dict:
    return {
        "description": WHY.get(code, "the request conflicts with the entry's state"),
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def document_refusals(result: dict, generator, request, public) -> dict:
    """drf-spectacular post-processing: every operation lists the problems it may answer.

    Any request may be malformed (400), carry a wrong or expired token (401) or come too often
    (429); a write by session may lack its CSRF token (403); an id may name nothing (404).
    """
    result.setdefault("components", {}).setdefault("schemas", {}).setdefault(
        "Problem", PROBLEM_COMPONENT
    )
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            codes = {400, 401, 429}
            if method in UNSAFE:
                codes.add(403)
            if "{" in path:
                codes.add(404)
            if any(path.startswith(prefix) for prefix in SERVICE_REFUSALS):
                codes |= {403, 404, 409}
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(str(code), _refusal(code))
    return result
