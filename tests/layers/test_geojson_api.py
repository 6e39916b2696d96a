import json

import pytest

from geo_civic.actors.models import Actor

pytestmark = pytest.mark.django_db

SAINT_DENIS_BBOX = "55.40,-20.95,55.50,-20.86"


def features(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    document = json.loads(b"".join(response.streaming_content))
    assert document["type"] == "FeatureCollection"
    assert document["numberReturned"] == len(document["features"])
    assert "crs" not in document
    return document["features"]


def test_communes_layer_is_rfc7946_geojson(client, reunion_communes):
    found = features(client, "/api/layers/communes.geojson")
    assert len(found) == 24
    saint_denis = next(f for f in found if f["properties"]["code"] == "97411")
    assert saint_denis["geometry"]["type"] == "MultiPolygon"
    lon, lat = saint_denis["geometry"]["coordinates"][0][0][0]
    assert 55 < lon < 56 and -22 < lat < -20  # [longitude, latitude]
    assert saint_denis["properties"]["name"] == "Saint-Denis"
    assert saint_denis["properties"]["area_km2"] == pytest.approx(142.8, rel=0.05)


def test_bbox_keeps_polygons_that_only_overlap_the_view(client, reunion_communes):
    codes = {
        f["properties"]["code"]
        for f in features(client, f"/api/layers/communes.geojson?bbox={SAINT_DENIS_BBOX}")
    }
    assert "97411" in codes  # Saint-Denis spreads far beyond this small view
    assert "97416" not in codes  # Saint-Pierre is on the other side of the island


def test_actors_layer_filters_by_bbox_and_kind(client, reunion_communes):
    Actor.objects.create(kind="place", name="Jardin", point="POINT(55.4481 -20.8789)")
    Actor.objects.create(kind="event", name="Fête", point="POINT(55.4481 -20.8790)")
    Actor.objects.create(kind="place", name="Loin", point="POINT(55.4781 -21.3393)")
    Actor.objects.create(
        kind="place", name="Brouillon", point="POINT(55.4481 -20.8789)", status=Actor.Status.DRAFT
    )
    names = [
        f["properties"]["name"]
        for f in features(client, f"/api/layers/actors.geojson?bbox={SAINT_DENIS_BBOX}&kind=place")
    ]
    assert names == ["Jardin"]
    jardin = features(client, "/api/layers/actors.geojson?commune=97411&kind=place")[0]
    assert jardin["geometry"] == {"type": "Point", "coordinates": [55.4481, -20.8789]}
    assert jardin["properties"]["commune_code"] == "97411"
    assert set(jardin["properties"]) == {
        "name",
        "kind",
        "summary",
        "tags",
        "website",
        "commune_code",
        "commune_name",
        "url",
        "categories",
        "colour",
        "starts_at",
        "ends_at",
        "all_day",
    }


@pytest.mark.parametrize(
    "query, reason",
    [
        ("bbox=55,-21,56", "bbox needs 4 numbers"),
        ("bbox=55,-21,56,nan", "finite"),
        ("bbox=a,b,c,d", "must be numbers"),
        ("bbox=56,-21,55,-20", "greater than its maximum"),
        ("bbox=55,-91,56,-20", "outside"),
        ("kind=spaceship", "unknown kind spaceship"),
        ("colour=red", "unknown parameter 'colour'"),
    ],
)
def test_malformed_parameters_get_a_400_with_a_reason(client, query, reason):
    response = client.get(f"/api/layers/actors.geojson?{query}")
    assert response.status_code == 400
    assert reason in response.json()["detail"]


def test_unknown_layer_is_a_404_listing_the_layers(client):
    response = client.get("/api/layers/nothing.geojson")
    assert response.status_code == 404
    assert response.json()["layers"] == [
        "actors",
        "actors-per-commune",
        "communes",
        "events",
        "organisations",
        "places",
        "projects",
        "proposal-results",
        "proposals",
    ]


def test_writes_are_refused(client):
    assert client.post("/api/layers/actors.geojson").status_code == 405
