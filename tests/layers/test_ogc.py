"""OGC API – Features, checked with the client QGIS uses: GDAL's OAPIF driver."""

import json
import os
import re
import subprocess

import pytest

from geo_civic.actors.models import Actor

pytestmark = pytest.mark.django_db

# GDAL talks to the live server on loopback directly, whatever proxy the environment names.
LOOPBACK_ENV = {
    **{k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")},
    "NO_PROXY": "*",
}


def body(response) -> dict:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(content)


@pytest.fixture
def actors(reunion_communes):
    Actor.objects.create(
        kind="place", name="Jardin", point="POINT(55.4481 -20.8789)", address="secret address"
    )
    Actor.objects.create(kind="event", name="Fête", point="POINT(55.4482 -20.8790)")
    return Actor.objects.create(
        kind="place", name="Brouillon", point="POINT(55.4481 -20.8789)", status="draft"
    )


def test_gdal_oapif_driver_lists_every_collection_with_its_count(live_server, actors):
    result = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", f"OAPIF:{live_server.url}/ogc"],
        capture_output=True,
        text=True,
        env=LOOPBACK_ENV,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for name in ("communes", "actors", "organisations", "events", "places", "actors-per-commune"):
        assert f"Layer name: {name}\n" in out
    blocks = {block.split("\n", 1)[0]: block for block in out.split("Layer name: ")[1:]}
    assert "Feature Count: 24" in blocks["communes"]
    assert "Feature Count: 2" in blocks["actors"]  # the draft is not published
    assert "Feature Count: 1" in blocks["events"]
    assert "address" not in out
    assert "area_km2: Real" in blocks["communes"]
    # GDAL 3.6 types fields from the first page only (no population yet: String); newer
    # clients read the collection's JSON Schema (describedby), checked below.


def test_gdal_reads_features_through_pages(live_server, reunion_communes):
    """GDAL follows the next links: all 24 communes, their names and boundaries."""
    result = subprocess.run(
        [
            "ogrinfo",
            "-ro",
            "-q",
            f"OAPIF:{live_server.url}/ogc",
            "communes",
            "-oo",
            "PAGE_SIZE=5",
            "-where",
            "code = '97411'",
        ],
        capture_output=True,
        text=True,
        env=LOOPBACK_ENV,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "name (String) = Saint-Denis" in result.stdout
    assert "MULTIPOLYGON (((55." in result.stdout


def test_landing_conformance_and_openapi(client):
    landing = client.get("/ogc/").json()
    rels = {link["rel"]: link["href"] for link in landing["links"]}
    assert rels["conformance"] == "http://testserver/ogc/conformance"
    assert rels["service-desc"] == "http://testserver/ogc/api"
    assert rels["data"] == "http://testserver/ogc/collections"
    conformance = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conformance
    api = client.get("/ogc/api")
    assert api["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert "/collections/communes/items" in api.json()["paths"]


def test_collection_has_its_extent(client, reunion_communes):
    communes = client.get("/ogc/collections/communes").json()
    west, south, east, north = communes["extent"]["spatial"]["bbox"][0]
    assert 55.2 < west < east < 55.9 and -21.4 < south < north < -20.8
    assert "Licence Ouverte" in communes["attribution"]
    schema = client.get("/ogc/collections/actors-per-commune/schema")
    assert schema["Content-Type"] == "application/schema+json"
    assert schema.json()["properties"]["per_1000"] == {"type": "number"}
    assert schema.json()["properties"]["actor_count"] == {"type": "integer"}
    assert client.get("/ogc/collections/boats").status_code == 404


def test_items_page_with_next_links_and_bbox(client, reunion_communes):
    page = body(client.get("/ogc/collections/communes/items?limit=10&f=json"))
    assert page["numberMatched"] == 24 and page["numberReturned"] == 10
    nexts = [link["href"] for link in page["links"] if link["rel"] == "next"]
    assert nexts == ["http://testserver/ogc/collections/communes/items?limit=10&offset=10"]
    last = body(client.get("/ogc/collections/communes/items?limit=10&offset=20"))
    assert last["numberReturned"] == 4
    assert not [link for link in last["links"] if link["rel"] == "next"]
    crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    same = body(client.get(f"/ogc/collections/communes/items?crs={crs84}&bbox-crs={crs84}"))
    assert same["numberReturned"] == 10
    default = body(client.get("/ogc/collections/communes/items"))
    assert default["numberReturned"] == 10
    around = body(client.get("/ogc/collections/communes/items?bbox=55.40,-20.95,55.50,-20.86"))
    assert "97411" in {f["properties"]["code"] for f in around["features"]}
    assert around["numberMatched"] < 24


def test_single_item_and_unpublished_ones(client, actors):
    found = body(client.get("/ogc/collections/actors/items?q=jardin"))["features"][0]
    one = client.get(f"/ogc/collections/actors/items/{found['id']}")
    assert one.status_code == 200
    assert one.json()["properties"]["name"] == "Jardin"
    assert one.json()["geometry"]["coordinates"] == [55.4481, -20.8789]
    assert client.get(f"/ogc/collections/actors/items/{actors.pk}").status_code == 404  # draft
    assert client.get(f"/ogc/collections/events/items/{found['id']}").status_code == 404
    assert client.get("/ogc/collections/actors/items/abc").status_code == 404
    assert client.get("/ogc/collections/actors/items/%C2%B2").status_code == 404  # "²"


@pytest.mark.parametrize(
    "query, reason",
    [
        ("datetime=2024-01-01", "does not apply"),
        ("datetime=2024-01-01/2024/x", "datetime must be"),
        ("datetime=2024-01-01T00:00:00%2B16:00", "datetime: a time-zone offset goes from"),
        ("datetime=../2024-01-01T00:00-23:59", "datetime: a time-zone offset goes from"),
        ("limit=١٠", "limit must be a whole number"),
        ("limit=0", "from 1 to"),
        ("bbox=1,2,3", "bbox needs 4 numbers"),
        ("f=xml", "f must be json"),
        ("colour=red", "unknown parameter"),
        ("limit=5&limit=6", "limit given more than once"),
        ("bbox-crs=http://www.opengis.net/def/crs/EPSG/0/2975", "serves"),
    ],
)
def test_bad_item_requests_get_a_400(client, query, reason):
    response = client.get(f"/ogc/collections/actors/items?{query}")
    assert response.status_code == 400
    assert reason in response.json()["description"]


@pytest.mark.parametrize(
    "value, taken",
    [
        ("2030-05-01T10:00:00+15:59", True),
        ("2030-05-01T10:00:00-15:59", True),
        ("2030-05-01T10:00:00+16:00", False),
        ("2030-05-01T10:00-23:59", False),
        ("../2030-05-01T10:00+20:00", False),
    ],
)
def test_the_advertised_datetime_pattern_is_what_the_server_takes(client, actors, value, taken):
    document = client.get("/ogc/api").json()
    parameters = document["paths"]["/collections/events/items"]["get"]["parameters"]
    (pattern,) = [p["schema"]["pattern"] for p in parameters if p["name"] == "datetime"]
    assert bool(re.fullmatch(pattern, value)) is taken
    response = client.get("/ogc/collections/events/items", {"datetime": value})
    assert response.status_code == (200 if taken else 400)
