"""Every refusal of ``/api/v1/`` is an RFC 9457 problem: ``type``, ``title``, ``status``,
``detail``, served as ``application/problem+json`` by this one exception handler."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from geo_civic.contributions.workflow import Refused
from geo_civic.participation.errors import ParticipationError
from geo_civic.web.params import ParameterError
from geo_civic.web.problems import CONTENT_TYPE, problem_body

PROBLEM_TYPE = "/api/v1/problems#{}"


def _text(detail) -> str:
    """One readable line from DRF's nested error details."""
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_text(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return "; ".join(_text(value) for value in detail)
    return str(detail)


def problem(status_code: int, title: str, detail: str, slug: str, headers=None) -> Response:
    """The app API's problem: the site's shape (``problem_body``), through DRF's renderers."""
    body = problem_body(detail, status_code, type=PROBLEM_TYPE.format(slug), title=title)
    return Response(body, status=status_code, headers=headers, content_type=CONTENT_TYPE)


def problem_exception_handler(exc, context) -> Response | None:
    if isinstance(exc, ParameterError):  # the site's parameter parser: the same 400
        body = problem_body(str(exc), 400, type=PROBLEM_TYPE.format("invalid-parameter"),
                            title="Invalid parameter", parameter=exc.parameter)  # fmt: skip
        return Response(body, status=400, content_type=CONTENT_TYPE)
    if isinstance(exc, Refused):  # the site's form refused the contribution or decision
        return problem(400, "Invalid", str(exc), "invalid")
    if isinstance(exc, ParticipationError):
        return problem(exc.status, exc.title, exc.detail, exc.slug)
    if isinstance(exc, ParameterError):
        body = problem_body(str(exc), 400, type=PROBLEM_TYPE.format("invalid-parameter"),
                            title="Invalid parameter", parameter=exc.parameter)  # fmt: skip
        return Response(body, status=400, content_type=CONTENT_TYPE)
    if isinstance(exc, Http404):
        return problem(404, "Not found", "nothing here with this id", "not-found")
    if isinstance(exc, PermissionDenied):
        return problem(403, "Not allowed", str(exc) or "not allowed", "forbidden")
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        slug = exc.default_code.replace("_", "-")
        title = str(exc.default_detail).rstrip(".")
        if isinstance(exc, exceptions.Throttled):
            title = "Too many requests"
        return problem(exc.status_code, title, _text(exc.detail), slug, headers or None)
    return None


__all__ = ["problem", "problem_exception_handler", "status"]
