"""``/api/nearby``: the published actors and public proposals nearest to the resident.

Nearest first by PostGIS KNN (``<->``) on the GiST-indexed ``public_point``, never the exact
``point``: a home address is only ever published to about 1 km; proposals by their ``marker``
(GiST-indexed too), public ones only (``participation.statuses``). The distance is geodesic
(``geography``), in metres, to the published point. Each row says its ``layer``.
"""

from __future__ import annotations

from django.contrib.gis.db.models.functions import GeometryDistance
from django.contrib.gis.geos import Point
from django.db import connections, router
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, JsonResponse, QueryDict
from django.urls import reverse
from django.views.decorators.http import require_safe

from geo_civic.actors.models import Actor
from geo_civic.participation import statuses
from geo_civic.participation.models import Proposal
from geo_civic.web.params import (
    ParameterError,
    number_parameter,
    parse_query,
    whole_number_parameter,
)
from geo_civic.web.problems import problem_of

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_RADIUS_M = 500_000
# What the endpoint parses and what its OpenAPI operation says, declared once.
PARAMETERS = (
    number_parameter("lat", "latitude (WGS 84)", low=-90, high=90, required=True),
    number_parameter("lon", "longitude (WGS 84)", low=-180, high=180, required=True),
    whole_number_parameter(
        "limit",
        "how many actors and proposals at most",
        minimum=1,
        maximum=MAX_LIMIT,
        default=DEFAULT_LIMIT,
    ),
    number_parameter("radius", "only what lies within this many metres", low=1, high=MAX_RADIUS_M),
)

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


def parse(query: QueryDict) -> dict:
    """Strictly parse the query string: unknown, repeated or out-of-range values are errors."""
    return parse_query(query, PARAMETERS)


def nearest_actors(lat: float, lon: float, limit: int = DEFAULT_LIMIT, radius=None) -> list[dict]:
    """The published actors nearest to (lat, lon), each with its distance in metres."""
    with connections[router.db_for_read(Actor)].cursor() as cursor:
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
    return [{"layer": "actors", **row} for row in results]


METRES_SQL = "ST_Distance(marker::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)"


def nearest_proposals(lat: float, lon: float, limit: int = DEFAULT_LIMIT, radius=None) -> list:
    """The public located proposals nearest to (lat, lon), each with its distance in metres."""
    here = Point(lon, lat, srid=4326)
    candidates = (
        Proposal.objects.filter(statuses.public(), marker__isnull=False)
        .order_by(GeometryDistance("marker", here))
        .values_list("pk", flat=True)[: limit * 4 + 20]
    )
    rows = (
        Proposal.objects.filter(pk__in=list(candidates))
        .annotate(metres=RawSQL(METRES_SQL, [lon, lat]))
        .values("pk", "title", "status", "space__title", "marker", "metres")
    )
    page = reverse("proposal", kwargs={"pk": 0}).rsplit("0", 1)
    found = [
        {
            "layer": "proposals",
            "id": row["pk"],
            "name": row["title"],
            "kind": "proposal",
            "url": f"{page[0]}{row['pk']}{page[1]}",
            "status": row["status"],
            "space_title": row["space__title"],
            "lon": round(row["marker"].x, 6),
            "lat": round(row["marker"].y, 6),
            "distance_m": round(row["metres"]),
        }
        for row in rows
        if radius is None or row["metres"] <= radius
    ]
    found.sort(key=lambda row: (row["distance_m"], row["id"]))
    return found[:limit]


def nearest(lat: float, lon: float, limit: int = DEFAULT_LIMIT, radius=None) -> list[dict]:
    """Actors and proposals together, nearest first, at most ``limit``."""
    rows = nearest_actors(lat, lon, limit, radius) + nearest_proposals(lat, lon, limit, radius)
    rows.sort(key=lambda row: row["distance_m"])  # stable: an actor first at equal distance
    return rows[:limit]


@require_safe
def nearby(request: HttpRequest) -> JsonResponse:
    """``/api/nearby?lat=&lon=&limit=&radius=``: nearest actors and proposals, nearest first."""
    try:
        params = parse(request.GET)
    except ParameterError as error:
        return problem_of(error)
    return JsonResponse({"results": nearest(**params)})
