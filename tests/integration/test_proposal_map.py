"""Proposals on the main map in a real browser: their own marker, their card, their toggle."""

import pytest
from playwright.sync_api import expect

from geo_civic.participation.models import Proposal, Space
from geo_civic.territories.models import Commune
from importers.communes import import_communes
from tests.conftest import REUNION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_proposal_has_its_marker_and_card_and_the_layer_a_toggle(live_server, page, test_data):
    import_communes(test_data(REUNION))
    space = Space.objects.create(commune=Commune.objects.get(code="97422"),
                                 title="Le Tampon décide", eligibility="residents")  # fmt: skip
    hostile = "<img src=x onerror=alert(1)> Des bancs"
    for title, status in ((hostile, "voting"), ("Brouillon caché", "draft")):
        Proposal.objects.create(space=space, title=title, body="b", method="majority",
                                status=status, location="SRID=4326;POINT(55.62 -21.07)",
                                closes_at="2030-03-01T18:00:00+04:00")  # fmt: skip
    page.goto(live_server.url + "/#map=15/-21.07/55.62")
    marker = page.locator(".proposal-marker.status-voting")
    expect(marker).to_have_count(1)
    expect(page.locator(".proposal-marker")).to_have_count(1)  # never the draft
    marker.click()
    popup = page.locator(".leaflet-popup-content .proposal-card")
    expect(popup.locator(".popup-title")).to_have_text(hostile)
    expect(popup.locator(".popup-meta")).to_contain_text("Le Tampon décide")
    expect(popup.locator(".popup-when")).to_contain_text("2030")
    assert popup.get_by_role("link", name="Ouvrir la proposition").get_attribute("href")
    assert popup.locator("img").count() == 0
    page.get_by_label("Propositions").uncheck()
    expect(page.locator(".proposal-marker")).to_have_count(0)
    page.get_by_label("Propositions").check()
    expect(page.locator(".proposal-marker")).to_have_count(1)
    assert page.errors == []
