"""The folium map export runs in a real browser, sandboxed away from our origin."""

import pytest
from playwright.sync_api import expect

from geo_civic.actors.models import Actor
from importers.communes import import_communes
from tests.conftest import REUNION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_html_map_runs_in_a_sandbox(live_server, page, test_data, settings):
    settings.GEO_CIVIC_EXPORTS_PER_MINUTE = 0
    import_communes(test_data(REUNION))
    for name, point in (("Jardin", "POINT(55.4481 -20.8789)"), ("AMAP", "POINT(55.45 -20.89)")):
        Actor.objects.create(kind="place", name=name, point=point)
    response = page.goto(live_server.url + "/api/layers/places.html?commune=97411")
    assert response.status == 200
    assert response.headers["content-security-policy"] == "sandbox allow-scripts allow-popups"
    # folium's inline scripts ran: Leaflet drew both circles and the basemap.
    expect(page.locator("path.leaflet-interactive")).to_have_count(2)
    expect(page.locator("img.leaflet-tile-loaded").first).to_be_visible()
    # An opaque origin: the page cannot read our cookies or storage, nor call our API as us.
    assert page.evaluate("() => self.origin") == "null"
    assert page.errors == []
