import pytest

from geo_civic.actors.models import Actor
from geo_civic.territories.models import Commune

pytestmark = pytest.mark.django_db


def test_admin_edits_communes_and_actors_on_a_map_served_locally(admin_client, reunion_communes):
    actor = Actor.objects.create(kind="place", name="Jardin", point="POINT(55.4481 -20.8789)")
    for url in (
        f"/admin/territories/commune/{Commune.objects.get(code='97411').pk}/change/",
        f"/admin/actors/actor/{actor.pk}/change/",
    ):
        page = admin_client.get(url).content.decode()
        assert "vendor/ol/dist/ol.js" in page
        assert "gis/js/OLMapWidget.js" in page
        assert "cdn." not in page


def test_admin_lists_communes_with_their_area(admin_client, reunion_communes):
    page = admin_client.get("/admin/territories/commune/?q=Cilaos").content.decode()
    assert "97424" in page
    assert "Cilaos" in page
