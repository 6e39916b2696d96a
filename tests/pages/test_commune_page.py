"""The commune page: what a resident learns about a commune, and where to go from there."""

from __future__ import annotations

import datetime
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from geo_civic.actors.models import Actor
from geo_civic.pages.communes import neighbours
from geo_civic.territories.models import Commune
from importers.cog import import_cog

pytestmark = pytest.mark.django_db

SAINT_PAUL = "POINT(55.2700 -21.0096)"


def minimap_data(html: str) -> dict:
    found = re.search(r'<script id="minimap-data" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1))


def test_unknown_code_is_a_404(client, reunion_communes):
    assert client.get("/communes/99999/").status_code == 404


def test_facts_boundary_and_published_actors_by_kind(client, reunion_communes):
    import_cog()
    Actor.objects.create(kind="place", name="Kaz Repair", point=SAINT_PAUL, summary="Réparer")
    Actor.objects.create(kind="organisation", name="Asso Lagon", point=SAINT_PAUL)
    Actor.objects.create(kind="place", name="Fiche en attente", point=SAINT_PAUL, status="pending")
    Actor.objects.create(
        kind="place", name="Chez Marie", point=SAINT_PAUL, email="marie@example.org"
    )
    start = timezone.now() + timedelta(days=3)
    Actor.objects.create(kind="event", name="Marché forain", point=SAINT_PAUL, starts_at=start)
    html = client.get("/communes/97415/").content.decode()

    assert "<h1>Saint-Paul</h1>" in html
    assert re.search(r'id="population">\d{5,6}<', html)
    assert "97460" in html  # its postal code, from the COG
    assert "La Réunion" in html and "Territoire de la Côte Ouest" in html  # région and EPCI
    assert "Kaz Repair" in html and "Asso Lagon" in html and "Chez Marie" in html
    assert "Fiche en attente" not in html and "marie@example.org" not in html
    assert "3 initiatives" in html
    assert re.search(r"<h3>Organisations</h3>.*Asso Lagon.*<h3>Lieux</h3>.*Kaz Repair", html, re.S)
    assert re.search(r'id="events".*Marché forain', html, re.S)
    boundary = minimap_data(html)["boundary"]
    assert boundary["type"] == "MultiPolygon"
    lon, lat = boundary["coordinates"][0][0][0]
    assert 55.2 < lon < 55.5 and -21.2 < lat < -20.9
    assert 'href="/communes/97415/agenda.ics"' in html
    assert 'href="/communes/97415/nouveautes.atom"' in html
    for link in ("/api/layers/actors.geojson?commune=97415", "/api/layers/actors.csv?commune=97415",
                 "/api/layers/actors.gpkg?commune=97415",
                 "/api/layers/communes.geojson?commune=97415"):  # fmt: skip
        assert f'href="{link}"' in html
    # The export link answers with this commune's actors only.
    response = client.get("/api/layers/actors.geojson?commune=97415")
    exported = json.loads(b"".join(response.streaming_content))
    assert {f["properties"]["name"] for f in exported["features"]} >= {"Kaz Repair", "Asso Lagon"}


def test_neighbours_share_a_border_despite_simplified_boundaries(client, reunion_communes):
    saint_paul = Commune.objects.get(code="97415")
    codes = {c.code for c in neighbours(saint_paul)}
    # Le Port, La Possession, Trois-Bassins, Cilaos and Salazie border Saint-Paul; Saint-Leu
    # lies 1 km away across Trois-Bassins; Saint-Denis, across the island, is no neighbour.
    assert codes == {"97407", "97408", "97423", "97424", "97421"}
    html = client.get("/communes/97415/").content.decode()
    assert re.search(r'id="neighbours".*href="/communes/97407/">Port<', html, re.S)


def test_a_retired_commune_shows_its_successor(client, reunion_communes):
    Commune.objects.filter(code="97418").update(
        valid_to=datetime.date(2025, 1, 1),
        successor=Commune.objects.get(code="97411"),
    )
    html = client.get("/communes/97418/").content.decode()
    assert "n'existe plus depuis le 1 janvier 2025" in html
    assert re.search(r'id="successor".*href="/communes/97411/">Saint-Denis<', html, re.S)
    assert 'id="actors"' not in html  # its actors now belong to the successor


def test_the_page_in_english(client, reunion_communes):
    client.cookies["django_language"] = "en"
    html = client.get("/communes/97415/").content.decode()
    assert "Neighbouring communes" in html and "Download the data" in html
    assert '<html lang="en">' in html
