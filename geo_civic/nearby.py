"""``/api/nearby``: the published actors nearest to the resident, by distance.

Nearest first by PostGIS KNN (``<->``) on the GiST-indexed ``public_point``, never the exact
``point``: a home address is only ever published to about 1 km. The distance is geodesic
(``geography``), in metres, to the published point.
"""

from __future__ import annotations

import math

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from geo_civic.actors.models import Actor
from layers.filters import WHOLE_NUMBER_RE

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_RADIUS_M = 500_000
PARAMETERS = {"lat", "lon", "limit", "radius"}

# The KNN operator orders by planar degrees through the index; the candidates are then
# re-ranked by their true distance on the sphere (degrees stretch with latitude).
NEAREST_SQL = """
    WITH candidates AS (
        SELECT a.id, a.public_point
        FROM actors_actor a
        WHERE a.status = %(published)s
        ORDER BY a.public_point <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)
        LIMIT %(candidates)s
    ),
    measured AS (
        SELECT id, ST_Distance(
            public_point::geography,
            ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography
        ) AS metres
        FROM candidates
    )
    SELECT id, metres FROM measured
    WHERE %(radius)s::float8 IS NULL OR metres <= %(radius)s::float8
    ORDER BY metres, id
    LIMIT %(limit)s
"""


class NearbyError(ValueError):
    """A parameter of /api/nearby that cannot be understood; the message says why."""


def _number(params, name: str, low: float, high: float) -> float:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        raise NearbyError(f"{name} is required")
    try:
        if not raw.isascii():  # float() reads other scripts' digits too
            raise ValueError
        value = float(raw)
    except ValueError:
        raise NearbyError(f"{name} must be a number, not {raw[:30]!r}") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise NearbyError(f"{name} must be between {low:g} and {high:g}")
    return value


def parse(params) -> dict:
    """Strictly parse the query string: unknown, repeated or out-of-range values are errors."""
    unknown = sorted(set(params) - PARAMETERS)
    if unknown:
        raise NearbyError(f"unknown parameter: {', '.join(unknown)}")
    for name in params:
        if len(params.getlist(name)) > 1:
            raise NearbyError(f"{name} is given more than once")
    parsed = {"lat": _number(params, "lat", -90, 90), "lon": _number(params, "lon", -180, 180)}
    parsed["limit"] = DEFAULT_LIMIT
    if "limit" in params:
        raw = params["limit"]
        if not WHOLE_NUMBER_RE.fullmatch(raw) or not 1 <= int(raw) <= MAX_LIMIT:
            raise NearbyError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
        parsed["limit"] = int(raw)
    parsed["radius"] = None
    if "radius" in params:
        parsed["radius"] = _number(params, "radius", 1, MAX_RADIUS_M)
    return parsed


def nearest_actors(lat: float, lon: float, limit: int = DEFAULT_LIMIT, radius=None) -> list[dict]:
    """The published actors nearest to (lat, lon), each with its distance in metres."""
    with connection.cursor() as cursor:
        cursor.execute(
            NEAREST_SQL,
            {
                "lat": lat,
                "lon": lon,
                "published": Actor.Status.PUBLISHED,
                "candidates": limit * 4 + 20,
                "radius": radius,
                "limit": limit,
            },
        )
        distances = dict(cursor.fetchall())
    actors = Actor.objects.filter(id__in=distances).select_related("commune")
    results = [
        {
            "id": actor.id,
            "name": actor.name,
            "kind": actor.kind,
            "url": actor.get_absolute_url(),
            "commune_name": actor.commune.name if actor.commune else None,
            "lon": round(actor.public_point.x, 6),
            "lat": round(actor.public_point.y, 6),
            "distance_m": round(distances[actor.id]),
        }
        for actor in actors
    ]
    results.sort(key=lambda row: (distances[row["id"]], row["id"]))
    return results


@require_safe
def nearby(request: HttpRequest) -> JsonResponse:
    """``/api/nearby?lat=&lon=&limit=&radius=``: nearest published actors, nearest first."""
    try:
        params = parse(request.GET)
    except NearbyError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"results": nearest_actors(**params)})
