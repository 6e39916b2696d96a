"""The read side of ``/api/v1/``: the layers' filter set, cursor pages stable under inserts,
conditional GET, communes at a zoom band, place search, nearby, categories."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection

from geo_civic.actors.models import Actor
from tests.api_v1.conftest import SAINT_DENIS, SAINT_PAUL

pytestmark = pytest.mark.django_db


def published(name: str, where=SAINT_PAUL, **extra) -> Actor:
    return Actor.objects.create(kind=extra.pop("kind", "project"), name=name,
                                point=f"POINT({where[0]} {where[1]})", status="published",
                                **extra)  # fmt: skip


def names(answer) -> list[str]:
    return [f["properties"]["name"] for f in answer.json()["features"]]


def test_the_list_takes_the_layers_filters_and_links_to_the_streamed_layer(api, garden):
    published("Compost du Port", SAINT_DENIS, tags=["compost"])
    Actor.objects.create(kind="project", name="En attente", status="pending",
                         point=f"POINT({SAINT_PAUL[0]} {SAINT_PAUL[1]})")  # fmt: skip
    everyone = api["anonymous"]
    assert sorted(names(everyone.get("actors"))) == ["Compost du Port", "Jardins de Saint-Paul"]
    assert names(everyone.get("actors?commune=97415")) == ["Jardins de Saint-Paul"]
    assert names(everyone.get("actors?tags=compost&kind=project")) == ["Compost du Port"]
    assert names(everyone.get("actors?category=jardins")) == ["Jardins de Saint-Paul"]
    assert names(everyone.get("actors?q=jardin")) == ["Jardins de Saint-Paul"]
    answer = everyone.get("actors?commune=97415&page_size=1")
    link = urlsplit(answer.json()["links"]["geojson"])
    assert link.path == "/api/layers/actors.geojson"
    assert parse_qs(link.query) == {"commune": ["97415"]}
    streamed = everyone.client.get(f"{link.path}?{link.query}")
    assert streamed.status_code == 200
    # The same mistakes as everywhere else: unknown, repeated or malformed parameters.
    for query in ("colour=red", "commune=97415&commune=97411", "kind=rocket", "bbox=1,2",
                  "limit=5", "offset=1", "page_size=0", "page_size=201", "page_size=²",
                  "category=inconnue", "q=%00"):  # fmt: skip
        refused = everyone.get(f"actors?{query}")
        assert refused.status_code == 400, query
        assert refused["Content-Type"] == "application/problem+json"


def test_cursor_pages_are_stable_under_inserts(api, people):
    for i in range(5):
        published(f"Projet {i}")
    client = api["anonymous"]
    first = client.get("actors?page_size=2").json()
    assert names_of(first) == ["Projet 0", "Projet 1"]
    # A row inserted between two page reads, sorting before every other by name: no shift.
    published("Aaa nouveau")
    second = client.client.get(first["links"]["next"]).json()
    assert names_of(second) == ["Projet 2", "Projet 3"]
    third = client.client.get(second["links"]["next"]).json()
    assert names_of(third) == ["Projet 4", "Aaa nouveau"]
    assert third["links"]["next"] is None
    back = client.client.get(third["links"]["previous"]).json()
    assert names_of(back) == ["Projet 2", "Projet 3"]
    assert client.get("actors?cursor=pas-un-curseur").status_code == 404


def names_of(page: dict) -> list[str]:
    return [f["properties"]["name"] for f in page["features"]]


def test_reads_answer_304_while_nothing_changed(api, garden):
    client = api["anonymous"]
    for path in ("actors", f"actors/{garden.pk}", "categories", "communes/97415?zoom=5",
                 "places?q=saint", f"nearby?lat={SAINT_PAUL[1]}&lon={SAINT_PAUL[0]}"):  # fmt: skip
        answer = client.get(path)
        assert answer.status_code == 200, path
        etag = answer["ETag"]
        again = client.get(path, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again.content == b"", path
        weak = client.get(path, HTTP_IF_NONE_MATCH=f"W/{etag}")
        assert weak.status_code == 304, path
    read = client.get(f"actors/{garden.pk}")
    assert read["Last-Modified"] and "Authorization" in read["Vary"]
    garden.summary = "Changé"
    garden.save()
    assert client.get(f"actors/{garden.pk}", HTTP_IF_NONE_MATCH=read["ETag"]).status_code == 200
    listed = client.get("actors")
    published("Nouveau")
    assert client.get("actors", HTTP_IF_NONE_MATCH=listed["ETag"]).status_code == 200
    assert "Nouveau" in names(client.get("actors"))  # a kept body is never an old one
    # A page kept for one person is not served to another: the owner's has the private member.
    (mine,) = [f for f in api["owner"].get("actors").json()["features"] if f["id"] == garden.pk]
    assert mine["properties"]["private"]["email"] == "secret-contact@example.org"
    # The private member is per person: an editor's copy has another ETag.
    assert api["owner"].get(f"actors/{garden.pk}")["ETag"] != client.get(
        f"actors/{garden.pk}")["ETag"]  # fmt: skip


def test_communes_come_with_their_boundary_at_the_zoom_asked(api):
    client = api["anonymous"]
    listed = client.get("communes?page_size=30").json()
    assert len(listed["features"]) == 24 and listed["features"][0]["geometry"] is None
    sizes = {}
    for zoom in (3, 8, 11, 14):
        answer = client.get(f"communes/97415?zoom={zoom}")
        assert answer.status_code == 200
        body = answer.json()
        assert body["properties"]["name"] == "Saint-Paul"
        assert body["geometry"]["type"] == "MultiPolygon"
        sizes[zoom] = len(json.dumps(body["geometry"]))
    assert sizes[3] < sizes[8] < sizes[11] < sizes[14]  # the vector tiles' four bands
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT band) FROM territories_communeshape")
        assert cursor.fetchone()[0] == 4
    assert client.get("communes/97415?zoom=23").status_code == 400
    assert client.get("communes/00000").status_code == 404
    in_974 = client.get("communes?departement=974&zoom=2&page_size=30").json()["features"]
    assert len(in_974) == 24 and all(f["geometry"]["type"] == "MultiPolygon" for f in in_974)
    assert client.get("communes?departement=976").json()["features"] == []


def test_places_nearby_and_categories_delegate_to_the_layers(api, garden):
    client = api["anonymous"]
    found = client.get("places?q=saint%20paul").json()["results"]
    assert [p["name"] for p in found] == ["Saint-Paul"]
    near = client.get(f"nearby?lat={SAINT_PAUL[1]}&lon={SAINT_PAUL[0]}&limit=1").json()
    assert near["results"][0]["id"] == garden.pk
    assert near["results"][0]["distance_m"] > 0  # to the published point of a home
    assert client.get("nearby?lat=95&lon=0").status_code == 400
    assert client.get("nearby?lon=0").status_code == 400
    cats = client.get("categories").json()["categories"]
    assert [c["slug"] for c in cats] == ["jardins"]
