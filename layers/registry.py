"""The named layers that the map, the API and the exports read.

A layer is a queryset of what may be shown, the geometry field, and the properties it publishes.
Only the properties listed here ever leave the database, so a private field stays private.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, QuerySet

from geo_civic.actors.models import Actor
from geo_civic.territories.models import CURRENT, Commune


@dataclass(frozen=True)
class Layer:
    name: str
    title: str
    model: type
    rows: Callable[[], QuerySet]
    geometry: str
    # published name -> model field path
    properties: dict[str, str]

    def published(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` reduced to the id, the published properties and ``_geom``."""
        same = [name for name, path in self.properties.items() if name == path]
        renamed = {name: F(path) for name, path in self.properties.items() if name != path}
        return queryset.values("id", *same, **renamed, _geom=F(self.geometry))


LAYERS: dict[str, Layer] = {
    layer.name: layer
    for layer in (
        Layer(
            name="communes",
            title="Communes",
            model=Commune,
            rows=lambda: Commune.objects.filter(CURRENT),
            geometry="boundary",
            properties={
                "code": "code",
                "name": "name",
                "departement": "departement_code",
                "population": "population",
                "area_km2": "area_km2",
            },
        ),
        Layer(
            name="actors",
            title="Acteurs",
            model=Actor,
            rows=lambda: Actor.objects.filter(status=Actor.Status.PUBLISHED),
            geometry="point",
            properties={
                "name": "name",
                "kind": "kind",
                "summary": "summary",
                "tags": "tags",
                "website": "website",
                "commune_code": "commune__code",
                "commune_name": "commune__name",
            },
        ),
    )
}


def get_layer(name: str) -> Layer | None:
    return LAYERS.get(name)
