"""Private data never leaves the database: not in a page, an API answer, a tile or an export.

An actor is planted with a private e-mail, a private phone, and a home address whose exact
position must be published only to about 1 km. Every public output is then searched for them.
"""

import io
import json
import zipfile

import mapbox_vector_tile
import pytest

from geo_civic.actors.models import Actor
from layers.exports import FORMATS
from layers.registry import LAYERS

pytestmark = pytest.mark.django_db

EMAIL = "marie.payet.private@example.org"
PHONE = "0692 12 34 56"
STREET = "12 chemin Privé des Secrets"
EXACT_LON, EXACT_LAT = "55.448123", "-20.878912"
SECRETS = [EMAIL.encode(), PHONE.encode(), b"Priv\xc3\xa9 des Secrets", b"55.448123",
           b"20.878912", b"55.44812", b"20.87891"]  # fmt: skip


def readable(content: bytes) -> bytes:
    """The bytes, and for a zip (the Shapefile export) the bytes of every file in it."""
    if content[:2] != b"PK":
        return content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_secret_free(what: str, content: bytes) -> None:
    for secret in SECRETS:
        assert secret not in readable(content), f"{secret!r} leaked in {what}"


@pytest.fixture
def home(reunion_communes, settings):
    settings.GEO_CIVIC_EXPORTS_PER_MINUTE = 0
    return Actor.objects.create(
        kind="event",
        name="Atelier couture chez Marie",
        point=f"POINT({EXACT_LON} {EXACT_LAT})",
        location_is_private=True,
        address=STREET,
        email=EMAIL,
        phone=PHONE,
        status=Actor.Status.PUBLISHED,
        starts_at="2030-05-01T14:00:00+04:00",
    )


def test_the_published_position_of_a_home_is_rounded(home):
    home.refresh_from_db()
    assert home.commune.code == "97411"  # the exact point still finds the commune
    assert (round(home.public_point.x, 6), round(home.public_point.y, 6)) == (55.45, -20.88)


def test_no_page_feed_or_api_answer_shows_private_data(client, home):
    pages = [
        "/", "/embed/", home.get_absolute_url(), f"/acteurs/{home.pk}/", "/agenda.ics",
        "/communes/97411/agenda.ics", "/communes/97411/nouveautes.atom", "/data/",
        "/api/places?q=Saint-Denis", "/ogc/collections/actors/items?limit=100",
        f"/ogc/collections/actors/items/{home.pk}", "/api/schema/",
    ]  # fmt: skip
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert_secret_free(url, body(response))
    assert "Atelier couture chez Marie" in client.get(home.get_absolute_url()).content.decode()


def test_no_layer_export_or_tile_shows_private_data(client, home):
    for name in LAYERS:
        for fmt in FORMATS:
            url = f"/api/layers/{name}.{fmt}?commune=97411"
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:200])
            assert_secret_free(url, body(response))
        for z, x, y in ((14, 10715, 9163), (10, 669, 572), (5, 20, 17)):
            tile = client.get(f"/tiles/{name}/{z}/{x}/{y}.pbf")
            assert tile.status_code in (200, 204), (name, z)
            assert_secret_free(f"tile {name}/{z}", tile.content)
            if tile.status_code == 200:
                mapbox_vector_tile.decode(tile.content)


def test_the_actors_layer_publishes_the_rounded_position(client, home):
    response = client.get("/api/layers/actors.geojson?commune=97411")
    features = json.loads(body(response))["features"]
    (feature,) = [f for f in features if f["id"] == home.pk]
    assert feature["geometry"]["coordinates"] == [55.45, -20.88]


def test_the_new_actor_properties_carry_nothing_private(client, home):
    """url, categories, colour and the event's dates are public facts; nothing else rides along."""
    from geo_civic.actors.models import Category

    home.categories.set([Category.objects.create(name="Couture", slug="couture")])
    for url in ("/api/layers/events.geojson?category=couture", "/api/categories"):
        assert_secret_free(url, body(client.get(url)))
    response = client.get("/api/layers/events.geojson?category=couture&start=2030-05-01")
    (feature,) = json.loads(body(response))["features"]
    assert feature["properties"]["url"] == home.get_absolute_url()
    assert feature["properties"]["categories"] == ["couture"]
    assert set(feature["properties"]) == {
        "name", "kind", "summary", "tags", "website", "commune_code", "commune_name", "url",
        "categories", "colour", "starts_at", "ends_at", "all_day",
    }  # fmt: skip


def test_a_residence_and_ballots_never_leave_the_database(client, home):
    """Local democracy: a resident at the same exact point votes; the /api/v1/ answers and the
    pages show neither the point nor the ballot (only counts, and only once closed, tallies)."""
    from django.contrib.auth.models import User
    from django.contrib.gis.geos import Point

    from geo_civic.participation.lifecycle import apply
    from geo_civic.participation.models import Proposal, Space
    from geo_civic.participation.residence import set_residence
    from geo_civic.territories.models import Commune

    voter = User.objects.create_user("marie-votante-secrete", password="x")
    set_residence(voter, Point(float(EXACT_LON), float(EXACT_LAT), srid=4326))
    space = Space.objects.create(
        commune=Commune.objects.get(code="97411"), title="Saint-Denis", eligibility="residents"
    )
    proposal = Proposal.objects.create(
        space=space, title="Marché", body="b", method="majority", status="voting"
    )
    client.force_login(voter)
    vote = client.post(f"/api/v1/proposals/{proposal.pk}/vote", {"choice": "against"},
                       content_type="application/json")  # fmt: skip
    assert vote.status_code == 201
    residence = client.get("/api/v1/me/residence")
    assert residence.json()["commune"]["code"] == "97411"
    apply(proposal.pk, "closed")
    client.logout()
    urls = ["/api/v1/spaces", "/api/v1/proposals", f"/api/v1/proposals/{proposal.pk}",
            f"/api/v1/proposals/{proposal.pk}/results", "/communes/97411/", "/"]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_secret_free(url, body(response))
        assert b"marie-votante-secrete" not in body(response), url
    assert_secret_free("residence", residence.content)
