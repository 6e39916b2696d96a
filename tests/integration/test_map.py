import pytest
from playwright.sync_api import expect

from geo_civic.actors.models import Actor
from importers.actors import upsert_actors
from importers.communes import import_communes
from importers.gogocarto import read_gogocarto
from tests.conftest import GOGOCARTO, REUNION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reunion(test_data):
    import_communes(test_data(REUNION))
    rows, warnings = read_gogocarto(test_data(GOGOCARTO))
    upsert_actors(rows, source_key="gogocarto", warnings=warnings)


def test_map_shows_communes_and_markers(live_server, page, reunion, screenshot):
    page.goto(live_server.url + "/")
    expect(page.locator("path.commune-shape")).to_have_count(24)
    markers = page.locator("path.actor-marker")
    expect(markers.first).to_be_visible()
    assert markers.count() >= 50
    expect(page.locator("#map-status")).to_contain_text("initiatives dans cette vue")
    assert page.locator("img.leaflet-tile-loaded").count() > 0  # the local basemap tile
    screenshot(page, "map-la-reunion")
    assert page.errors == []


def click_at(page, lat: float, lon: float) -> None:
    """A real mouse click on the map at a geographic position."""
    x, y = page.evaluate(
        """([lat, lon]) => {
            const p = window.geocivic.map.latLngToContainerPoint([lat, lon]);
            const box = document.getElementById("map").getBoundingClientRect();
            return [p.x + box.left, p.y + box.top];
        }""",
        [lat, lon],
    )
    page.mouse.click(x, y)


def test_clicking_a_commune_shows_its_name(live_server, page, reunion):
    page.goto(live_server.url + "/")
    expect(page.locator("path.commune-shape")).to_have_count(24)
    click_at(page, -21.135, 55.47)  # the cirque of Cilaos, away from any marker
    expect(page.locator(".leaflet-popup-content .popup-title")).to_have_text("Cilaos")


def test_clicking_a_marker_shows_its_name_as_text(live_server, page, reunion):
    hostile = "<img src=x onerror=alert(1)>"
    Actor.objects.create(kind="place", name=hostile, point="POINT(55.62 -21.07)")
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_contain_text("99 initiatives")
    click_at(page, -21.07, 55.62)
    popup = page.locator(".leaflet-popup-content")
    expect(popup.locator(".popup-title")).to_have_text(hostile)
    expect(popup.locator(".popup-meta")).to_contain_text("lieu")
    assert popup.locator("img").count() == 0
    assert page.errors == []


def test_empty_map_says_no_commune_is_loaded(live_server, page):
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_contain_text("Aucune commune chargée")
    expect(page.locator("path.commune-shape")).to_have_count(0)
