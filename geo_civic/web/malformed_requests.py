"""Refuse at the door the requests no view could answer, with a 400 and the reason.

PostgreSQL stores no NUL character in text, so a NUL in a path, a query parameter, a form field
or a cookie would end in a 500 in whichever query first met it; and more parameters than Django
parses (``DATA_UPLOAD_MAX_NUMBER_FIELDS``) raise on every read of ``request.GET``, which in debug
mode turned Django's own 400 into a 500 after seconds spent drawing the debug page. Checked once
here, before any middleware or view reads the request, instead of in every parser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError

from geo_civic.web import problems

# Paths whose errors are problems (RFC 9457; the OGC API adds its ``code``); pages get text.
JSON_PREFIXES = ("/api/", "/tiles/", "/ogc/", "/contribuer/geocoder/", "/healthz")
NUL = "\x00"


def _nul_in(kind: str, pairs: Iterable[tuple[str, list]]) -> str | None:
    """The reason a NUL in these (name, values) is refused, naming the first such one."""
    for name, values in pairs:
        if NUL in name:
            return f"a {kind} name contains a NUL character"
        if any(isinstance(value, str) and NUL in value for value in values):
            return f"{kind} {name[:40]!r} contains a NUL character"  # the name, never the value
    return None


def _too_many(where: str) -> str:
    return f"more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} parameters in the {where}"


def request_problem(request: HttpRequest) -> str | None:
    """What makes the path, query string, headers or cookies unanswerable, or None."""
    if NUL in request.path_info or NUL in request.path:
        return "the path contains a NUL character"
    try:
        query = request.GET
    except TooManyFieldsSent:
        return _too_many("query string")
    if problem := _nul_in("parameter", query.lists()):
        return problem
    headers = (
        (name[5:].replace("_", "-").title(), [value])  # HTTP_USER_AGENT: User-Agent
        for name, value in request.META.items()
        if name.startswith("HTTP_")
    )
    if problem := _nul_in("header", headers):
        return problem
    return _nul_in("cookie", ((name, [value]) for name, value in request.COOKIES.items()))


def form_problem(request: HttpRequest) -> tuple[str, int] | None:
    """What makes a posted form unreadable or unstorable, with its status, or None."""
    try:
        form = request.POST
    except (TooManyFieldsSent, TooManyFilesSent):
        return _too_many("form"), 400
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return f"the form is larger than {limit} bytes (files aside)", 413
    except MultiPartParserError as exc:
        return f"malformed multipart body ({exc})", 400
    problem = _nul_in("form field", form.lists())
    return (problem, 400) if problem else None


def refusal(request: HttpRequest, reason: str, status: int = 400) -> HttpResponse:
    """The error in the shape the endpoint uses: a problem for the APIs, plain text for pages."""
    if not request.path.startswith(JSON_PREFIXES):
        return HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")
    if request.path.startswith("/ogc/"):
        return problems.problem(reason, status, code="InvalidParameterValue", description=reason)
    return problems.problem(reason, status)


class MalformedRequestMiddleware:
    """Listed after the middleware that only reads headers and cookies (security, static files,
    session, CORS), before any that reads parameters. Forms are checked just before the view,
    except for views exempt from CSRF (the stewards' uploads), which check their body
    themselves: who and how big come first there."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if reason := request_problem(request):
            return refusal(request, reason)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if request.method != "POST" or getattr(view, "csrf_exempt", False):
            return None
        if problem := form_problem(request):
            return refusal(request, *problem)
        return None
