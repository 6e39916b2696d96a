"""The commune and actor pages in a real browser, and the English switch of the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from geo_civic.actors.models import Actor
from importers.cog import import_cog
from importers.communes import import_communes
from tests.conftest import REUNION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME = "POINT(55.27137 -21.00963)"  # an exact home address in Saint-Paul


@pytest.fixture
def saint_paul(test_data):
    import_communes(test_data(REUNION))
    import_cog()
    Actor.objects.create(kind="place", name="Kaz Repair", point="POINT(55.2700 -21.0096)")
    Actor.objects.create(kind="organisation", name="Asso Lagon", point="POINT(55.28 -21.02)")
    start = timezone.now() + timedelta(days=3)
    Actor.objects.create(
        kind="event", name="Marché forain", point="POINT(55.27 -21.01)", starts_at=start
    )


def test_commune_page_shows_its_boundary_and_actors(live_server, page, saint_paul, screenshot):
    page.goto(live_server.url + "/communes/97415/")
    expect(page.locator("h1")).to_have_text("Saint-Paul")
    expect(page.locator("#postal-codes")).to_have_text("97411, 97422, 97423, 97434, 97435, 97460")
    expect(page.locator("#minimap.leaflet-container")).to_be_visible()
    expect(page.locator("#minimap path.leaflet-interactive")).to_have_count(1)  # the boundary
    south, west, north, east = page.evaluate(
        "(() => { const b = window.geocivicMinimap.boundary.getBounds();"
        " return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; })()"
    )
    assert -21.2 < south < north < -20.9 and 55.2 < west < east < 55.5
    actors = page.locator("#actors")
    expect(actors.get_by_role("link", name="Kaz Repair")).to_be_visible()
    expect(actors.get_by_role("link", name="Asso Lagon")).to_be_visible()
    expect(page.locator("#events")).to_contain_text("Marché forain")
    expect(page.locator("#neighbours").get_by_role("link", name="Trois-Bassins")).to_be_visible()
    page.locator("#actors").get_by_role("link", name="Kaz Repair").click()
    expect(page.locator("h1")).to_have_text("Kaz Repair")
    page.goto(live_server.url + "/communes/97415/")
    expect(page.locator("#minimap path.leaflet-interactive")).to_have_count(1)
    screenshot(page, "commune-page")
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    expect(page.locator("#minimap path.leaflet-interactive")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    screenshot(page, "commune-page-360px")
    assert page.errors == []


def test_actor_page_minimap_at_the_public_position_and_json_ld(
    live_server, page, saint_paul, screenshot
):
    actor = Actor.objects.create(
        kind="organisation", name="Atelier couture chez Marie", point=HOME,
        location_is_private=True, summary="Couture le mercredi",
    )  # fmt: skip
    page.goto(live_server.url + f"/actors/{actor.pk}-{actor.slug}/")
    assert page.url.endswith(actor.get_absolute_url())
    expect(page.locator("#minimap.leaflet-container")).to_be_visible()
    expect(page.locator("#minimap path.leaflet-interactive")).to_have_count(1)  # a ~1 km circle
    lat, lng = page.evaluate(
        "(() => { const p = window.geocivicMinimap.marker.getLatLng(); return [p.lat, p.lng]; })()"
    )
    assert (round(lat, 6), round(lng, 6)) == (-21.01, 55.27)  # never the exact home
    data = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
    )
    assert data["@type"] == "Organization" and data["name"] == "Atelier couture chez Marie"
    assert data["location"]["geo"]["latitude"] == -21.01
    expect(page.locator("#commune-link")).to_have_attribute("href", "/communes/97415/")
    screenshot(page, "actor-page")
    assert page.errors == []  # the JSON-LD block raises no Content Security Policy error


def test_english_switch_translates_the_contribution_form(live_server, page, saint_paul, screenshot):
    User.objects.create_user("lea", "lea@example.org", "jardin-partage-974")
    page.goto(live_server.url + "/contribuer/place/")
    page.fill("#id_username", "lea")
    page.fill("#id_password", "jardin-partage-974")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("h1")).to_have_text("Ajouter un lieu")
    expect(page.locator("label[for=id_tags_text]")).to_have_text("Mots-clés :")

    page.select_option("#language", "en")
    page.get_by_role("button", name="Changer").click()
    expect(page.locator("h1")).to_have_text("Add a place")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("label[for=id_tags_text]")).to_have_text("Keywords:")
    expect(page.locator("label[for=id_name]")).to_have_text("Name:")  # model labels too
    expect(page.locator("label[for=id_place_type]")).to_have_text("Type of place:")
    expect(page.locator("#id_place_type option[value=shared_garden]")).to_have_text("shared garden")
    expect(page.locator("#find-address")).to_have_text("Find")
    expect(page.get_by_role("button", name="Preview")).to_be_visible()
    expect(page.get_by_role("link", name="My entries")).to_be_visible()
    page.click("button[name=submit]")  # nothing placed: the error is in English too
    expect(page.locator("#address-error")).to_have_text(
        "Type an address or place the point on the map."
    )
    screenshot(page, "contribute-form-english")

    page.select_option("#language", "fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("h1")).to_have_text("Ajouter un lieu")
    assert page.errors == []
