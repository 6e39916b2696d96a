"""``/api/docs/``: the OpenAPI document as a page, drawn by Swagger UI from our own bundle."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def docs_page(request: HttpRequest) -> HttpResponse:
    """Swagger UI (npm ``swagger-ui-dist``, bundled by scripts/build.mjs) under our CSP: its
    script and stylesheet come from our static files, nothing inline."""
    return render(request, "api_docs.html")
