"""The territory of a space: its communes, their population, and whether a shape lies within.

An EPCI's or a département's space covers its current communes; an actor's space covers the
actor's commune. PostGIS answers whether a location lies inside (``ST_Covers``).
"""

from __future__ import annotations

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from geo_civic.participation.errors import OutsideTerritory
from geo_civic.participation.models import Space
from geo_civic.territories.models import CURRENT, Commune


def communes_of(space: Space) -> QuerySet:
    """The current communes of ``space``'s territory."""
    current = Commune.objects.filter(CURRENT)
    if space.commune_id:
        return Commune.objects.filter(pk=space.commune_id)
    if space.epci_id:
        return current.filter(epci_id=space.epci_id)
    if space.departement_id:
        return current.filter(departement_code=space.departement.code)
    return Commune.objects.filter(pk=space.actor.commune_id)


def spans_several_communes(space: Space) -> bool:
    return bool(space.epci_id or space.departement_id)


def population_of(space: Space) -> int | None:
    """COG population of the territory; None when a commune's population is unknown."""
    found = communes_of(space).aggregate(
        total=Sum("population"), unknown=Count("pk", filter=Q(population__isnull=True))
    )
    return None if found["unknown"] or found["total"] is None else found["total"]


COVERS_SQL = """
SELECT ST_Covers(ST_Union(boundary), ST_GeomFromEWKT(%s))
FROM territories_commune WHERE id = ANY(%s)
"""


def check_within(space: Space, location: GEOSGeometry) -> None:
    """Refuse a location that is not entirely inside the space's territory."""
    ids = list(communes_of(space).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(COVERS_SQL, [location.ewkt, ids])
        (inside,) = cursor.fetchone()
    if not inside:
        names = ", ".join(communes_of(space).values_list("name", flat=True)[:5]) or "none"
        raise OutsideTerritory(
            f"the location is not within the territory of the space ({names})"
        )


def describe(space: Space) -> dict:
    """Which territory or actor a space belongs to, as the API shows it."""
    if space.commune_id:
        return {"type": "commune", "code": space.commune.code, "name": space.commune.name}
    if space.epci_id:
        return {"type": "epci", "code": space.epci.code, "name": space.epci.name}
    if space.departement_id:
        return {"type": "departement", "code": space.departement.code,
                "name": space.departement.name}  # fmt: skip
    return {"type": "actor", "id": space.actor_id, "name": space.actor.name}
