"""Errors a client can cause, answered the one way: RFC 9457 ``application/problem+json``.

Every JSON endpoint (layers, map JSON, OGC API, stewards' uploads, the app API) answers a refusal
with ``type``, ``title``, ``status``, ``detail`` and, when one parameter is to blame, ``parameter``.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.http import JsonResponse

from geo_civic.web.params import ParameterError

CONTENT_TYPE = "application/problem+json"


def problem_body(
    detail: str,
    status: int = 400,
    *,
    type: str = "about:blank",  # the member's name in RFC 9457
    title: str | None = None,
    parameter: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The members of a problem, the one shape of every refusal (the app API's included)."""
    body: dict[str, Any] = {
        "type": type,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if parameter:
        body["parameter"] = parameter
    body.update(extra)
    return body


def problem(
    detail: str,
    status: int = 400,
    *,
    parameter: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JsonResponse:
    """A problem response: ``detail`` says what went wrong in words the client can act on."""
    return JsonResponse(
        problem_body(detail, status, parameter=parameter, **extra),
        status=status,
        content_type=CONTENT_TYPE,
        headers=headers,
        json_dumps_params={"ensure_ascii": False},
    )


def problem_of(error: ParameterError) -> JsonResponse:
    """The 400 for a request parameter that cannot be understood, naming the parameter."""
    return problem(str(error), 400, parameter=error.parameter)
