"""A resident adds a place from a phone-sized screen, finding it by its address."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from geo_civic.actors.models import Actor
from importers.communes import import_communes
from tests.conftest import REUNION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_contributes_a_place_on_a_phone(live_server, phone, test_data, screenshot):
    import_communes(test_data(REUNION))
    User.objects.create_user("lea", "lea@example.org", "jardin-partage-974")
    page = phone
    page.goto(live_server.url + "/contribuer/")
    page.fill("#id_username", "lea")
    page.fill("#id_password", "jardin-partage-974")
    page.click("button[type=submit]")
    page.get_by_role("link", name="Un lieu").click()
    expect(page.locator("#picker.leaflet-container")).to_be_visible()  # the picker is ready

    page.fill("#id_name", "Jardin partagé du Bernica")
    page.fill("#id_summary", "Un jardin ouvert le samedi matin")
    page.select_option("#id_place_type", "shared_garden")
    page.fill("#id_address", "PL DU GENERAL DE GAULLE 97460 SAINT-PAUL")
    page.click("#find-address")
    expect(page.locator("#geocode-status")).to_contain_text("Trouvé : Saint-Paul (97415)")
    expect(page.locator(".leaflet-marker-icon")).to_be_visible()
    # Tap the map to move the point a little: the hidden fields follow.
    before = page.input_value("#id_longitude")
    picker = page.locator("#picker")
    box = picker.bounding_box()
    picker.tap(position={"x": box["width"] * 0.5 + 40, "y": box["height"] * 0.5 - 60})
    expect(page.locator("#id_longitude")).not_to_have_value(before)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    screenshot(page, "contribute-place-360px")

    page.click("button[name=submit]")
    expect(page.locator("#actor-status")).to_contain_text("en attente")
    expect(page.locator(".messages")).to_contain_text("attend la validation")
    actor = Actor.objects.get()
    assert (actor.name, actor.status, actor.kind) == (
        "Jardin partagé du Bernica",
        "pending",
        "place",
    )
    assert actor.commune.name == "Saint-Paul"
    assert actor.owner.username == "lea"
    # Not on the map yet.
    layer = live_server.url + "/api/layers/actors.geojson?commune=97415"
    assert page.request.get(layer).json()["features"] == []

    # A moderator approves it from the queue; it is then on the map and in the commune's feed.
    moderator = User.objects.create_user("modo", "modo@example.org", "moderation-974")
    moderator.groups.add(Group.objects.get_or_create(name="moderators")[0])
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(live_server.url + "/moderation/")
    page.fill("#id_username", "modo")
    page.fill("#id_password", "moderation-974")
    page.click("button[type=submit]")
    pending = page.locator(f"#pending-{actor.pk}")
    expect(pending).to_contain_text("Jardin partagé du Bernica")
    pending.get_by_role("button", name="Publier").click()
    expect(page.locator(".messages")).to_contain_text("publié")
    names = [f["properties"]["name"] for f in page.request.get(layer).json()["features"]]
    assert names == ["Jardin partagé du Bernica"]
    news = page.request.get(live_server.url + "/communes/97415/nouveautes.atom").text()
    assert "<title>Jardin partagé du Bernica</title>" in news
    page.goto(live_server.url + actor.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Jardin partagé du Bernica")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "actor-page-360px")
    assert page.errors == []


def test_point_at_sea_is_refused_beside_the_address(live_server, phone, test_data):
    import_communes(test_data(REUNION))
    User.objects.create_user("lea", "lea@example.org", "jardin-partage-974")
    page = phone
    page.goto(live_server.url + "/comptes/login/?next=/contribuer/place/")
    page.fill("#id_username", "lea")
    page.fill("#id_password", "jardin-partage-974")
    page.click("button[type=submit]")
    page.fill("#id_name", "Radeau")
    picker = page.locator("#picker")
    expect(picker.locator("img.leaflet-tile-loaded").first).to_be_visible()
    # The form opens on the whole island: its left edge is the sea off Saint-Leu.
    picker.tap(position={"x": 8, "y": picker.bounding_box()["height"] / 2})
    expect(page.locator("#id_latitude")).not_to_have_value("")
    page.click("button[name=submit]")
    expect(page.locator("#field-address .error").first).to_contain_text("aucune commune connue")
    assert Actor.objects.count() == 0
