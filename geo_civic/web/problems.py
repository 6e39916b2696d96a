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


def problem(
    detail: str,
    status: int = 400,
    *,
    parameter: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JsonResponse:
    """A problem response: ``detail`` says what went wrong in words the client can act on."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if parameter:
        body["parameter"] = parameter
    body.update(extra)
    return JsonResponse(
        body,
        status=status,
        content_type=CONTENT_TYPE,
        headers=headers,
        json_dumps_params={"ensure_ascii": False},
    )


def problem_of(error: ParameterError) -> JsonResponse:
    """The 400 for a request parameter that cannot be understood, naming the parameter."""
    return problem(str(error), 400, parameter=error.parameter)
