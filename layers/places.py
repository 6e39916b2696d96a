"""Place search: find a commune by name or code and return where to fly the map."""

from __future__ import annotations

from django.contrib.gis.db.models.functions import Envelope
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, When
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from geo_civic.territories.models import CURRENT, Commune, PostalCode
from geo_civic.web.params import ParameterError, parse_query, text_parameter
from geo_civic.web.problems import problem_of

MAX_RESULTS = 8
MAX_QUERY_LENGTH = 100
PARAMETERS = (
    text_parameter(
        "q",
        "a commune's name (accents and case ignored), INSEE code or postal code, or their start",
        max_length=MAX_QUERY_LENGTH,
        default="",
    ),
)


def search_communes(query: str, limit: int = MAX_RESULTS) -> list[dict]:
    """Communes whose INSEE or postal code starts with the query or whose name contains it.

    Accents and case are ignored in names; a postal code shared by several communes finds them all.
    """
    words = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not words:
        return []
    name = words.replace(" ", "-")  # « saint paul » finds Saint-Paul
    exact_postal_code = Exists(PostalCode.objects.filter(code=words, communes=OuterRef("pk")))
    communes = (
        Commune.objects.filter(CURRENT)
        .filter(
            Q(code__istartswith=words)
            | Q(name__unaccent__icontains=name)
            | Q(pk__in=PostalCode.objects.filter(code__startswith=words).values("communes"))
        )
        .annotate(
            # A resident types a postal code far more often than an INSEE code: an exact one of
            # either ranks first (97413 is Cilaos's postal code and Saint-Leu's INSEE code).
            rank=Case(
                When(code__iexact=words, then=0),
                When(exact_postal_code, then=0),
                When(name__unaccent__istartswith=name, then=1),
                default=2,
                output_field=IntegerField(),
            ),
            envelope=Envelope("boundary"),
        )
        .order_by("rank", "name")
        .prefetch_related("postal_codes")[:limit]
    )
    results = []
    for commune in communes:
        west, south, east, north = commune.envelope.extent
        results.append(
            {
                "code": commune.code,
                "name": commune.name,
                "departement": commune.departement_code,
                "postal_codes": sorted(p.code for p in commune.postal_codes.all()),
                "bounds": [[south, west], [north, east]],
            }
        )
    return results


@require_safe
def places(request: HttpRequest) -> JsonResponse:
    """``/api/places?q=…``: suggestions for the place search box."""
    try:
        query = parse_query(request.GET, PARAMETERS)["q"]
    except ParameterError as error:
        return problem_of(error)
    return JsonResponse({"results": search_communes(query)})
