"""Local democracy on a phone (390 × 844): a resident proposes with a location drawn on the map,
comments, amends, votes and reads the results; once in French, once in English.

The moderator's moves (debate, vote, close) are applied by the services between the steps: their
buttons are proven by the test-client tests (tests/participation/test_site_pages.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.test import Client
from playwright.sync_api import expect

from geo_civic.participation.lifecycle import apply
from geo_civic.participation.models import Proposal, Space
from geo_civic.participation.residence import set_residence
from geo_civic.territories.models import Commune
from importers.communes import import_communes
from tests.conftest import REUNION
from tests.integration.conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INSIDE_SAINT_PAUL = (-21.05, 55.30)  # lat, lon: inland, well within the commune


@pytest.fixture
def phone390(browser, settings):
    """The phone of the brief: 390 × 844, touch."""
    settings.GEO_CIVIC_BASEMAP_URL = "https://tiles.test/{z}/{x}/{y}.png"
    settings.GEO_CIVIC_THROTTLE = False
    context, page = open_page(
        browser, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page.on(
        "response", lambda r: page.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    yield context, page
    context.close()


def resident_of_saint_paul(test_data) -> tuple[User, Space]:
    import_communes(test_data(REUNION))
    saint_paul = Commune.objects.get(code="97415")
    user = User.objects.create_user("lea", "lea@example.org", "jardin-974")
    set_residence(user, Point(55.30, -21.05, srid=4326))
    space = Space.objects.create(commune=saint_paul, title="Saint-Paul décide",
                                 eligibility="residents", method="majority")  # fmt: skip
    return user, space


def sign_in(context, live_server, user: User, language: str) -> None:
    """The session of a signed-in ``user`` in the browser, and the language they chose."""
    client = Client()
    client.force_login(user)
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies([
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host,
         "path": "/"},
        {"name": "django_language", "value": language, "domain": host, "path": "/"},
    ])  # fmt: skip


def tap_map_at(page, map_id: str, lat: float, lon: float, dx: int = 0, dy: int = 0) -> None:
    """Centre the map on a place of the territory, then touch it (``dx``, ``dy`` pixels off)."""
    page.evaluate(f"window.geocivicDrawing.map.setView([{lat}, {lon}], 15, {{animate: false}})")
    box = page.locator(f"#{map_id}").bounding_box()
    page.locator(f"#{map_id}").tap(position={"x": box["width"] / 2 + dx,
                                             "y": box["height"] / 2 + dy})  # fmt: skip


def no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def debate_and_vote(page, proposal: Proposal, words: dict[str, str]) -> None:
    """Comment, reply, propose an amendment and vote for it, as the debate is open."""
    apply(proposal.pk, "debate")
    page.reload()
    page.fill("#id_body", words["comment"])
    page.click("#comment-form button[type=submit]")
    expect(page.locator(".comments")).to_contain_text(words["comment"])
    page.locator("#amend summary").tap()
    page.fill("#id_amendment", words["amended"])
    page.locator("#amend button[type=submit]").tap()
    amendment = page.locator(".amendment").first
    expect(amendment.locator("ins")).to_contain_text(words["inserted"])
    amendment.get_by_label(words["for"], exact=True).check()
    amendment.locator("button[type=submit]").tap()
    expect(page.locator(".messages")).to_contain_text(words["amendment recorded"])
    no_sideways_scrolling(page)


def test_a_resident_proposes_debates_votes_and_reads_the_results_in_french(
    live_server, phone390, test_data, screenshot
):
    context, page = phone390
    user, space = resident_of_saint_paul(test_data)
    sign_in(context, live_server, user, "fr")
    page.goto(f"{live_server.url}/espaces/{space.pk}/")
    expect(page.locator("#why-yes")).to_contain_text("Vous habitez le territoire")
    page.get_by_role("link", name="Ouvrir une proposition").tap()
    expect(page.locator("#drawing.leaflet-container")).to_be_visible()
    page.fill("#id_title", "Un jardin partagé au Bernica")
    page.fill("#id_body", "Nous proposons un jardin partagé ouvert le samedi.")
    page.fill("#id_category", "environnement")
    page.get_by_role("button", name="Un point").tap()
    tap_map_at(page, "drawing", *INSIDE_SAINT_PAUL)
    expect(page.locator("#drawing path.drawn-point")).to_be_visible()
    no_sideways_scrolling(page)
    screenshot(page, "democracy-propose-390px-fr")
    page.get_by_role("button", name="Envoyer").tap()
    expect(page.locator(".messages")).to_contain_text("enregistrée comme brouillon")
    proposal = Proposal.objects.get()
    assert proposal.location.geom_type == "Point"
    assert proposal.location.distance(Point(55.30, -21.05)) < 0.001  # where it was touched

    debate_and_vote(page, proposal, {
        "comment": "Bonne idée, il manque de l’ombre.",
        "amended": "Nous proposons un jardin partagé et ombragé ouvert le samedi.",
        "inserted": "et ombragé", "for": "Pour", "amendment recorded": "est enregistré",
    })  # fmt: skip
    apply(proposal.pk, "voting")  # the debate ends: the amendment is adopted
    page.reload()
    expect(page.locator("#text-title")).to_have_text("Texte (version 2)")
    expect(page.locator("#version-diff ins")).to_contain_text("et ombragé")
    page.locator("#vote-form").get_by_label("Pour", exact=True).check()
    page.get_by_role("button", name="Voter").tap()
    expect(page.locator("#you-voted")).to_contain_text("vous pouvez changer votre vote jusqu’au")
    expect(page.locator("#participation")).to_contain_text("1 votant")
    apply(proposal.pk, "closed")
    page.reload()
    expect(page.locator("#outcome")).to_contain_text("Résultat : adoptée")
    expect(page.locator("#tally-for")).to_have_text("1")
    no_sideways_scrolling(page)
    screenshot(page, "democracy-results-390px-fr")
    assert page.errors == []


def test_a_resident_proposes_a_budget_over_an_area_and_votes_in_english(
    live_server, phone390, test_data, screenshot
):
    context, page = phone390
    user, space = resident_of_saint_paul(test_data)
    sign_in(context, live_server, user, "en")
    page.goto(f"{live_server.url}/espaces/{space.pk}/proposer/")
    expect(page.locator("#drawing.leaflet-container")).to_be_visible()
    page.fill("#id_title", "Our neighbourhood budget")
    page.fill("#id_body", "Two projects for the square.")
    page.select_option("#id_method", "approval")
    page.fill("#id_options", "Playground; 60\nFountain; 50")
    page.fill("#id_budget", "100")
    page.get_by_role("button", name="An area").tap()
    for dx, dy in ((-40, -40), (40, -40), (40, 40)):
        tap_map_at(page, "drawing", *INSIDE_SAINT_PAUL, dx=dx, dy=dy)
        page.evaluate("0")  # let Leaflet handle the touch before the map is moved again
    expect(page.locator("#draw-help")).to_contain_text("3 corners")
    page.get_by_role("button", name="Send").tap()
    expect(page.locator(".messages")).to_contain_text("saved as a draft")
    proposal = Proposal.objects.get()
    assert proposal.location.geom_type == "Polygon" and proposal.budget == 100

    debate_and_vote(page, proposal, {
        "comment": "Shade, please.", "amended": "Two projects for the shaded square.",
        "inserted": "shaded", "for": "For", "amendment recorded": "is recorded",
    })  # fmt: skip
    apply(proposal.pk, "voting")
    page.reload()
    page.get_by_label("Playground").check()
    page.get_by_role("button", name="Cast my vote").tap()
    expect(page.locator("#you-voted")).to_contain_text("you may change your vote until")
    apply(proposal.pk, "closed")
    page.reload()
    expect(page.locator("#outcome")).to_contain_text("Result: projects funded")
    expect(page.locator("#results")).to_contain_text("Projects (60 spent of 100)")
    no_sideways_scrolling(page)
    screenshot(page, "democracy-results-390px-en")
    assert page.errors == []
