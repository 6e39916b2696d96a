"""/api/map/first-view: the default view's answers, preloaded by the map page under a version."""

import json
import re

import pytest

from geo_civic.actors.models import Actor, Category
from layers.first_view import INLINE_ACTORS, fit_zoom, padded_bbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors(reunion_communes):
    garden = Category.objects.create(name="Jardins", slug="jardins", colour="#228833")
    for i in range(12):
        actor = Actor.objects.create(
            kind="organisation", name=f"Asso {i}", point=f"POINT({55.448 + i * 1e-3} -20.88)"
        )
        if i < 4:
            actor.categories.add(garden)
    Actor.objects.create(kind="place", name="Seul à Cilaos", point="POINT(55.4718 -21.1347)")
    Actor.objects.create(
        kind="place", name="Brouillon", point="POINT(55.47 -21.13)", status="draft"
    )


def preloaded_url(client) -> str:
    html = client.get("/").content.decode()
    config = json.loads(re.search(r'id="map-config"[^>]*>(.*?)</script>', html, re.S)[1])
    url = config["firstViewUrl"]
    assert f'<link rel="preload" href="{url.replace("&", "&amp;")}" as="fetch"' in html
    return url


def test_the_answer_is_what_the_clusters_and_actors_endpoints_answer_for_its_view(client, actors):
    answer = client.get(preloaded_url(client)).json()
    bbox, zoom = answer["bbox"], answer["zoom"]
    clusters = client.get("/api/map/clusters", {"bbox": bbox, "zoom": zoom}).json()
    geojson = client.get("/api/layers/actors.geojson", {"bbox": bbox, "limit": 1500})
    features = json.loads(b"".join(geojson.streaming_content))["features"]
    assert answer["summary"] == clusters
    assert answer["features"] == features
    assert answer["summary"]["total"] == 13 and len(features) == 13  # published ones only
    assert "Brouillon" not in json.dumps(answer)


def test_the_view_is_the_territory_padded_as_the_map_pads_its_view():
    extent = (55.2, -21.4, 55.8, -20.8)
    assert padded_bbox(extent) == "55.17000,-21.43000,55.83000,-20.77000"
    assert fit_zoom(extent) == 9  # what Leaflet's fitBounds picks on a 390 px wide phone
    assert fit_zoom((-5.2, 41.3, 9.6, 51.1)) == 5  # metropolitan France


def test_a_crowded_territory_sends_counts_and_grid_clusters_without_actors(client, actors):
    Actor.objects.bulk_create(
        Actor(kind="organisation", name=f"Foule {i}", point=f"POINT(55.45 {-20.9 - i * 1e-4})")
        for i in range(INLINE_ACTORS)
    )
    answer = client.get(preloaded_url(client)).json()
    assert answer["features"] is None
    assert answer["summary"]["total"] == INLINE_ACTORS + 13
    assert sum(c["count"] for c in answer["summary"]["clusters"]) == INLINE_ACTORS + 13


def test_under_its_version_the_answer_is_immutable_and_an_edit_gives_a_new_url(client, actors):
    url = preloaded_url(client)
    response = client.get(url)
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Type"] == "application/json"
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    # (A test is one transaction: an update would keep xmin, which a real edit changes.)
    Actor.objects.create(kind="project", name="Asso nouvelle", point="POINT(55.46 -20.9)")
    new_url = preloaded_url(client)
    assert new_url != url
    stale = client.get(url)  # an old page's URL: the current answer, revalidated next time
    assert stale["Cache-Control"] == "public, no-cache"
    assert "Asso nouvelle" in stale.content.decode()


def test_no_territory_no_preload_and_a_null_answer(client):
    html = client.get("/").content.decode()
    assert 'as="fetch"' not in html and '"firstViewUrl": null' in html
    assert client.get("/api/map/first-view").json() is None


def test_an_unknown_parameter_is_a_400_problem(client, actors):
    response = client.get("/api/map/first-view", {"bbox": "1,2,3,4"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["parameter"] == "bbox"


def test_the_catalogue_has_a_versioned_immutable_url_per_language(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    url = re.search(r'<script defer src="(/jsi18n/fr/\?v=\w+)"', html)[1]
    response = client.get(url)
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.content == client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="fr").content
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'<script defer src="/jsi18n/en/\?v=\w+"', english)
    assert client.get("/jsi18n/xx/").status_code == 404
    assert client.get(url + "&nope=1").status_code == 400
