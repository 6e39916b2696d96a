"""The JavaScript translation catalogue under a URL naming its language and version.

Django's ``/jsi18n/`` answers in the visitor's language under one URL, so a browser must ask for
it again on every visit, and the map's code waits for it. ``/jsi18n/<lang>/?v=<hash>`` is the same
catalogue for one language, named by a hash of its text: cached for good (immutable), a new
translation gets a new URL.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from django.views.i18n import JavaScriptCatalog

from geo_civic.web.params import ParameterError, single_values
from geo_civic.web.problems import problem_of


@lru_cache(maxsize=8)
def _catalogue(language: str) -> tuple[bytes, str]:
    """The catalogue's text in ``language`` and its hash (computed once per process)."""
    view = JavaScriptCatalog()
    with translation.override(language):
        view.translation = translation.trans_real.DjangoTranslation(language, domain=view.domain)
        context = view.get_context_data()
        text = view.render_to_response(context).content
    return text, hashlib.sha256(text).hexdigest()[:16]


def catalogue_url(language: str) -> str:
    """The versioned URL of the catalogue in ``language`` (one of the site's languages)."""
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    _, version = _catalogue(language)
    return f"{reverse('javascript-catalogue', kwargs={'language': language})}?v={version}"


@require_safe
def javascript_catalogue(request: HttpRequest, language: str) -> HttpResponse:
    """``/jsi18n/<language>/?v=``: immutable under its current version, revalidated otherwise."""
    if language not in dict(settings.LANGUAGES):
        raise Http404("no such language")
    try:
        asked = single_values(request.GET, known=("v",)).get("v")
    except ParameterError as error:
        return problem_of(error)
    text, version = _catalogue(language)
    response = HttpResponse(text, content_type="text/javascript; charset=utf-8")
    response["ETag"] = f'"{version}"'
    response["Cache-Control"] = (
        "public, max-age=31536000, immutable" if asked == version else "public, no-cache"
    )
    return response
