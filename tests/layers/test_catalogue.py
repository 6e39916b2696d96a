"""The /data/ page: what a journalist reads first."""

import re

import pytest

from geo_civic.actors.models import Actor

pytestmark = pytest.mark.django_db


def test_catalogue_lists_every_layer_with_count_formats_and_licence(client, reunion_communes):
    Actor.objects.create(kind="event", name="Fête", point="POINT(55.4482 -20.8790)")
    response = client.get("/data/")
    assert response.status_code == 200
    page = response.content.decode()
    for title in ("Communes", "Acteurs", "Événements", "Acteurs par commune"):
        assert f">{title}<" in page
    communes = re.search(r'<tr id="layer-communes">(.*?)</tr>', page, re.S).group(1)
    assert '<td class="count">24</td>' in communes
    assert "Licence Ouverte / Open Licence (Etalab)" in communes
    events = re.search(r'<tr id="layer-events">(.*?)</tr>', page, re.S).group(1)
    assert '<td class="count">1</td>' in events and "<time datetime=" in events
    links = re.findall(r'href="(/api/layers/communes\.[a-z]+)"', communes)
    assert {link.rsplit(".", 1)[1] for link in links} == {
        "geojson",
        "csv",
        "gpkg",
        "shp",
        "kml",
        "fgb",
        "html",
    }
    for link in links:  # every advertised download works
        assert client.get(link).status_code == 200, link
    assert 'href="/tiles/communes.json"' in communes
    assert "http://testserver/ogc/" in page
