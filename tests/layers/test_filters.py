"""The shared filter set, through the API a map or a journalist calls."""

import datetime as dt
import json
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo_civic.actors.models import Actor
from geo_civic.territories.models import Commune
from geo_civic.web.params import ParameterError
from layers.filters import parse_bbox

pytestmark = pytest.mark.django_db


def collection(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return json.loads(b"".join(response.streaming_content))


def names(client, url: str) -> list[str]:
    return sorted(f["properties"]["name"] for f in collection(client, url)["features"])


@pytest.fixture
def actors(reunion_communes):
    def make(name, kind="organisation", point="POINT(55.4481 -20.8789)", **fields):
        return Actor.objects.create(kind=kind, name=name, point=point, **fields)

    return {
        "ecole": make("École des Fêtes", summary="Ateliers au jardin", tags=["éducation"]),
        "jardin": make("Jardin partagé", kind="place", tags=["jardin", "alimentation"]),
        "fete": make("Fête de la musique", kind="event", summary="Concerts dans les rues"),
        "sud": make("AMAP du Sud", point="POINT(55.4781 -21.3393)", tags=["alimentation"]),
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=ecole", ["École des Fêtes"]),  # accents ignored
        ("q=ÉCOLE", ["École des Fêtes"]),  # case too
        ("q=fetes", ["École des Fêtes", "Fête de la musique"]),  # French stemming: fête ~ fêtes
        ("q=jardins", ["Jardin partagé", "École des Fêtes"]),  # the summary counts
        ("q=concert", ["Fête de la musique"]),
        ("q=education", ["École des Fêtes"]),  # tags are searched too
        ('q="jardin partage"', ["Jardin partagé"]),
        ("q=fete -musique", ["École des Fêtes"]),
        ("q=piscine", []),
    ],
)
def test_q_is_french_full_text_without_accents(client, actors, query, expected):
    assert names(client, f"/api/layers/actors.geojson?{query}") == sorted(expected)


def test_q_on_communes_searches_their_names(client, reunion_communes):
    assert names(client, "/api/layers/communes.geojson?q=etang") == ["Étang-Salé"]
    assert names(client, "/api/layers/communes.geojson?q=saint-p") == [
        "Saint-Paul",
        "Saint-Philippe",
        "Saint-Pierre",
    ]


def test_territory_filters(client, actors):
    Commune.objects.filter(code__in=["97411", "97416"]).update(region_code="04")
    Commune.objects.filter(code="97416").update(departement_code="9XX")
    assert names(client, "/api/layers/communes.geojson?region=04") == [
        "Saint-Denis",
        "Saint-Pierre",
    ]
    assert len(names(client, "/api/layers/communes.geojson?departement=974,9XX")) == 24
    assert names(client, "/api/layers/actors.geojson?commune=97411&kind=event") == [
        "Fête de la musique"
    ]
    assert names(client, "/api/layers/actors.geojson?region=04&commune=97416") == ["AMAP du Sud"]
    assert names(client, "/api/layers/actors.geojson?departement=971") == []


def test_tags_match_any_of_the_listed_tags(client, actors):
    assert names(client, "/api/layers/actors.geojson?tags=alimentation") == [
        "AMAP du Sud",
        "Jardin partagé",
    ]
    assert names(client, "/api/layers/actors.geojson?tags=éducation,jardin") == [
        "Jardin partagé",
        "École des Fêtes",
    ]


def test_updated_since(client, actors):
    Actor.objects.filter(pk=actors["sud"].pk).update(
        updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    assert "AMAP du Sud" not in names(client, "/api/layers/actors.geojson?updated_since=2024-01-01")
    assert "AMAP du Sud" in names(
        client, "/api/layers/actors.geojson?updated_since=2019-12-31T23:00:00%2B00:00"
    )


def test_layers_per_kind_hold_only_their_kind(client, actors):
    assert names(client, "/api/layers/events.geojson") == ["Fête de la musique"]
    assert names(client, "/api/layers/places.geojson") == ["Jardin partagé"]
    assert names(client, "/api/layers/organisations.geojson?tags=alimentation") == ["AMAP du Sud"]
    assert names(client, "/api/layers/projects.geojson") == []


def test_actors_per_commune_counts_published_actors(client, actors):
    Commune.objects.filter(code="97411").update(population=150_000)
    Actor.objects.create(
        kind="place", name="Brouillon", point="POINT(55.4481 -20.8789)", status="draft"
    )
    found = {
        f["properties"]["code"]: f["properties"]
        for f in collection(client, "/api/layers/actors-per-commune.geojson")["features"]
    }
    assert len(found) == 24
    assert found["97411"]["actor_count"] == 3  # the draft is not counted
    assert found["97411"]["per_1000"] == pytest.approx(0.02)
    assert found["97416"]["actor_count"] == 1
    assert found["97416"]["per_1000"] is None  # population unknown
    assert found["97401"]["actor_count"] == 0
    events = collection(client, "/api/layers/actors-per-commune.geojson?kind=event&commune=97411")
    assert [f["properties"]["actor_count"] for f in events["features"]] == [1]


def test_limit_and_offset_page_through_the_whole_layer_with_next_links(client, reunion_communes):
    seen: list[str] = []
    url = "/api/layers/communes.geojson?limit=10&departement=974"
    pages = 0
    while url:
        document = collection(client, url)
        seen += [f["properties"]["code"] for f in document["features"]]
        assert document["numberReturned"] == len(document["features"])
        nexts = [link["href"] for link in document.get("links", []) if link["rel"] == "next"]
        url = urlsplit(nexts[0])._replace(scheme="", netloc="").geturl() if nexts else None
        pages += 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 24
    assert "departement=974" in nexts_of(
        client, "/api/layers/communes.geojson?limit=10&departement=974"
    )


def nexts_of(client, url):
    return collection(client, url)["links"][0]["href"]


def test_geojson_carries_source_and_licence(client, reunion_communes):
    metadata = collection(client, "/api/layers/communes.geojson?commune=97411")["metadata"]
    assert metadata["layer"] == "communes"
    assert metadata["licence"] == "Licence Ouverte / Open Licence (Etalab)"
    assert metadata["sources"][0]["name"] == "france-geojson"
    assert "IGN" in metadata["sources"][0]["attribution"]


@pytest.mark.parametrize(
    "layer, query, reason",
    [
        ("communes", "kind=place", "'kind' does not apply to layer 'communes'"),
        ("communes", "updated_since=2024-01-01", "does not apply"),
        ("actors", "updated_since=yesterday", "ISO 8601"),
        ("actors", "updated_since=2024-02-30", "ISO 8601"),
        ("actors", "limit=0", "from 1 to 10000"),
        ("actors", "limit=10001", "from 1 to 10000"),
        ("actors", "limit=-1", "whole number"),
        ("actors", "offset=1.5", "whole number"),
        ("actors", "limit=²", "whole number"),  # a digit to str.isdigit, not to int()
        ("actors", "offset=١٢", "whole number"),  # a number to int(), in Arabic-Indic digits
        ("actors", "bbox=٥٥,-21,56,-20", "bbox values must be numbers"),
        # PostgreSQL takes offsets up to ±15:59; Python's parser up to ±23:59.
        ("events", "start=2024-01-01T00:00%2B16:00", "start: a time-zone offset goes from"),
        ("events", "end=2024-01-01T00:00-23:59", "end: a time-zone offset goes from"),
        ("actors", "updated_since=2024-05-01T12:00:00%2B20:00", "updated_since: a time-zone"),
        ("actors", "commune=", "at least one value"),
        ("actors", "q=", "needs some text"),
        ("actors", "q=" + "a" * 201, "at most 200"),
        ("actors", "category=food", "unknown category food"),
        ("communes", "start=2024-01-01", "does not apply"),
        ("actors", "epci=", "at least one value"),
        ("actors", "kind=place&kind=event", "kind given more than once"),
        ("actors-per-commune", "updated_since=2024-01-01", "does not apply"),
    ],
)
def test_malformed_or_unsupported_parameters_get_a_400(client, layer, query, reason):
    response = client.get(f"/api/layers/{layer}.geojson?{query}")
    assert response.status_code == 400
    assert reason in response.json()["detail"]


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@given(west=finite, south=finite, east=finite, north=finite)
def test_parse_bbox_accepts_exactly_the_valid_boxes(west, south, east, north):
    text = f"{west!r},{south!r},{east!r},{north!r}"
    valid = -180 <= west <= east <= 180 and -90 <= south <= north <= 90
    if valid:
        assert parse_bbox(text).extent == (west, south, east, north)
    else:
        with pytest.raises(ParameterError):
            parse_bbox(text)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(
        ["bbox", "commune", "kind", "tags", "q", "updated_since", "limit", "offset", "zz"]
    ),
    value=st.text(max_size=40),
)
def test_any_value_gets_a_200_or_a_400_with_a_reason_never_a_500(client, name, value):
    response = client.get("/api/layers/actors.geojson", {name: value})
    assert response.status_code in (200, 400), (name, value)
    if response.status_code == 400:
        assert response.json()["detail"]
    else:
        json.loads(b"".join(response.streaming_content))


def test_actor_search_reads_the_gin_index(reunion_communes):
    """``q`` on actors matches the expression index of layers migration 0002, words and
    prefixes alike (a different expression would silently scan every actor)."""
    from django.db import connection

    from layers.filters import _search, select
    from layers.registry import LAYERS

    Actor.objects.create(kind="place", name="Jardin partagé", point="POINT(55.4481 -20.8789)")
    condition, vector = _search(LAYERS["actors"], "saint-d jardin")
    queryset = Actor.objects.annotate(_search=vector).filter(condition).values("pk")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "actor_search_french_unaccent" in plan, plan
    assert [a.name for a in select(LAYERS["actors"], {"q": "jard"}).queryset] == ["Jardin partagé"]


@pytest.mark.parametrize("offset", ["%2B15:59", "-15:59", "Z", "%2B00:00"])
def test_every_offset_postgresql_takes_is_taken(client, actors, offset):
    for name in ("start", "end", "updated_since"):
        url = f"/api/layers/actors.geojson?{name}=2024-05-31T23:00:00{offset}"
        assert client.get(url).status_code == 200, (name, offset)
