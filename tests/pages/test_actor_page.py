"""The actor page: a mini-map at the published position, its commune, and JSON-LD for search."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from geo_civic.actors.models import Actor

pytestmark = pytest.mark.django_db

HOME = "POINT(55.27137 -21.00963)"  # an exact home address in Saint-Paul


def json_ld(html: str) -> dict:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    return json.loads(found[0])


def minimap(html: str) -> dict:
    found = re.search(r'<script id="minimap-data" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1))


def test_a_home_is_shown_at_its_public_position_only(client, reunion_communes):
    actor = Actor.objects.create(
        kind="organisation", name="Atelier couture chez Marie", point=HOME,
        location_is_private=True, address="12 rue des Lilas",
    )  # fmt: skip
    html = client.get(actor.get_absolute_url()).content.decode()
    lat, lon = minimap(html)["point"]
    assert (round(lat, 6), round(lon, 6)) == (-21.01, 55.27)  # the ~1 km grid cell
    assert minimap(html)["approximate"] is True
    data = json_ld(html)
    assert data["@type"] == "Organization"
    assert data["location"]["geo"] == {"@type": "GeoCoordinates", "latitude": -21.01,
                                       "longitude": 55.27}  # fmt: skip
    assert "55.27137" not in html and "21.00963" not in html and "rue des Lilas" not in html


def test_event_json_ld_has_dates_and_place_and_cannot_close_the_script(client, reunion_communes):
    start = timezone.now() + timedelta(days=2)
    actor = Actor.objects.create(
        kind="event", name="Fèt </script><script>alert(1)</script> & kabar",
        point="POINT(55.2700 -21.0096)", starts_at=start, ends_at=start + timedelta(hours=2),
        website="https://kabar.example.org/",
    )  # fmt: skip
    html = client.get(actor.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    data = json_ld(html)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == actor.name
    assert data["startDate"] == timezone.localtime(start).isoformat()
    assert data["endDate"] == timezone.localtime(start + timedelta(hours=2)).isoformat()
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["addressLocality"] == "Saint-Paul"
    assert data["sameAs"] == ["https://kabar.example.org/"]
    assert data["url"] == f"http://testserver{actor.get_absolute_url()}"


def test_place_json_ld_and_commune_link(client, reunion_communes):
    actor = Actor.objects.create(
        kind="place", name="Tiers-lieu Lakaz", point="POINT(55.27 -21.0096)"
    )
    html = client.get(actor.get_absolute_url()).content.decode()
    data = json_ld(html)
    assert data["@type"] == "Place" and data["geo"]["latitude"] == -21.0096
    assert '<a href="/communes/97415/" id="commune-link">Saint-Paul</a>' in html
    assert minimap(html)["approximate"] is False


def test_unpublished_entries_have_no_json_ld(client, reunion_communes):
    actor = Actor.objects.create(
        kind="place", name="Brouillon", point="POINT(55.27 -21.0096)", status="draft"
    )
    actor.owner = None
    assert client.get(actor.get_absolute_url()).status_code == 404


def test_english_actor_urls_lead_to_the_page(client, reunion_communes):
    actor = Actor.objects.create(
        kind="place", name="Tiers-lieu Lakaz", point="POINT(55.27 -21.0096)"
    )
    canonical = f"/acteurs/{actor.pk}-tiers-lieu-lakaz/"
    assert client.get(f"/actors/{actor.pk}-tiers-lieu-lakaz/").url == canonical
    assert client.get(f"/actors/{actor.pk}/").url == canonical
    assert client.get(f"/actors/{actor.pk}-tiers-lieu-lakaz/", follow=True).status_code == 200
    assert client.get("/actors/999999-nope/").status_code == 404
