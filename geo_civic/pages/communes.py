"""The page of one commune: its boundary, facts, actors, upcoming events, neighbours and exports.

Everything shown is public: published actors only, through their public fields. Neighbours are
found by PostGIS; boundaries are simplified by their publishers and do not exactly share their
edges, so two communes are neighbours when they lie within a few tens of metres of each other,
measured on the sphere.
"""

from __future__ import annotations

import json

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db import connections, router
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from geo_civic.actors.kinds import KINDS
from geo_civic.actors.models import Actor
from geo_civic.pages.democracy.spaces import commune_participation
from geo_civic.territories.models import Commune, Departement, Region
from geo_civic.web.basemap import basemap_config
from layers.feeds.views import upcoming_events

# Metres between two boundaries that still count as a shared border; the bounding-box test
# first uses the geometry index with about twice that distance in degrees.
NEIGHBOUR_TOLERANCE_M = 50
NEIGHBOUR_BOX_DEGREES = 0.001

NEIGHBOURS_SQL = """
SELECT n.id
FROM territories_commune c
JOIN territories_commune n
  ON n.id <> c.id AND n.valid_to IS NULL AND n.country = c.country
 AND n.boundary && ST_Expand(c.boundary, %(box)s)
 AND ST_DWithin(n.boundary::geography, c.boundary::geography, %(metres)s)
WHERE c.id = %(id)s
"""

EXPORT_FORMATS = ("geojson", "csv", "gpkg", "kml")
EVENTS_SHOWN = 20


def neighbours(commune: Commune) -> list[Commune]:
    """Current communes that share a border with ``commune``, by name."""
    with connections[router.db_for_read(Commune)].cursor() as cursor:
        cursor.execute(
            NEIGHBOURS_SQL,
            {"id": commune.pk, "box": NEIGHBOUR_BOX_DEGREES, "metres": NEIGHBOUR_TOLERANCE_M},
        )
        ids = [row[0] for row in cursor.fetchall()]
    return list(Commune.objects.filter(pk__in=ids).order_by("name"))


def find_commune(code: str) -> Commune:
    """The commune with this code, the current one first when a code was reused; else 404."""
    commune = (
        Commune.objects.filter(code=code)
        .select_related("epci", "successor")
        .annotate(boundary_json=AsGeoJSON("boundary", precision=5))
        .order_by(F("valid_to").desc(nulls_first=True))
        .first()
    )
    if commune is None:
        raise Http404(_("No commune has this code."))
    return commune


def export_links(code: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(layer label, [(format, URL)]) of the exports filtered to this commune."""
    layers = [("actors", _("Actors")), ("events", _("Events")), ("communes", _("Boundary"))]
    links = []
    for name, label in layers:
        urls = []
        for fmt in EXPORT_FORMATS:
            if fmt == "geojson":
                url = reverse("layer-geojson", kwargs={"name": name})
            else:
                url = reverse("layer-export", kwargs={"name": name, "fmt": fmt})
            urls.append((fmt, f"{url}?commune={code}"))
        links.append((label, urls))
    return links


@require_safe
def commune_page(request: HttpRequest, code: str) -> HttpResponse:
    commune = find_commune(code)
    actors = (
        Actor.objects.filter(commune=commune, status=Actor.Status.PUBLISHED)
        .exclude(kind=Actor.Kind.EVENT)
        .only("id", "name", "slug", "kind", "summary")
        .order_by("name")
    )
    by_kind = [
        (kind.plural, [a for a in actors if a.kind == kind.value])
        for kind in KINDS
        if kind.value != Actor.Kind.EVENT
    ]
    departement = Departement.objects.filter(code=commune.departement_code).first()
    region = Region.objects.filter(code=commune.region_code).first()
    minimap = {
        "basemap": basemap_config(),
        "boundary": json.loads(commune.boundary_json),
    }
    context = {
        "commune": commune,
        "current": commune.valid_to is None,
        "departement": departement,
        "region": region,
        "postal_codes": [p.code for p in commune.postal_codes.all()],
        "actors_by_kind": [(label, group) for label, group in by_kind if group],
        "actor_count": sum(len(group) for _label, group in by_kind),
        "events": list(upcoming_events().filter(commune=commune)[:EVENTS_SHOWN]),
        "neighbours": neighbours(commune) if commune.valid_to is None else [],
        "exports": export_links(commune.code),
        "minimap": minimap,
        "centre": commune.boundary.point_on_surface,
        **(commune_participation(commune) if commune.valid_to is None else {}),
    }
    return render(request, "communes/commune.html", context)
