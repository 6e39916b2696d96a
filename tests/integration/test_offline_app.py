"""The installable app in Chromium: the map of the communes a person visited, without network."""

import re

import pytest
from django.contrib.auth.models import User
from django.db.models import Count
from playwright.sync_api import expect

from geo_civic.actors.models import Actor
from geo_civic.territories.models import Commune
from importers.actors import upsert_actors
from importers.communes import import_communes
from importers.gogocarto import read_gogocarto
from tests.conftest import GOGOCARTO, REUNION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEPT = """code => caches.open("geocivic-offline")
    .then(cache => cache.match("/offline/communes.json"))
    .then(r => r ? r.json() : {communes: []})
    .then(index => index.communes.some(c => c.code === code))"""

TILE_TYPES = """() => caches.open("geocivic-tiles").then(async (cache) => {
    const keys = (await cache.keys()).filter((r) => r.url.startsWith("https://tiles.test/"));
    return Promise.all(keys.map((key) => cache.match(key).then((r) => r.type)));
})"""


@pytest.fixture
def reunion(test_data):
    import_communes(test_data(REUNION))
    rows, warnings = read_gogocarto(test_data(GOGOCARTO))
    upsert_actors(rows, source_key="gogocarto", warnings=warnings)


def busiest_commune() -> tuple[str, list[str]]:
    """The commune with the most published actors, and their names."""
    published = Actor.objects.filter(status=Actor.Status.PUBLISHED)
    top = published.values("commune__code").annotate(n=Count("id")).order_by("-n").first()
    code = top["commune__code"]
    names = sorted(published.filter(commune__code=code).values_list("name", flat=True))
    return code, names


def controlled(page, url: str) -> None:
    """Open a page and wait until the service worker controls it (it installs after load)."""
    page.goto(url)
    page.wait_for_function("() => !!navigator.serviceWorker?.controller")


def test_offline_home_shows_the_visited_communes_initiatives_and_dates_them(
    live_server, page, reunion, screenshot
):
    code, names = busiest_commune()
    others = Actor.objects.filter(status=Actor.Status.PUBLISHED).exclude(commune__code=code)
    assert 0 < len(names) < others.count()
    controlled(page, live_server.url + "/")
    page.goto(f"{live_server.url}/communes/{code}/")
    page.wait_for_function(KEPT, arg=code)
    # Basemap tiles kept as CORS answers (an opaque one would weigh megabytes in the quota).
    kept_tiles = page.evaluate(TILE_TYPES)
    assert kept_tiles and set(kept_tiles) == {"cors"}

    page.context.set_offline(True)
    page.goto(live_server.url + "/")
    banner = page.locator("#offline-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Hors ligne : les initiatives de vos communes")
    expect(banner).to_contain_text(re.compile(r"2\d{3}"))  # the date the data was saved
    expect(page.locator("#results li")).to_have_count(len(names))
    shown = sorted(page.locator("#results li .result-name").all_text_contents())
    assert shown == names  # that commune's, and no other's
    expect(page.locator("path.actor-marker, .marker-cluster").first).to_be_visible()
    # The basemap tiles looked at online are drawn from the service worker's cache.
    expect(page.locator("img.leaflet-tile-loaded").first).to_be_visible()
    screenshot(page, "offline-map")

    # The commune's own page opens too.
    page.goto(f"{live_server.url}/communes/{code}/")
    expect(page.locator("h1")).to_be_visible()

    # Back online, the next visit: no banner, the live map.
    page.context.set_offline(False)
    page.goto(live_server.url + "/")
    expect(banner).to_have_count(0)
    expect(page.locator("#map-status")).to_contain_text("98 initiatives")


@pytest.fixture
def installable_page(browser, settings, tmp_path):
    """A page in a profile on disk: Chromium never installs from an incognito context."""
    from tests.integration.conftest import CHROMIUM, CHROMIUM_ARGS, grey_tile_png

    settings.GEO_CIVIC_BASEMAP_URL = "https://tiles.test/{z}/{x}/{y}.png"
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, locale="fr-FR"
    )
    tile = grey_tile_png()
    context.route(
        "https://tiles.test/**",
        lambda route: route.fulfill(body=tile, headers={"Access-Control-Allow-Origin": "*"}),
    )
    yield context.pages[0] if context.pages else context.new_page()
    context.close()


def test_the_manifest_meets_chromiums_install_criteria(live_server, installable_page):
    page = installable_page
    controlled(page, live_server.url + "/")
    cdp = page.context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = page.evaluate("() => fetch('/manifest.webmanifest').then(r => r.json())")
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:  # every icon is served
        assert page.evaluate("src => fetch(src).then(r => r.ok)", icon["src"])
    assert [s["url"] for s in manifest["shortcuts"]] == ["/", "/?near=me", "/fil/"]
    assert manifest["share_target"]["action"] == "/contribuer/"


def write_a_place_offline(page, live_server, name: str, lat: str, lon: str) -> None:
    """Log in (the worker then controls the pages), fill the form, lose the network."""
    User.objects.create_user("lea", "lea@example.org", "jardin-partage-974")
    page.goto(live_server.url + "/comptes/login/?next=/")
    page.fill("#id_username", "lea")
    page.fill("#id_password", "jardin-partage-974")
    page.click("button[type=submit]")
    page.wait_for_function("() => !!navigator.serviceWorker?.controller")
    page.goto(live_server.url + "/contribuer/place/")
    page.fill("#id_name", name)
    page.fill("#id_summary", "Écrit dans une salle sans réseau")
    page.select_option("#id_place_type", "shared_garden")
    page.evaluate(  # the point, as the picker would set it
        """([lat, lon]) => { document.getElementById('id_latitude').value = lat;
                             document.getElementById('id_longitude').value = lon; }""",
        [lat, lon],
    )
    page.context.set_offline(True)


def test_a_contribution_written_offline_is_sent_when_the_network_returns(
    live_server, page, reunion
):
    write_a_place_offline(page, live_server, "Jardin écrit hors ligne", "-21.0096", "55.2707")
    page.click("button[name=submit]")
    expect(page.locator("#outbox .outbox-waiting")).to_contain_text("1 contribution en attente")
    assert not Actor.objects.filter(name="Jardin écrit hors ligne").exists()

    page.context.set_offline(False)
    page.goto(live_server.url + "/")  # the next visit sends it
    expect(page.locator("#outbox")).to_be_hidden()
    actor = Actor.objects.get(name="Jardin écrit hors ligne")
    assert (actor.status, actor.owner.username, actor.commune.name) == (
        "pending",
        "lea",
        "Saint-Paul",
    )


def test_a_contribution_refused_once_sent_says_so(live_server, page, reunion):
    write_a_place_offline(page, live_server, "Radeau", "-21.1", "55.0")  # at sea, off Saint-Leu
    page.click("button[name=submit]")
    expect(page.locator("#outbox .outbox-waiting")).to_be_visible()

    page.context.set_offline(False)
    page.goto(live_server.url + "/")
    refused = page.locator("#outbox .outbox-refused")
    # The site's own words for the refusal, read from the page it answered.
    expect(refused).to_contain_text("Non envoyé, le serveur l’a refusé : ")
    expect(refused).to_contain_text("aucune commune connue")
    expect(page.locator("#outbox .outbox-waiting")).to_have_count(0)
    assert not Actor.objects.filter(name="Radeau").exists()
    refused.get_by_role("button", name="Fermer").click()
    expect(page.locator("#outbox")).to_be_hidden()


def test_a_vote_cast_offline_on_a_vote_closed_meanwhile_is_refused_in_words(
    live_server, page, reunion_communes
):
    from django.test import Client

    from geo_civic.participation.lifecycle import apply
    from geo_civic.participation.models import Proposal, Space, Vote
    from tests.participation.conftest import PASSWORD, SAINT_PAUL, live_in, person, saint_paul
    from tests.participation.test_site_pages import POINT_IN_SAINT_PAUL, submit

    author, voter = person("auteur"), person("paula")
    live_in(author, *SAINT_PAUL, verified=True)
    live_in(voter, *SAINT_PAUL)
    space = Space.objects.create(commune=saint_paul(), title="Saint-Paul décide",
                                 eligibility="residents")  # fmt: skip
    client = Client()
    client.force_login(author)
    submit(client, f"/espaces/{space.pk}/proposer/", {
        "title": "Un jardin partagé", "body": "Nous proposons un jardin.", "method": "majority",
        "threshold": "50", "location": POINT_IN_SAINT_PAUL,
    })  # fmt: skip
    proposal = Proposal.objects.get()
    apply(proposal.pk, "debate")
    apply(proposal.pk, "voting")

    page.goto(live_server.url + "/comptes/login/?next=/")
    page.fill("#id_username", "paula")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_function("() => !!navigator.serviceWorker?.controller")
    page.goto(f"{live_server.url}/propositions/{proposal.pk}/")
    page.locator("#vote-form").get_by_label("Pour", exact=True).check()
    page.context.set_offline(True)
    page.get_by_role("button", name="Voter").click()
    expect(page.locator("#outbox .outbox-waiting")).to_be_visible()

    apply(proposal.pk, "closed")  # the vote closes before the network returns
    page.context.set_offline(False)
    page.goto(live_server.url + "/")
    refused = page.locator("#outbox .outbox-refused")
    expect(refused).to_contain_text("Non envoyé, le serveur l’a refusé : ")
    expect(refused).to_contain_text("Le vote n’est pas ouvert")  # the site's own reason
    assert not Vote.objects.exists()


def test_notifications_are_offered_right_after_a_follow_and_a_subscription_registers(
    live_server, page, reunion, settings
):
    """Headless Chromium has no push service (its PushManager.subscribe fails, see
    tests/integration/test_notifications.py): the page registers a subscription object as the
    browser would make it, through the same API push.js calls."""
    from geo_civic.notifications.models import PushSubscription
    from tests.notifications.test_push import browser_keys

    code, _names = busiest_commune()
    User.objects.create_user("lea", "lea@example.org", "jardin-partage-974")
    page.goto(f"{live_server.url}/comptes/login/?next=/communes/{code}/")
    page.fill("#id_username", "lea")
    page.fill("#id_password", "jardin-partage-974")
    page.click("button[type=submit]")
    expect(page.locator("a.offer-push")).to_have_count(0)  # not on a visit: on a follow
    page.locator("form.follow button").click()
    offer = page.locator(".messages a.offer-push")
    expect(offer).to_have_text("Les recevoir aussi en notifications sur cet appareil")
    offer.click()
    expect(page.locator("#push-subscribe")).to_be_enabled()

    settings.GEO_CIVIC_PUSH_ALLOW_PRIVATE = True  # no DNS here: a local push endpoint
    _private, keys = browser_keys()
    status = page.evaluate(
        """keys => fetch("/api/v1/push/subscriptions", {
            method: "POST", credentials: "same-origin",
            headers: {"Content-Type": "application/json",
                      "X-CSRFToken": document.querySelector("[name=csrfmiddlewaretoken]").value},
            body: JSON.stringify({endpoint: "http://127.0.0.1:9/lea-phone", keys}),
        }).then(r => r.status)""",
        keys,
    )
    assert status == 201
    assert PushSubscription.objects.get().user.username == "lea"
    # Subscribed: the next follow is confirmed without the offer.
    other = Commune.objects.exclude(code=code).values_list("code", flat=True).first()
    page.goto(f"{live_server.url}/communes/{other}/")
    page.locator("form.follow button").click()
    expect(page.locator(".messages")).to_contain_text("Vous suivez")
    expect(page.locator("a.offer-push")).to_have_count(0)
