"""The map in a real browser: commune boundaries from vector tiles, actors clustered, cards."""

import re

import pytest
from playwright.sync_api import expect

from geo_civic.actors.models import Actor
from geo_civic.territories.models import Commune
from importers.actors import upsert_actors
from importers.communes import import_communes
from importers.gogocarto import read_gogocarto
from tests.conftest import GOGOCARTO, REUNION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A marker drawn alone, or a client-side cluster of several.
MARKERS_OR_CLUSTERS = "path.actor-marker, .marker-cluster"


@pytest.fixture
def reunion(test_data):
    import_communes(test_data(REUNION))
    rows, warnings = read_gogocarto(test_data(GOGOCARTO))
    upsert_actors(rows, source_key="gogocarto", warnings=warnings)


def commune_at(page, lat: float, lon: float):
    """The commune drawn under a position, read from the vector tiles the page loaded."""
    return page.evaluate(
        "([lat, lng]) => window.geocivic?.communes.at({lat, lng})?.name ?? null", [lat, lon]
    )


def wait_for_commune(page, lat: float, lon: float, name: str) -> None:
    page.wait_for_function(
        "([lat, lng, name]) => window.geocivic?.communes.at({lat, lng})?.name === name",
        arg=[lat, lon, name],
    )


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


def test_map_draws_communes_from_vector_tiles_and_clusters_actors(
    live_server, page, reunion, screenshot
):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_contain_text("98 initiatives dans cette vue")
    wait_for_commune(page, -21.135, 55.47, "Cilaos")
    assert commune_at(page, -20.88, 55.45) == "Saint-Denis"
    expect(page.locator(MARKERS_OR_CLUSTERS).first).to_be_visible()
    # 98 actors drawn as fewer, numbered groups: the counts add up to every actor.
    total = page.evaluate(
        """() => [...document.querySelectorAll('.marker-cluster span')]
                 .reduce((n, s) => n + Number(s.textContent), 0)
               + document.querySelectorAll('path.actor-marker').length"""
    )
    assert total == 98
    assert page.locator(".marker-cluster").count() > 0
    assert any("/tiles/communes/" in url and url.endswith(".pbf") for url in requests)
    assert not any("communes.geojson" in url for url in requests)  # no boundary GeoJSON
    assert page.locator("img.leaflet-tile-loaded").count() > 0  # the local basemap tile
    screenshot(page, "map-la-reunion")
    assert page.errors == []


def test_hovering_highlights_and_clicking_a_commune_opens_its_card(live_server, page, reunion):
    Commune.objects.filter(code="97424").update(population=5538)
    expected = Actor.objects.filter(commune__code="97424", status="published").count()
    page.goto(live_server.url + "/")
    wait_for_commune(page, -21.135, 55.47, "Cilaos")
    x, y = page.evaluate(
        """() => {
            const p = window.geocivic.map.latLngToContainerPoint([-21.135, 55.47]);
            const box = document.getElementById("map").getBoundingClientRect();
            return [p.x + box.left, p.y + box.top];
        }"""
    )
    page.mouse.move(x, y)
    page.wait_for_function("() => window.geocivic.communes.hovered === '97424'")
    expect(page.locator("#map")).to_have_class(re.compile(r"\bover-commune\b"))
    click_at(page, -21.135, 55.47)  # the cirque of Cilaos, away from any marker
    card = page.locator(".commune-card .leaflet-popup-content")
    expect(card.locator(".popup-title")).to_have_text("Cilaos")
    expect(card.locator(".popup-population")).to_have_text(re.compile(r"^5\s538 habitants$"))
    expect(card.locator(".popup-count")).to_have_text(
        f"{expected} initiative{'s' if expected > 1 else ''}"
    )
    expect(card.get_by_role("link", name="Page de la commune")).to_have_attribute(
        "href", "/communes/97424/"
    )
    assert page.errors == []


def test_a_marker_opens_a_compact_card_then_details_as_text(live_server, page, reunion):
    hostile = "<img src=x onerror=alert(1)>"
    actor = Actor.objects.create(
        kind="place", name=hostile, summary="Un <b>lieu</b> ouvert", point="POINT(55.62 -21.07)"
    )
    page.goto(live_server.url + "/#map=15/-21.07/55.62")
    expect(page.locator("#map-status")).to_contain_text("1 initiative dans cette vue")
    click_at(page, -21.07, 55.62)
    popup = page.locator(".leaflet-popup-content")
    expect(popup.locator(".popup-title")).to_have_text(hostile)
    expect(popup.locator(".popup-meta")).to_contain_text("lieu")
    expect(popup.locator(".popup-summary")).to_be_hidden()  # compact first
    popup.get_by_role("button", name="Plus").click()
    expect(popup.locator(".popup-summary")).to_have_text("Un <b>lieu</b> ouvert")
    # The layer's `url` (contract) when it publishes one, else the permalink by id.
    href = popup.get_by_role("link", name="Voir sa fiche").get_attribute("href")
    assert href in (actor.get_absolute_url(), f"/acteurs/{actor.id}/")
    assert popup.locator("img, b").count() == 0
    assert page.errors == []


def test_empty_map_says_no_commune_is_loaded(live_server, page):
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_contain_text("Aucune commune chargée")
    assert page.errors == []
