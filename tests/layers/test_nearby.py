"""/api/nearby: nearest published actors by KNN on the published point, never the exact one."""

import pytest

from geo_civic.actors.models import Actor

pytestmark = pytest.mark.django_db

HERE = {"lat": "-21.0095", "lon": "55.2700"}  # Saint-Paul, near the town hall


@pytest.fixture
def actors(reunion_communes):
    made = {}
    for name, lon, lat in [
        ("Tout près", 55.2705, -21.0095),  # ~50 m east
        ("À deux kilomètres", 55.2700, -20.9915),  # ~2 km north
        ("À Saint-Pierre", 55.4781, -21.3393),  # ~43 km
    ]:
        made[name] = Actor.objects.create(kind="place", name=name, point=f"POINT({lon} {lat})")
    Actor.objects.create(
        kind="place", name="Pas publié", point="POINT(55.2701 -21.0095)", status="pending"
    )
    return made


def get(client, **params):
    return client.get("/api/nearby", params)


def test_nearest_first_with_geodesic_distances(client, actors):
    response = get(client, **HERE, limit="10")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["name"] for r in rows] == ["Tout près", "À deux kilomètres", "À Saint-Pierre"]
    assert 45 <= rows[0]["distance_m"] <= 60
    assert 1950 <= rows[1]["distance_m"] <= 2050
    assert 40_000 < rows[2]["distance_m"] < 50_000
    assert rows[0]["url"] == actors["Tout près"].get_absolute_url()
    assert rows[0]["commune_name"] == "Saint-Paul"
    assert [r["name"] for r in get(client, **HERE, limit="1").json()["results"]] == ["Tout près"]


def test_radius_keeps_only_what_is_within_it(client, actors):
    rows = get(client, **HERE, radius="5000").json()["results"]
    assert [r["name"] for r in rows] == ["Tout près", "À deux kilomètres"]
    assert get(client, lat="-21.3", lon="55.7", radius="100").json()["results"] == []


def test_a_home_is_placed_and_measured_only_by_its_public_point(client, reunion_communes):
    home = Actor.objects.create(
        kind="project", name="Chez moi", point="POINT(55.27123 -21.00987)", location_is_private=True
    )
    home.refresh_from_db()
    row = get(client, lat="-21.00987", lon="55.27123").json()["results"][0]
    assert row["name"] == "Chez moi"
    assert (row["lon"], row["lat"]) == (
        round(home.public_point.x, 6),
        round(home.public_point.y, 6),
    )
    assert (row["lon"], row["lat"]) != (55.27123, -21.00987)
    assert row["distance_m"] > 100  # measured to the rounded point, not the home


@pytest.mark.parametrize(
    "params, reason",
    [
        ({"lon": "55.27"}, "lat is required"),
        ({"lat": "abc", "lon": "55"}, "lat must be a number"),
        ({"lat": "91", "lon": "55"}, "lat must be between -90 and 90"),
        ({"lat": "-21", "lon": "nan"}, "lon must be between"),
        ({"lat": "-21", "lon": "55", "limit": "0"}, "limit must be a whole number from 1 to 100"),
        ({"lat": "-21", "lon": "55", "limit": "1000"}, "limit must be"),
        ({"lat": "-21", "lon": "55", "limit": "²"}, "limit must be a whole number"),  # isdigit()
        ({"lat": "-21", "lon": "55", "limit": "١٢"}, "limit must be a whole number"),  # int(): 12
        ({"lat": "-٢١", "lon": "55"}, "lat must be a number"),  # float(): -21
        ({"lat": "-21", "lon": "55", "radius": "-5"}, "radius must be between"),
        ({"lat": "-21", "lon": "55", "bbox": "1,2,3,4"}, "unknown parameter bbox"),
    ],
)
def test_bad_parameters_are_a_400_with_a_reason(client, params, reason):
    response = get(client, **params)
    assert response.status_code == 400
    assert reason in response.json()["detail"]


def test_a_repeated_parameter_is_a_400(client):
    response = client.get("/api/nearby?lat=-21&lat=-20&lon=55")
    assert response.status_code == 400
    assert "more than once" in response.json()["detail"]


def test_the_query_walks_the_gist_index_of_the_public_point(actors):
    from django.db import connection

    from layers.nearby import NEAREST_SQL

    params = {"lat": -21.0, "lon": 55.3, "published": "published", "candidates": 10}
    params.update(radius=None, limit=5)
    with connection.cursor() as cursor:
        # Three rows make any plan cheap: price scans and sorts as on a big table.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + NEAREST_SQL, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "actor_public_point_gist" in plan
    assert "public_point <->" in plan.replace("a.public_point", "public_point")
