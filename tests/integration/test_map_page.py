"""The resident's map in a real browser: filters, search, shareable URLs, phone, English, embed."""

import re

import pytest
from playwright.sync_api import expect

from geo_civic.actors.models import Actor
from importers.actors import upsert_actors
from importers.communes import import_communes
from importers.gogocarto import read_gogocarto
from tests.conftest import GOGOCARTO, REUNION
from tests.integration.test_map import wait_for_commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARKERS = "path.actor-marker"


def drawn_actors(page) -> int:
    """Actors on the map: markers drawn alone plus the actors inside each cluster."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.marker-cluster span')]
                 .reduce((n, s) => n + Number(s.textContent), 0)
               + document.querySelectorAll('path.actor-marker').length"""
    )


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
    expect(page.locator("#map-status")).to_contain_text(status)
    wait_for_commune(page, -21.135, 55.47, "Cilaos")


def test_a_filter_changes_markers_counts_list_and_url(live_server, page, reunion):
    open_map(page, live_server.url + "/")
    expect(page.locator(".count[data-kind=place]")).to_have_text("(2)")
    expect(page.locator(".count[data-kind=organisation]")).to_have_text("(98)")
    page.get_by_label("Organisations").uncheck()
    expect(page.locator("#map-status")).to_contain_text("3 initiatives dans cette vue")
    expect(page.locator("#results li")).to_have_count(3)
    assert drawn_actors(page) == 3
    expect(page.locator(".count[data-kind=organisation]")).to_have_text("(98)")  # still offered
    assert "kinds=project,event,place" in page.url
    for link in ("#download-geojson", "#download-csv"):
        assert "kind=project%2Cevent%2Cplace" in page.locator(link).get_attribute("href")
    csv = page.evaluate(
        "async () => (await fetch(document.getElementById('download-csv').href)).text()"
    )
    assert csv.count("\n") == 1 + 3 and "Fête de la lentille" in csv  # what the map shows
    page.go_back()  # the Back button undoes the filter
    expect(page.get_by_label("Organisations")).to_be_checked()
    expect(page.locator("#map-status")).to_contain_text("101 initiatives dans cette vue")
    assert drawn_actors(page) == 101


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
    page.locator("input[name=kind][value=event]").uncheck()
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
    expect(reopened.locator("input[name=kind][value=event]")).not_to_be_checked()
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
    assert drawn_actors(page) == 2
    expect(page.locator("form.language")).to_have_count(0)
    expect(page.locator("nav.site-links")).to_have_count(0)


def test_the_map_is_an_installable_app(live_server, page, reunion):
    open_map(page, live_server.url + "/")
    manifest = page.evaluate("async () => (await fetch('/manifest.webmanifest')).json()")
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope == live_server.url + "/"


def test_near_me_lists_by_distance_widening_the_radius(
    live_server, browser, reunion, settings, screenshot
):
    settings.GEO_CIVIC_BASEMAP_URL = "https://tiles.test/{z}/{x}/{y}.png"
    # In the cirque of Cilaos, under 2 km south of its two initiatives, nothing within 1 km:
    # the list comes from a widened radius, nearest first.
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        locale="fr-FR",
        geolocation={"latitude": -21.1500, "longitude": 55.4700},
        permissions=["geolocation"],
    )
    context.route("https://tiles.test/**", lambda route: route.fulfill(status=204))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    calls: list[str] = []
    page.on("request", lambda r: calls.append(r.url) if "/api/nearby" in r.url else None)
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_contain_text("101 initiatives")
    page.get_by_role("button", name="Près de moi").click()
    rows = page.locator("#results li")
    expect(rows.first).to_contain_text("Fête de la lentille")
    names = [row.locator(".result-name").inner_text() for row in rows.all()]
    assert names[:2] == ["Fête de la lentille", "Ressourcerie de Cilaos"]  # 1,666 m, 1,710 m
    distances = [row.locator(".result-meta").inner_text().split(" · ")[0] for row in rows.all()]
    assert distances[:2] == ["1,7 km", "1,7 km"]  # geodesic, to the published point
    assert "radius=1000" in calls[0] and "radius=5000" in calls[1]  # widened once
    expect(page.locator("#map-status")).to_contain_text("à moins de 5 km")
    page.wait_for_function("() => window.geocivic.map.getBounds().contains([-21.13, 55.47])")
    screenshot(page, "map-near-me")
    assert errors == []
    context.close()


def test_full_text_search_suggests_and_filters_the_map(live_server, page, reunion):
    open_map(page, live_server.url + "/")
    page.get_by_label("Chercher des initiatives").fill("lentilles")  # stemmed, accents ignored
    suggestion = page.locator("#actor-suggestions button")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_contain_text("Fête de la lentille")
    page.get_by_label("Chercher des initiatives").fill("ressourcerie")
    expect(suggestion).to_have_count(2)  # « La ressourcerie LELA » too
    page.get_by_label("Chercher des initiatives").fill("ressourcerie cilaos")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_contain_text("Ressourcerie de Cilaos")
    page.get_by_label("Chercher des initiatives").press("Enter")
    expect(page.locator("#map-status")).to_contain_text("1 initiative dans cette vue")
    assert "q=ressourcerie%20cilaos" in page.url
    assert "q=ressourcerie+cilaos" in page.locator("#download-csv").get_attribute("href")
    page.go_back()
    expect(page.locator("#map-status")).to_contain_text("101 initiatives dans cette vue")
    page.get_by_label("Chercher des initiatives").fill("ressourcerie cilaos")
    suggestion.click()  # opens that initiative, zoomed in
    expect(page.locator(".leaflet-popup-content .popup-title")).to_have_text(
        "Ressourcerie de Cilaos"
    )
    assert page.evaluate("() => window.geocivic.map.getZoom()") >= 16
    assert page.errors == []


def test_place_search_finds_a_postal_code(live_server, page, reunion):
    from geo_civic.territories.models import Commune, PostalCode

    PostalCode.objects.create(code="97413").communes.add(Commune.objects.get(code="97424"))
    open_map(page, live_server.url + "/")
    page.get_by_label("Trouver une commune").fill("97413")
    page.get_by_label("Trouver une commune").press("Enter")
    page.wait_for_function("() => window.geocivic.map.getZoom() >= 11")
    wait_for_commune(page, -21.135, 55.47, "Cilaos")
    expect(page.locator("#results li", has_text="Ressourcerie de Cilaos")).to_have_count(1)


def test_events_this_week_filter_goes_to_the_api_and_the_url(live_server, page, reunion):
    open_map(page, live_server.url + "/")
    page.get_by_label("Dates des événements").select_option("week")
    assert "when=week" in page.url
    href = page.locator("#download-geojson").get_attribute("href")
    assert re.search(r"start=\d{4}-\d\d-\d\d&end=\d{4}-\d\d-\d\d", href)
    # Until the layers answer start/end for every actor layer, the map says so (no crash).
    expect(page.locator("#map-status")).not_to_be_empty()
    page.go_back()
    expect(page.get_by_label("Dates des événements")).to_have_value("")


def test_category_filter_counts_colours_and_downloads(live_server, page, reunion):
    from geo_civic.actors.models import Category

    garden = Category.objects.create(name="Jardins", slug="jardins", colour="#228833")
    Actor.objects.get(name="Jardin partagé du Butor").categories.add(garden)
    open_map(page, live_server.url + "/")
    box = page.locator("input[name=category][value=jardins]")
    expect(page.locator(".count[data-category=jardins]")).to_have_text("(1)")
    box.check()
    expect(page.locator("#map-status")).to_contain_text("1 initiative dans cette vue")
    assert "cat=jardins" in page.url
    assert "category=jardins" in page.locator("#download-csv").get_attribute("href")
    fill = page.evaluate("() => [...window.geocivic.layers.markers.values()][0].options.fillColor")
    assert fill == "#228833"  # the category's colour, not the kind's
    page.go_back()
    expect(box).not_to_be_checked()
    expect(page.locator("#map-status")).to_contain_text("101 initiatives")


def test_keyboard_and_screen_reader_use(live_server, page, reunion):
    open_map(page, live_server.url + "/#kinds=place", "2 initiatives")
    # Every control of the panel has an accessible name.
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('#panel input, #panel select, #panel button')]
            .filter((el) => el.type !== 'hidden' && !el.closest('[hidden]'))
            .filter((el) => !(el.labels?.length || el.getAttribute('aria-label')
                              || el.textContent.trim()))
            .map((el) => el.outerHTML)"""
    )
    assert unnamed == []
    # The filters and the list are reached with Tab, and the focus is visible.
    page.get_by_label("Lieux").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Lieux")).not_to_be_checked()
    expect(page.locator("#map-status")).to_contain_text("0 initiative")
    page.keyboard.press("Space")
    expect(page.locator("#results li")).to_have_count(2)
    first_row = page.locator("#results li button").first
    for _ in range(12):  # Tab on from the kind filters to the first row
        page.keyboard.press("Tab")
        if first_row.evaluate("(el) => el === document.activeElement"):
            break
    assert first_row.evaluate("(el) => el === document.activeElement")
    outline = first_row.evaluate("(el) => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content .popup-title")).to_have_text(
        first_row.locator(".result-name").inner_text()
    )
    assert page.errors == []
