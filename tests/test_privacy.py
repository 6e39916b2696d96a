"""Private data never leaves the database: not in a page, an API answer, a tile or an export.

An actor is planted with a private e-mail, a private phone, and a home address whose exact
position must be published only to about 1 km. Every public output is then searched for them.
"""

import gzip
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
    """The bytes: a gzipped answer unzipped, and for a zip (the Shapefile export) the bytes of
    every file in it."""
    if content[:2] == b"\x1f\x8b":
        return readable(gzip.decompress(content))
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
        f"/ogc/collections/actors/items/{home.pk}", "/api/schema/", "/sw.js",
        "/api/docs/", "/api/v1/schema/",

        "/api/map/first-view", "/jsi18n/fr/",
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


def test_sharing_sign_up_and_refusal_pages_and_e_mails_carry_nothing_private(
    client, home, settings
):
    """The co-editor invitation (its answer, e-mail and page), the sign-up pages and e-mails
    and the 429 page: nothing of the entry's private contacts or position."""
    import re

    from django.contrib.auth.models import User
    from django.core import mail

    owner = User.objects.create_user("marie", "marie@example.org", "kaz-la-974-ok")
    User.objects.create_user("paul", "paul@example.org", "autre-974-ok")
    home.owner = owner
    home.save()
    client.force_login(owner)
    shared = client.post(
        f"/acteurs/{home.pk}/co-editeurs/", {"username": "paul@example.org"}, follow=True
    )
    assert_secret_free("the co-editor answer", shared.content)
    (invitation,) = mail.outbox
    assert_secret_free("the invitation e-mail", (invitation.subject + invitation.body).encode())
    link = re.search(r"http://testserver(\S+)", invitation.body).group(1)
    client.force_login(User.objects.get(username="paul"))
    page = client.get(link)
    assert page.status_code == 200
    assert_secret_free("the invitation page", page.content)
    client.logout()
    settings.GEO_CIVIC_RATE_SIGNUP = "1/h"
    for email in ("marie@example.org", "nobody@example.org"):
        answer = client.post(
            "/comptes/inscription/", {"username": "neo", "email": email}, follow=True
        )
        assert_secret_free("the sign-up answer", answer.content)
    assert answer.status_code == 429  # the second sign-up from this address
    for sent in mail.outbox[1:]:
        assert_secret_free("a sign-up e-mail", (sent.subject + sent.body).encode())


def test_refusals_at_the_door_name_the_parameter_never_echo_its_value(client, home):
    """A 400 for a NUL or too many parameters says where, not what: a value may be someone's."""
    from urllib.parse import urlencode

    refusals = {
        "query": client.get("/api/layers/actors.geojson?" + urlencode({"q": STREET + "\x00"})),
        "form": client.post("/comptes/login/", {"username": EMAIL + "\x00", "password": PHONE}),
        "many": client.get("/communes/97411/?" + "&".join([urlencode({"e": EMAIL})] * 1001)),
        "cookie": client.get("/", HTTP_COOKIE=f'phone="{PHONE}\\000"'),
    }
    for what, response in refusals.items():
        assert response.status_code == 400, what
        assert_secret_free(what, body(response))


@pytest.mark.django_db(transaction=True)  # GDAL's own PG: connection sees committed rows only
def test_an_import_refusal_shows_no_private_data(client, home):
    """A steward's upload that is a VRT selecting the private fields gets a refusal, no rows."""
    from django.contrib.auth.models import Group, User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    db = connection.settings_dict
    source = f"PG:host={db['HOST']} port={db['PORT']} dbname={db['NAME']} user={db['USER']}"
    sql = "SELECT email || phone || address || ST_AsText(point) AS nom FROM actors_actor"
    vrt = (
        f'<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>{source}</SrcDataSource>'
        f"<SrcSQL>{sql}</SrcSQL></OGRVRTLayer></OGRVRTDataSource>"
    )
    steward = User.objects.create_user("gaelle", "gaelle@example.org", "limites-974-ok")
    steward.groups.add(Group.objects.get_or_create(name="stewards")[0])
    client.force_login(steward)
    for what, options in (("communes", {}), ("actors", {"format": "geojson"})):
        upload = SimpleUploadedFile("p.geojson", vrt.encode())
        response = client.post(
            f"/api/imports/{what}", {"file": upload, "dry_run": "true", **options}
        )
        assert response.status_code == 400 and "(OGR_VRT)" in response.json()["detail"]
        assert_secret_free(f"/api/imports/{what}", response.content)


def test_compressed_answers_show_no_private_data(client, home):
    """Gzip (geo_civic/web/compression.py) changes how answers travel, not what they say."""
    urls = [
        "/api/layers/actors.geojson?commune=97411", "/api/layers/actors.csv?commune=97411",
        "/api/layers/events.kml?commune=97411", "/api/map/clusters?bbox=55,-21.5,56,-20&zoom=9",
        "/api/nearby?lat=-20.88&lon=55.45", "/ogc/collections/actors/items?limit=100",
        "/communes/97411/nouveautes.atom", "/tiles/actors/10/669/572.pbf",
    ]  # fmt: skip
    for url in urls:
        response = client.get(url, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200, url
        content = body(response)
        if response.get("Content-Encoding") == "gzip":
            assert content[:2] == b"\x1f\x8b", url
        assert_secret_free(url, content)
    compressed = client.get(urls[0], headers={"accept-encoding": "gzip"})
    assert compressed["Content-Encoding"] == "gzip"
    assert b"Atelier couture" in readable(body(compressed))  # the search does read the answer


def test_a_stewards_import_cannot_find_a_home_by_its_duplicate_report(client, home):
    """Importing the home's name at places around it: no answer depends on the exact point."""
    from django.contrib.auth.models import Group, User
    from django.core.files.uploadedfile import SimpleUploadedFile

    steward = User.objects.create_user("gaelle", "gaelle@example.org", "limites-974-ok")
    steward.groups.add(Group.objects.get(name="stewards"))
    client.force_login(steward)
    lon, lat = float(EXACT_LON), float(EXACT_LAT)
    probes = [(lon - d, lat) for d in (0.0003, 0.0008, 0.0014)] + [(lon, lat + 0.001)]
    for x, y in probes:  # one file each: rows of one file are compared with each other too
        records = [{"@id": "probe", "name": home.name, "long": x, "lat": y}]
        upload = SimpleUploadedFile("probe.json", json.dumps(records).encode())
        answer = client.post("/api/imports/actors", {"file": upload, "dry_run": "true"})
        assert answer.status_code == 200, answer.content
        assert answer.json()["summary"] == "dry run: created 1, updated 0, unchanged 0, skipped 0"
        assert_secret_free("the import report", answer.content)


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


def test_federation_shows_no_private_data_followers_or_ballots(client, home):
    """ActivityPub (issue 13): WebFinger, actors, outboxes, followers collections and objects
    carry neither the home's address and exact point, nor its contacts, nor who follows, nor
    a resident's position or ballot."""
    from django.contrib.auth.models import User
    from django.contrib.gis.geos import Point
    from django.utils import timezone

    from geo_civic.federation.models import Follower, RemoteActor
    from geo_civic.participation.models import Proposal, Space, Vote
    from geo_civic.participation.residence import set_residence
    from geo_civic.territories.models import Commune

    saint_denis = Commune.objects.get(code="97411")
    follower = RemoteActor.objects.create(
        uri="https://follower.example/users/suiveuse-secrete", inbox="https://follower.example/i",
        key_id="https://follower.example/users/suiveuse-secrete#key", public_key_pem="-",
        fetched_at=timezone.now(),
    )  # fmt: skip
    for kind, key in (("commune", "97411"), ("actor", str(home.pk))):
        Follower.objects.create(local_kind=kind, local_key=key, remote=follower, accepted=True,
                                local_origin="http://testserver")  # fmt: skip
    voter = User.objects.create_user("marie-votante-secrete", password="x")
    set_residence(voter, Point(float(EXACT_LON), float(EXACT_LAT), srid=4326))
    space = Space.objects.create(commune=saint_denis, title="Saint-Denis", eligibility="residents")
    proposal = Proposal.objects.create(space=space, title="Marché", body="b", method="majority",
                                       status="voting", voting_at=timezone.now())  # fmt: skip
    Vote.objects.create(proposal=proposal, voter=voter, commune=saint_denis, choice="against")
    accept = {"HTTP_ACCEPT": "application/activity+json"}
    urls = [
        "/.well-known/webfinger?resource=acct:97411@testserver",
        f"/.well-known/webfinger?resource=acct:{home.slug}@testserver",
        "/.well-known/nodeinfo", "/nodeinfo/2.1",
        f"/ap/objects/event/{home.pk}", f"/ap/objects/proposal/{proposal.pk}",
    ]  # fmt: skip
    for actor in ("communes/97411", f"actors/{home.pk}", f"spaces/{space.pk}"):
        urls += [f"/ap/{actor}", f"/ap/{actor}/outbox", f"/ap/{actor}/outbox?page=1",
                 f"/ap/{actor}/followers"]  # fmt: skip
    seen = b""
    for url in urls:
        response = client.get(url, **accept)
        assert response.status_code == 200, url
        assert_secret_free(url, body(response))
        for private in (b"suiveuse-secrete", b"follower.example", b"marie-votante-secrete",
                        b"votersCount", b"replies"):  # fmt: skip
            assert private not in body(response), (private, url)
        seen += body(response)
    assert b'"Event"' in seen and b'"Question"' in seen  # the outboxes were not empty
    followers = client.get("/ap/communes/97411/followers", **accept)
    assert json.loads(followers.content)["totalItems"] == 1

def test_the_democracy_pages_and_feeds_show_no_ballot_nor_home(client, home):
    """Local democracy pages: two residents at the exact private point vote for and against;
    every page and feed of the space, read by anyone but the voter (another resident, the
    moderator, anonymous), shows neither the point nor who voted what."""
    from django.contrib.auth.models import Group, User
    from django.contrib.gis.geos import Point

    from geo_civic.participation.lifecycle import apply
    from geo_civic.participation.models import Proposal, Space
    from geo_civic.participation.residence import set_residence
    from geo_civic.territories.models import Commune

    voters = []
    for name in ("pour-secret-alpha", "contre-secret-beta"):
        voter = User.objects.create_user(name, password="x")
        set_residence(voter, Point(float(EXACT_LON), float(EXACT_LAT), srid=4326))
        voters.append(voter)
    space = Space.objects.create(
        commune=Commune.objects.get(code="97411"), title="Saint-Denis", eligibility="residents"
    )
    open_, closed = (
        Proposal.objects.create(space=space, title=t, body="b", method="majority", status="voting")
        for t in ("Ouvert", "Clos")
    )
    for voter, choice in zip(voters, ("for", "against"), strict=True):
        client.force_login(voter)
        # The residence page shows the voter their commune, never their point.
        page = client.get("/ma-residence/")
        assert b"Saint-Denis" in page.content
        assert_secret_free("/ma-residence/", page.content)
        for proposal in (open_, closed):
            response = client.post(f"/propositions/{proposal.pk}/voter/", {"choice": choice})
            assert response.status_code == 302
    apply(closed.pk, "closed")
    moderator = User.objects.create_user("modo-vie-privee", password="x")
    moderator.groups.add(Group.objects.get_or_create(name="moderators")[0])
    onlooker = User.objects.create_user("voisin-curieux", password="x")
    set_residence(onlooker, Point(float(EXACT_LON), float(EXACT_LAT), srid=4326))
    urls = ["/espaces/", "/espaces/?commune=97411", f"/espaces/{space.pk}/",
            f"/propositions/{open_.pk}/", f"/propositions/{closed.pk}/",
            f"/espaces/{space.pk}/echeances.ics", f"/espaces/{space.pk}/nouveautes.atom",
            "/communes/97411/"]  # fmt: skip
    for reader in (None, moderator, onlooker):
        client.logout()
        if reader is not None:
            client.force_login(reader)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            content = body(response)
            assert_secret_free(url, content)
            for name in (b"pour-secret-alpha", b"contre-secret-beta"):
                assert name not in content, (url, name)
            assert b" checked" not in content, url  # nobody's ballot is shown checked
        # While the vote is open, only the number of voters; once closed, only the tallies.
        opened = client.get(f"/propositions/{open_.pk}/").content
        assert b'id="tally-for"' not in opened and b"2 votants" in opened
        closed_page = client.get(f"/propositions/{closed.pk}/").content
        assert b'id="tally-for">1<' in closed_page

def test_profiles_followers_feed_and_news_keep_people_private(client, home):
    """Follow and news: a resident living at the home's exact point, with an e-mail, a bio and
    follows left private, posts news and follows; no profile, follower list, feed, news or
    activity answer shows their residence, e-mail, bio or name as a follower."""
    from django.contrib.auth.models import User
    from django.contrib.gis.geos import Point

    from geo_civic.participation.residence import set_residence
    from geo_civic.social.models import Activity, News, Profile
    from geo_civic.social.news import decide

    resident = User.objects.create_user("marie-suiveuse-secrete", EMAIL, password="x")
    set_residence(resident, Point(float(EXACT_LON), float(EXACT_LAT), srid=4326))
    Profile.objects.create(user=resident, bio="Bio privée de Marie", display_name="Marie")
    client.force_login(resident)
    for follow in ({"commune": "97411"}, {"actor": home.pk}):
        made = client.post("/api/v1/follows", follow, content_type="application/json")
        assert made.status_code == 201
    news = {"commune": "97411", "title": "Vide-grenier", "body": "Dimanche"}
    posted = client.post("/api/v1/news", news, content_type="application/json")
    assert posted.status_code == 201
    news_id = posted.json()["id"]
    moderator = User.objects.create_superuser("modo-prive", "m@example.org", "x")
    decide(moderator, News.objects.get(pk=news_id), publish=True)
    assert Activity.objects.filter(news_id=news_id).exists()
    viewer = User.objects.create_user("voisin", password="x")
    client.force_login(viewer)
    client.post("/api/v1/follows", {"commune": "97411"}, content_type="application/json")
    urls = ["/api/v1/profiles/marie-suiveuse-secrete", "/api/v1/followers?commune=97411",
            f"/api/v1/followers?actor={home.pk}", "/api/v1/feed", "/fil/",
            f"/api/v1/news/{news_id}", "/api/v1/news?commune=97411", f"/actualites/{news_id}/",
            "/personnes/marie-suiveuse-secrete/", "/communes/97411/"]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_secret_free(url, body(response))
        assert b"Bio priv" not in body(response), url
    followers = client.get("/api/v1/followers?commune=97411").json()
    assert followers == {"count": 2, "visible": []}
    client.logout()
    assert client.get("/api/v1/me/export").status_code == 401

# democracy-layers: the proposals layer and the per-commune results layer keep ballots secret.
def test_the_proposal_layers_show_no_ballot_voter_or_residence(client, home):
    """Votes are planted in a département-wide vote: residents of Saint-Denis (one at the home's
    exact point), of Saint-Paul, and three of Le Port. Every format, tile and OGC answer of the
    proposal layers is searched for the voters, the exact point and the author; Le Port (fewer
    than 5 voters) carries no figure anywhere."""
    from django.contrib.auth.models import User
    from django.contrib.gis.geos import Point

    from geo_civic.participation.lifecycle import apply
    from geo_civic.participation.models import Proposal, Space, Vote
    from geo_civic.participation.residence import set_residence
    from geo_civic.territories.models import Commune, Departement
    from importers.cog import import_cog

    import_cog()
    author = User.objects.create_user("auteur-cache-de-la-proposition", password="x")
    set_residence(author, Point(float(EXACT_LON), float(EXACT_LAT), srid=4326))
    space = Space.objects.create(departement=Departement.objects.get(code="974"),
                                 title="La Réunion", eligibility="residents")  # fmt: skip
    located = Proposal.objects.create(space=space, author=author, title="Tram", body="b",
                                      method="majority", status="voting",
                                      location="SRID=4326;POINT(55.4490 -20.8800)")  # fmt: skip
    voters = []
    for code, choices in (("97411", "fffffa"), ("97415", "aaaaaf"), ("97407", "ffa")):
        commune = Commune.objects.get(code=code)
        for i, letter in enumerate(choices):
            voter = User.objects.create_user(f"votant-secret-{code}-{i}", password="x")
            if code == "97411" and i == 0:
                set_residence(voter, Point(float(EXACT_LON), float(EXACT_LAT), srid=4326))
            Vote.objects.create(proposal=located, voter=voter, commune=commune,
                                choice="for" if letter == "f" else "against")  # fmt: skip
            voters.append(voter.username.encode())
    apply(located.pk, "closed")
    names = [b"auteur-cache-de-la-proposition", *voters]

    def clean(what: str, content: bytes) -> None:
        assert_secret_free(what, content)
        for name in names:
            assert name not in readable(content), f"{name!r} leaked in {what}"

    for layer in ("proposals", "proposal-results"):
        for fmt in FORMATS:
            response = client.get(f"/api/layers/{layer}.{fmt}")
            assert response.status_code == 200, (layer, fmt)
            clean(f"{layer}.{fmt}", body(response))
        for z, x, y in ((14, 10715, 9163), (10, 669, 572), (5, 20, 17)):
            tile = client.get(f"/tiles/{layer}/{z}/{x}/{y}.pbf")
            assert tile.status_code in (200, 204), (layer, z)
            clean(f"tile {layer}/{z}", tile.content)
            if tile.status_code == 200:
                for feature in mapbox_vector_tile.decode(tile.content)[layer]["features"]:
                    if feature["properties"].get("code") == "97407":
                        assert not {"voters", "for", "against", "blank", "participation"} & set(
                            feature["properties"]
                        )
        for url in (f"/ogc/collections/{layer}/items?limit=100", f"/ogc/collections/{layer}"):
            clean(url, body(client.get(url)))
    clean("nearby", client.get("/api/nearby?lat=-20.88&lon=55.449").content)
    results = json.loads(body(client.get("/api/layers/proposal-results.geojson?commune=97407")))
    (port,) = [f["properties"] for f in results["features"]]
    assert port["too_few_votes"] is True
    assert [port[k] for k in ("voters", "for", "against", "blank", "participation",
                              "for_share")] == [None] * 6  # fmt: skip

def test_notification_e_mails_and_api_show_only_ones_own(client, settings, mailoutbox):
    """Told of the same event, each follower gets a message addressed to them alone, and the
    API and pages list only their own notifications: no follower list, no one else's address."""
    from django.contrib.auth.models import User

    from geo_civic.notifications.delivery import notify
    from geo_civic.notifications.emails import send_digests, send_immediate
    from geo_civic.notifications.models import Preference

    ana = User.objects.create_user("ana-abonnee", email="ana.private@example.org", password="x")
    bob = User.objects.create_user("bob-abonne", email=EMAIL, password="x")
    for user, mode in ((ana, "immediate"), (bob, "daily")):
        Preference.objects.create(user=user, email=mode)
    notify([ana.pk, bob.pk], kind="news", title="Marché", url="/actualites/1", key="a:1")
    notify([bob.pk], kind="membership", title="Bob rejoint l'association", url="/a", key="m:1")
    assert send_immediate("a:1") == 1 and send_digests("daily") == 1
    by_recipient = {tuple(m.to): m for m in mailoutbox}
    assert set(by_recipient) == {("ana.private@example.org",), (EMAIL,)}
    for message in mailoutbox:
        assert not message.cc and not message.bcc and len(message.to) == 1
    ana_mail = by_recipient[("ana.private@example.org",)].message().as_bytes()
    assert_secret_free("ana's e-mail", ana_mail)
    assert b"bob-abonne" not in ana_mail and b"Bob rejoint" not in ana_mail
    client.force_login(ana)
    for url in ["/api/v1/notifications", "/api/v1/me/notifications", "/notifications/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_secret_free(url, body(response))
        assert b"bob-abonne" not in body(response) and b"Bob rejoint" not in body(response), url

def test_app_api_answers_to_non_owners_show_no_private_data(client, home):
    """``/api/v1/`` actors, moderation, directory: a home's contacts, street and exact point go
    to its editors and the moderators of its commune only; the owner's name to nobody else."""
    from django.contrib.auth.models import Group, User

    from geo_civic.accounts import tokens
    from geo_civic.contributions.models import ModeratorScope, Report
    from geo_civic.territories.models import Commune

    owner = User.objects.create_user("marie-proprietaire-secrete", password="x")
    Actor.objects.filter(pk=home.pk).update(owner=owner)
    Report.objects.create(actor=home, reason="Fermé")
    resident = User.objects.create_user("voisin", password="x")
    elsewhere = User.objects.create_user("modo-ailleurs", password="x")
    elsewhere.groups.add(Group.objects.get_or_create(name="moderators")[0])
    ModeratorScope.objects.create(user=elsewhere).communes.add(Commune.objects.get(code="97415"))
    urls = ["/api/v1/actors", "/api/v1/actors?commune=97411", f"/api/v1/actors/{home.pk}",
            "/api/v1/nearby?lat=-20.8789&lon=55.4481", "/api/v1/places?q=Saint-Denis",
            "/api/v1/categories", "/api/v1/communes/97411", "/api/v1/schema/",
            "/api/v1/moderation/pending", "/api/v1/moderation/reports",
            f"/api/v1/actors/{home.pk}/revisions"]  # fmt: skip
    for user in (None, resident, elsewhere):
        headers = {}
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens.create(user)[1]}"
        for url in urls:
            response = client.get(url, **headers)
            assert response.status_code in (200, 401, 403), (url, response.status_code)
            assert_secret_free(url, body(response))
            assert b"marie-proprietaire-secrete" not in body(response), url
    # The owner does see them: the test would catch a leak.
    mine = client.get(f"/api/v1/actors/{home.pk}",
                      HTTP_AUTHORIZATION=f"Bearer {tokens.create(owner)[1]}")  # fmt: skip
    assert EMAIL in mine.content.decode() and "marie-proprietaire-secrete" in mine.content.decode()


# social2: news, updates and withdrawals in the federation keep people private.
def test_federated_news_updates_and_deletes_keep_people_private(
    client, home, django_capture_on_commit_callbacks
):
    """A resident with an e-mail, living at the home's exact point, writes news of Saint-Denis;
    the home event is followed from the fediverse, changed, then unpublished. No outbox, object
    or delivered activity (Create, Update, Delete) shows the e-mail, the street, the exact point
    or the resident's name."""
    from django.contrib.auth.models import User
    from django.contrib.gis.geos import Point
    from django.utils import timezone

    from geo_civic.federation.models import Delivery, Follower, RemoteActor
    from geo_civic.participation.residence import set_residence
    from geo_civic.social.models import News
    from geo_civic.social.news import decide, post_news

    remote = RemoteActor.objects.create(
        uri="https://remote.example/bob", inbox="https://remote.example/bob/inbox",
        key_id="https://remote.example/bob#k", public_key_pem="-", fetched_at=timezone.now(),
    )  # fmt: skip
    for kind, key in (("commune", "97411"), ("actor", str(home.pk))):
        Follower.objects.create(local_kind=kind, local_key=key, remote=remote, accepted=True,
                                local_origin="http://testserver")  # fmt: skip
    resident = User.objects.create_user("marie-autrice-secrete", EMAIL, password="x")
    set_residence(resident, Point(float(EXACT_LON), float(EXACT_LAT), srid=4326))
    moderator = User.objects.create_superuser("modo-prive", "m@example.org", "x")
    with django_capture_on_commit_callbacks(execute=True):
        news = post_news(resident, commune_code="97411", title="Vide-grenier", body="Dimanche")
        decide(moderator, News.objects.get(pk=news.pk), publish=True)
    with django_capture_on_commit_callbacks(execute=True):
        home.save()
    with django_capture_on_commit_callbacks(execute=True):
        home.name = "Atelier couture et tricot"
        home.save()
    kinds = sorted(Delivery.objects.values_list("activity__type", flat=True))
    assert kinds == ["Create", "Create", "Create", "Update", "Update"]
    pages = ["/ap/communes/97411/outbox?page=1", f"/ap/actors/{home.pk}/outbox?page=1",
             f"/ap/objects/news/{news.pk}", f"/ap/objects/event/{home.pk}"]  # fmt: skip
    for url in pages:
        response = client.get(url, HTTP_ACCEPT="application/activity+json")
        assert response.status_code == 200, url
        assert_secret_free(url, body(response))
        assert b"marie-autrice-secrete" not in body(response), url
    with django_capture_on_commit_callbacks(execute=True):
        home.status = Actor.Status.DRAFT
        home.save()
    # The commune's Delete (the unpublished event's own actor no longer serves its key).
    assert Delivery.objects.filter(activity__type="Delete").count() == 1
    for delivery in Delivery.objects.all():
        text = json.dumps(delivery.activity, ensure_ascii=False).encode()
        assert_secret_free(delivery.activity_id, text)
        assert b"marie-autrice-secrete" not in text and b"modo-prive" not in text


# social2: the moderator's note and an actor's members page.
def test_moderation_note_and_members_page_keep_people_private(client, home):
    """The reason a moderator gives is the author's (and moderators') only; the members page,
    for administrators, names members but shows no e-mail, no residence."""
    from django.contrib.auth.models import User
    from django.contrib.gis.geos import Point

    from geo_civic.participation.residence import set_residence
    from geo_civic.social.memberships import request_to_join
    from geo_civic.social.news import decide, post_news

    resident = User.objects.create_user("marie-membre-secrete", EMAIL, password="x")
    set_residence(resident, Point(float(EXACT_LON), float(EXACT_LAT), srid=4326))
    moderator = User.objects.create_superuser("modo-prive", "m@example.org", "x")
    news = post_news(resident, commune_code="97411", title="Kermesse", body="Samedi")
    decide(moderator, news, publish=True, reason="Note privée pour Marie")
    page = f"/actualites/{news.pk}/"
    for viewer in (None, User.objects.create_user("voisin", password="x")):
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        response = client.get(page)
        assert response.status_code == 200 and "Note privée".encode() not in response.content
        api = client.get(f"/api/v1/news/{news.pk}")
        assert "Note privée".encode() not in api.content
    client.force_login(resident)
    assert "Note privée".encode() in client.get(page).content  # the test can fail
    owner = User.objects.create_user("proprietaire", password="x")
    Actor.objects.filter(pk=home.pk).update(owner=owner)
    home.refresh_from_db()
    request_to_join(resident, home)
    client.force_login(owner)
    members = client.get(f"/acteurs/{home.pk}/membres/")
    assert members.status_code == 200 and b"marie-membre-secrete" in members.content
    assert_secret_free("members page", members.content)
