"""Vector tiles, decoded as a map client would decode them."""

import math

import mapbox_vector_tile
import pytest

from geo_civic.actors.models import Actor
from geo_civic.territories.models import Commune
from layers import tiles

pytestmark = pytest.mark.django_db

SAINT_DENIS = (55.4481, -20.8789)


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def get_tile(client, layer: str, z: int, x: int, y: int, query: str = ""):
    return client.get(f"/tiles/{layer}/{z}/{x}/{y}.pbf{query}")


def decoded(response) -> dict:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(response.content)


def test_commune_tile_holds_the_communes_with_their_properties(client, reunion_communes):
    layer = decoded(get_tile(client, "communes", *tile_of(*SAINT_DENIS, 10)))["communes"]
    by_code = {f["properties"]["code"]: f for f in layer["features"]}
    assert "97411" in by_code and "97416" not in by_code
    saint_denis = by_code["97411"]
    assert saint_denis["properties"]["name"] == "Saint-Denis"
    assert saint_denis["properties"]["area_km2"] == pytest.approx(142.8, rel=0.05)
    assert saint_denis["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert layer["extent"] == 4096


def vertices(geometry) -> int:
    if isinstance(geometry, (int, float)):
        return 1
    if len(geometry) == 2 and all(isinstance(v, (int, float)) for v in geometry):
        return 1
    return sum(vertices(part) for part in geometry)


def test_polygons_are_simplified_for_the_zoom(client, reunion_communes):
    def saint_denis_vertices(z):
        layer = decoded(get_tile(client, "communes", *tile_of(*SAINT_DENIS, z)))["communes"]
        feature = next(f for f in layer["features"] if f["properties"]["code"] == "97411")
        return vertices(feature["geometry"]["coordinates"])

    # Whole in one tile at both zooms; fewer points where fewer pixels show it.
    assert saint_denis_vertices(6) < saint_denis_vertices(9) / 2


def test_commune_tiles_draw_the_importers_shape_of_the_zooms_band(client, reunion_communes):
    """Tiles read the band's shape from territories_communeshape, not the boundary: a shape
    replaced by a square shows as that square at its band's zooms only."""
    from django.db import connection

    from geo_civic.territories.shapes import band_for_zoom

    z, x, y = tile_of(*SAINT_DENIS, 6)
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE territories_communeshape SET geom = ST_Multi(ST_Transform(
                   ST_MakeEnvelope(55.40, -20.95, 55.50, -20.85, 4326), 3857))
               WHERE band = %s AND commune_id = (
                   SELECT id FROM territories_commune WHERE code = '97411')""",
            [band_for_zoom(z)],
        )

    def saint_denis(zoom: int) -> int:
        layer = decoded(get_tile(client, "communes", *tile_of(*SAINT_DENIS, zoom)))["communes"]
        feature = next(f for f in layer["features"] if f["properties"]["code"] == "97411")
        return vertices(feature["geometry"]["coordinates"])

    assert saint_denis(6) == 5  # the square: a closed ring of 4 corners
    assert saint_denis(9) > 20  # another band: the real outline


def test_actor_tile_uses_the_same_filters(client, reunion_communes):
    Actor.objects.create(
        kind="place", name="Jardin", point="POINT(55.4481 -20.8789)", tags=["jardin", "bio"]
    )
    Actor.objects.create(kind="event", name="Fête", point="POINT(55.4482 -20.8790)")
    Actor.objects.create(
        kind="place",
        name="Caché",
        point="POINT(55.4483 -20.8790)",
        status="draft",
        address="secret",
    )
    z, x, y = tile_of(*SAINT_DENIS, 14)
    features = decoded(get_tile(client, "actors", z, x, y))["actors"]["features"]
    assert sorted(f["properties"]["name"] for f in features) == ["Fête", "Jardin"]
    jardin = next(f for f in features if f["properties"]["name"] == "Jardin")
    assert jardin["properties"]["tags"] == "jardin,bio"
    assert jardin["properties"]["commune_code"] == "97411"
    assert jardin["geometry"]["type"] == "Point"
    assert "address" not in jardin["properties"]
    places = decoded(get_tile(client, "actors", z, x, y, "?kind=place"))["actors"]["features"]
    assert [f["properties"]["name"] for f in places] == ["Jardin"]
    assert get_tile(client, "events", z, x, y, "?q=jardin").status_code == 204


def test_a_tile_keeps_at_most_the_cap_largest_features_first(client, reunion_communes, monkeypatch):
    monkeypatch.setattr(tiles, "MAX_TILE_FEATURES", 3)
    response = get_tile(client, "communes", *tile_of(*SAINT_DENIS, 5))
    features = decoded(response)["communes"]["features"]
    assert len(features) == 3
    largest = Commune.objects.order_by("-area_km2").values_list("code", flat=True)[:3]
    assert {f["properties"]["code"] for f in features} == set(largest)
    assert "97415" in largest  # Saint-Paul, the largest commune of La Réunion


def test_empty_tile_is_a_204_and_tiles_have_etags(client, reunion_communes):
    assert get_tile(client, "communes", 5, 0, 0).status_code == 204
    first = get_tile(client, "communes", *tile_of(*SAINT_DENIS, 9))
    assert first["Cache-Control"].startswith("public, max-age=")
    again = client.get(
        f"/tiles/communes/{'/'.join(map(str, tile_of(*SAINT_DENIS, 9)))}.pbf",
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_a_tile_revalidates_with_a_weak_etag_and_not_with_a_stranger(client, reunion_communes):
    """A compressing proxy hands the client ``W/"…"``: it still matches; another tag does not."""
    url = f"/tiles/communes/{'/'.join(map(str, tile_of(*SAINT_DENIS, 9)))}.pbf"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"x", W/{etag}').status_code == 304
    # Today's substring test would have taken a tag that merely contains ours.
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"{etag[1:-1]}0"').status_code == 200


@pytest.mark.parametrize(
    "path, status, reason",
    [
        ("communes/23/0/0.pbf", 400, "zoom must be between 0 and 22"),
        ("communes/-1/0/0.pbf", 400, "zoom"),
        ("communes/3/8/0.pbf", 404, "x and y go from 0 to 7"),
        ("communes/3/0/-1.pbf", 404, "no tile"),
        ("communes/3/0/999999999999.pbf", 404, "no tile"),
        ("communes/3/0/0.pbf?kind=place", 400, "does not apply"),
        ("actors/3/0/0.pbf?limit=5", 400, "does not apply to tiles"),
        ("boats/3/0/0.pbf", 404, "unknown layer"),
        ("actors/3/0/0.pbf?q=a&q=b", 400, "q given more than once"),
    ],
)
def test_bad_tile_requests_get_a_reason(client, path, status, reason):
    response = client.get(f"/tiles/{path}")
    assert response.status_code == status
    assert reason in response.json()["detail"]


def test_tilejson_describes_the_filtered_tiles(client, reunion_communes):
    document = client.get("/tiles/communes.json?departement=974").json()
    assert document["tilejson"] == "3.0.0"
    assert document["tiles"] == ["http://testserver/tiles/communes/{z}/{x}/{y}.pbf?departement=974"]
    west, south, east, north = document["bounds"]
    assert 55.2 < west < east < 55.9 and -21.4 < south < north < -20.8
    assert "Licence Ouverte" in document["attribution"]
    assert document["vector_layers"][0]["id"] == "communes"
    assert document["vector_layers"][0]["fields"]["area_km2"] == "Number"
    assert document["vector_layers"][0]["fields"]["name"] == "String"
