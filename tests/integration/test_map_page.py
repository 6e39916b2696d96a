"""The resident's map in a real browser: filters, search, shareable URLs, phone, English, embed."""

import re

import pytest
from playwright.sync_api import expect

from geo_civic.actors.models import Actor
from importers.actors import upsert_actors
from importers.communes import import_communes
from importers.gogocarto import read_gogocarto
from tests.conftest import GOGOCARTO, REUNION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARKERS = "path.actor-marker"


@pytest.fixture
def reunion(test_data):
    import_communes(test_data(REUNION))
    rows, warnings = read_gogocarto(test_data(GOGOCARTO))
    upsert_actors(rows, source_key="gogocarto", warnings=warnings)
    Actor.objects.create(
        kind="place", name="Jardin partagé du Butor", point="POINT(55.4552 -20.8843)"
    )
    Actor.objects.create(
        kind="place", name="Ressourcerie de Cilaos", point="POINT(55.4718 -21.1347)"
    )
    Actor.objects.create(kind="event", name="Fête de la lentille", point="POINT(55.4725 -21.1352)")


def open_map(page, url, status="101 initiatives"):
    page.goto(url)
    expect(page.locator("path.commune-shape")).to_have_count(24)
    expect(page.locator("#map-status")).to_contain_text(status)


def test_a_filter_changes_markers_counts_list_and_url(live_server, page, reunion):
    open_map(page, live_server.url + "/")
    expect(page.locator(".count[data-kind=place]")).to_have_text("(2)")
    expect(page.locator(".count[data-kind=organisation]")).to_have_text("(98)")
    page.get_by_label("Organisations").uncheck()
    expect(page.locator(MARKERS)).to_have_count(3)
    expect(page.locator("#results li")).to_have_count(3)
    expect(page.locator("#map-status")).to_contain_text("3 initiatives dans cette vue")
    assert "kinds=project,event,place" in page.url
    assert "kind=project,event,place" in page.locator("#download-geojson").get_attribute("href")
    page.go_back()  # the Back button undoes the filter
    expect(page.get_by_label("Organisations")).to_be_checked()
    expect(page.locator(MARKERS)).to_have_count(101)


def test_hovering_a_row_highlights_its_marker(live_server, page, reunion):
    open_map(page, live_server.url + "/#kinds=event", "1 initiative dans cette vue")
    row = page.locator("#results li")
    expect(row).to_have_count(1)
    row.locator("button").hover()
    radius = page.evaluate("() => [...window.geocivic.layers.markers.values()][0].options.radius")
    assert radius == 11
    row.locator("button").click()
    expect(page.locator(".leaflet-popup-content .popup-title")).to_have_text("Fête de la lentille")
    assert re.search(r"sel=\d+", page.url)


def test_place_search_suggests_and_flies_to_the_commune(live_server, page, reunion):
    open_map(page, live_server.url + "/")
    page.get_by_label("Trouver une commune").fill("cila")
    suggestion = page.locator("#place-suggestions button")
    expect(suggestion).to_have_text(["Cilaos (97424)"])
    suggestion.click()
    page.wait_for_function("() => window.geocivic.map.getZoom() >= 11")
    centre = page.evaluate("() => window.geocivic.map.getCenter()")
    assert -21.2 < centre["lat"] < -21.05 and 55.35 < centre["lng"] < 55.55
    expect(page.locator("#results li", has_text="Ressourcerie de Cilaos")).to_have_count(1)


def settled_url(page) -> str:
    """The URL once the map has stopped moving (panning to a selection updates it)."""
    previous = None
    while page.url != previous:
        previous = page.url
        page.wait_for_timeout(400)
    return previous


def test_a_copied_url_reopens_the_same_view(live_server, page, browser, reunion):
    open_map(page, live_server.url + "/")
    page.get_by_label("Événements").uncheck()
    page.evaluate("() => window.geocivic.map.setView([-21.134, 55.472], 14)")
    page.wait_for_function("() => location.hash.startsWith('#map=14/')")
    page.locator("#results li", has_text="Ressourcerie de Cilaos").locator("button").click()
    page.wait_for_function("() => /sel=\\d+/.test(location.hash)")
    shared_url = settled_url(page)
    zoom, lat, lng = (float(v) for v in re.search(r"map=([^&]+)", shared_url)[1].split("/"))

    other = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    other.route("https://tiles.test/**", lambda route: route.fulfill(status=204))
    reopened = other.new_page()
    reopened.goto(shared_url)
    expect(reopened.locator(".leaflet-popup-content .popup-title")).to_have_text(
        "Ressourcerie de Cilaos"
    )
    view = reopened.evaluate(
        "() => [window.geocivic.map.getZoom(), window.geocivic.map.getCenter()]"
    )
    assert view[0] == zoom == 14
    assert (view[1]["lat"], view[1]["lng"]) == (
        pytest.approx(lat, abs=1e-5),
        pytest.approx(lng, abs=1e-5),
    )
    expect(reopened.get_by_label("Événements")).not_to_be_checked()
    expect(reopened.get_by_label("Lieux")).to_be_checked()
    other.close()


def test_phone_shows_a_bottom_sheet(live_server, browser, reunion, screenshot, settings):
    settings.GEO_CIVIC_BASEMAP_URL = "https://tiles.test/{z}/{x}/{y}.png"
    phone = browser.new_context(
        viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True, locale="fr-FR"
    )
    phone.route("https://tiles.test/**", lambda route: route.fulfill(status=204))
    page = phone.new_page()
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_contain_text("initiatives")
    handle = page.locator("#sheet-handle")
    sheet_top = page.locator("#panel").bounding_box()["y"]
    assert sheet_top > 740 - 80  # collapsed: only the handle shows at the bottom
    map_box = page.locator("#map").bounding_box()
    assert map_box["width"] == 360
    handle.tap()
    expect(handle).to_have_attribute("aria-expanded", "true")
    page.wait_for_function(
        "() => document.getElementById('panel').getBoundingClientRect().top < 400"
    )
    expect(page.locator("#results li").first).to_be_visible()
    screenshot(page, "map-phone-bottom-sheet")
    phone.close()


def test_the_english_switch_translates_the_interface(live_server, page, reunion):
    open_map(page, live_server.url + "/")
    expect(page.locator("#results-title")).to_have_text("Dans cette vue")
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#results-title")).to_have_text("In this view")
    expect(page.locator("#map-status")).to_contain_text("101 initiatives in this view")
    expect(page.get_by_label("Find a commune")).to_be_visible()
    page.locator("#results li", has_text="Fête de la lentille").locator("button").click()
    expect(page.locator(".leaflet-popup-content .popup-meta")).to_contain_text("event")


def test_embed_mode_can_be_framed_by_any_site(live_server, page, reunion, client):
    response = client.get("/embed/")
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert client.get("/")["X-Frame-Options"] == "DENY"
    open_map(page, live_server.url + "/embed/#kinds=place", "2 initiatives")
    expect(page.locator(MARKERS)).to_have_count(2)
    expect(page.locator("form.language")).to_have_count(0)


def test_the_map_is_an_installable_app(live_server, page, reunion):
    open_map(page, live_server.url + "/")
    manifest = page.evaluate("async () => (await fetch('/manifest.webmanifest')).json()")
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope == live_server.url + "/"
