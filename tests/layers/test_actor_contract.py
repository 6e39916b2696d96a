"""The round-2 contract with the map: what an actor feature says (permalink, categories, colour,
event dates) and the category, period and EPCI filters, alike in GeoJSON, OGC API, tiles and
exports (see briefs/contract-actors-api.md)."""

import datetime as dt
import json

import mapbox_vector_tile
import pytest
from django.contrib.gis.gdal import DataSource

from geo_civic.actors.models import Actor, Category
from geo_civic.territories.models import Commune, Epci

pytestmark = pytest.mark.django_db


def features(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return json.loads(b"".join(response.streaming_content))["features"]


def names(client, url: str) -> list[str]:
    return sorted(f["properties"]["name"] for f in features(client, url))


@pytest.fixture
def world(reunion_communes):
    food = Category.objects.create(name="Alimentation", slug="alimentation", colour="#111111")
    gardens = Category.objects.create(
        name="Jardins partagés", slug="jardins", parent=food, colour="#222222", icon="leaf"
    )
    culture = Category.objects.create(name="Culture", slug="culture", colour="#333333")
    zebra = Category.objects.create(name="Zèbres", slug="zebres", colour="#444444")
    Category.objects.create(name="Vide", slug="vide")  # no actor: not listed
    unused = Category.objects.create(name="Brouillons", slug="brouillons")
    garden = Actor.objects.create(kind="place", name="Jardin", point="POINT(55.4481 -20.8789)")
    garden.categories.set([gardens])
    amap = Actor.objects.create(kind="place", name="AMAP", point="POINT(55.4482 -20.8790)")
    amap.categories.set([zebra, food])
    fete = Actor.objects.create(
        kind="event",
        name="Fête",
        point="POINT(55.4483 -20.8791)",
        starts_at=dt.datetime(2030, 5, 1, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=4))),
    )
    fete.categories.set([culture])
    Actor.objects.create(
        kind="event",
        name="Expo",
        point="POINT(55.4781 -21.3393)",  # Saint-Pierre, outside the CINOR
        starts_at=dt.datetime(2030, 6, 1, tzinfo=dt.UTC),
        ends_at=dt.datetime(2030, 6, 10, tzinfo=dt.UTC),
        all_day=True,
    )
    draft = Actor.objects.create(
        kind="place", name="Brouillon", point="POINT(55.45 -20.88)", status="draft"
    )
    draft.categories.set([unused])
    return {"garden": garden, "fete": fete}


def test_actor_features_carry_permalink_categories_colour_and_dates(client, world):
    by_name = {
        f["properties"]["name"]: f["properties"]
        for f in features(client, "/api/layers/actors.geojson")
    }
    garden = by_name["Jardin"]
    assert (
        garden["url"]
        == world["garden"].get_absolute_url()
        == f"/acteurs/{world['garden'].pk}-jardin/"
    )
    assert garden["categories"] == ["jardins"]
    assert garden["colour"] == "#222222"
    assert garden["starts_at"] is None and garden["ends_at"] is None and garden["all_day"] is None
    # The first category by name gives the colour: Alimentation before Zèbres.
    assert by_name["AMAP"]["categories"] == ["alimentation", "zebres"]
    assert by_name["AMAP"]["colour"] == "#111111"
    fete = by_name["Fête"]
    assert dt.datetime.fromisoformat(fete["starts_at"]) == world["fete"].starts_at
    assert fete["starts_at"][-6:] in ("+00:00", "+04:00")  # an offset, not a naive time
    assert fete["ends_at"] is None and fete["all_day"] is False
    expo = by_name["Expo"]
    assert dt.datetime.fromisoformat(expo["ends_at"]) == dt.datetime(2030, 6, 10, tzinfo=dt.UTC)
    assert expo["all_day"] is True and expo["categories"] == [] and expo["colour"] is None


def test_category_filter_includes_descendants_on_every_actor_layer(client, world):
    assert names(client, "/api/layers/actors.geojson?category=alimentation") == ["AMAP", "Jardin"]
    assert names(client, "/api/layers/actors.geojson?category=jardins") == ["Jardin"]
    assert names(client, "/api/layers/places.geojson?category=culture,zebres") == ["AMAP"]
    assert names(client, "/api/layers/events.geojson?category=culture") == ["Fête"]
    counts = features(client, "/api/layers/actors-per-commune.geojson?category=alimentation")
    assert sum(f["properties"]["actor_count"] for f in counts) == 2
    response = client.get("/api/layers/actors.geojson?category=nope")
    assert response.status_code == 400
    assert "unknown category nope" in response.json()["detail"]
    response = client.get("/api/layers/communes.geojson?category=culture")
    assert response.status_code == 400 and "does not apply" in response.json()["detail"]


def test_period_filter_keeps_overlapping_events_only(client, world):
    url = "/api/layers/actors.geojson?"
    # The Fête has no end: it lasts until the end of its start day (local time).
    assert names(client, url + "start=2030-05-01&end=2030-05-01") == ["Fête"]
    assert names(client, url + "start=2030-05-01T23:00:00%2B04:00") == ["Expo", "Fête"]
    assert names(client, url + "start=2030-05-02") == ["Expo"]
    assert names(client, url + "end=2030-05-31") == ["Fête"]
    assert names(client, url + "start=2030-06-05T12:00:00Z&end=2030-06-06") == ["Expo"]
    assert names(client, url + "start=2030-06-11") == []
    assert names(client, "/api/layers/places.geojson?start=2030-01-01") == []
    counts = features(client, "/api/layers/actors-per-commune.geojson?start=2030-05-02")
    assert sum(f["properties"]["actor_count"] for f in counts) == 1
    for bad in ("start=demain", "end=2030-13-01", "start=0000-01-01"):
        response = client.get(url + bad)
        assert response.status_code == 400, bad
        assert "ISO 8601" in response.json()["detail"] or "range" in response.json()["detail"]


def test_ogc_datetime_applies_to_the_events_collection_only(client, world):
    events = features(client, "/ogc/collections/events/items?datetime=2030-06-05T00:00:00Z")
    assert [f["properties"]["name"] for f in events] == ["Expo"]
    assert [
        f["properties"]["name"]
        for f in features(client, "/ogc/collections/events/items?datetime=../2030-05-15")
    ] == ["Fête"]
    response = client.get("/ogc/collections/actors/items?datetime=2030-06-05T00:00:00Z")
    assert response.status_code == 400
    assert "datetime" in response.json()["description"]
    collection = client.get("/ogc/collections/events").json()
    assert collection["extent"]["temporal"]["interval"] == [
        ["2030-05-01T10:00:00Z", "2030-06-10T00:00:00Z"]
    ]
    item = client.get(f"/ogc/collections/actors/items/{world['garden'].pk}").json()
    assert item["properties"]["url"] == world["garden"].get_absolute_url()
    assert item["properties"]["categories"] == ["jardins"]


def test_tiles_carry_the_new_attributes_and_filters(client, world):
    tile = client.get("/tiles/actors/14/10715/9163.pbf")
    assert tile.status_code == 200
    decoded = mapbox_vector_tile.decode(tile.content)["actors"]["features"]
    by_name = {f["properties"]["name"]: f["properties"] for f in decoded}
    assert by_name["AMAP"]["categories"] == "alimentation,zebres"
    assert by_name["AMAP"]["colour"] == "#111111"
    assert by_name["Jardin"]["url"] == world["garden"].get_absolute_url()
    fete = by_name["Fête"]
    assert dt.datetime.fromisoformat(fete["starts_at"]) == world["fete"].starts_at
    assert fete["all_day"] is False
    assert "all_day" not in by_name["Jardin"]  # null attributes are left out of a tile
    filtered = client.get("/tiles/actors/14/10715/9163.pbf?category=jardins")
    (only,) = mapbox_vector_tile.decode(filtered.content)["actors"]["features"]
    assert only["properties"]["name"] == "Jardin"
    assert client.get("/tiles/actors/14/10715/9163.pbf?start=2031-01-01").status_code == 204
    fields = client.get("/tiles/actors.json").json()["vector_layers"][0]["fields"]
    assert fields["all_day"] == "Boolean" and fields["categories"] == "String"


def test_exports_carry_the_new_properties(client, world, tmp_path, settings):
    settings.GEO_CIVIC_EXPORTS_PER_MINUTE = 0
    response = client.get("/api/layers/events.gpkg?category=culture")
    assert response.status_code == 200
    path = tmp_path / "events.gpkg"
    path.write_bytes(b"".join(response.streaming_content))
    (feature,) = list(DataSource(str(path))[0])
    assert feature.get("name") == "Fête"
    assert feature.get("url") == world["fete"].get_absolute_url()
    assert json.loads(feature.get("categories")) == ["culture"]
    assert feature.get("colour") == "#333333"
    assert feature.get("starts_at")  # a date-time field GDAL read
    response = client.get("/api/layers/actors.csv?category=alimentation")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    for column in ("url", "categories", "colour", "starts_at", "ends_at", "all_day"):
        assert column in header


def test_api_categories_lists_those_in_use_sorted_by_name(client, world):
    response = client.get("/api/categories")
    assert response.status_code == 200
    assert response.json()["categories"] == [
        {"slug": "alimentation", "name": "Alimentation", "colour": "#111111", "icon": "",
         "parent": None},
        {"slug": "culture", "name": "Culture", "colour": "#333333", "icon": "", "parent": None},
        {"slug": "jardins", "name": "Jardins partagés", "colour": "#222222", "icon": "leaf",
         "parent": "alimentation"},
        {"slug": "zebres", "name": "Zèbres", "colour": "#444444", "icon": "", "parent": None},
    ]  # fmt: skip


def test_api_categories_may_be_read_from_any_site(client, world):
    response = client.get("/api/categories", HTTP_ORIGIN="https://journal.example")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_parent_is_listed_when_only_its_child_has_actors(client, reunion_communes):
    parent = Category.objects.create(name="Parent", slug="parent")
    child = Category.objects.create(name="Enfant", slug="enfant", parent=parent)
    actor = Actor.objects.create(kind="place", name="Lieu", point="POINT(55.4481 -20.8789)")
    actor.categories.set([child])
    slugs = [c["slug"] for c in client.get("/api/categories").json()["categories"]]
    assert slugs == ["enfant", "parent"]


def test_epci_filter_on_every_layer(client, world):
    cinor = Epci.objects.create(code="249740101", name="CINOR", kind="CA")
    Commune.objects.filter(code__in=["97411", "97418"]).update(epci=cinor)
    communes = features(client, "/api/layers/communes.geojson?epci=249740101")
    assert sorted(f["properties"]["code"] for f in communes) == ["97411", "97418"]
    assert names(client, "/api/layers/actors.geojson?epci=249740101") == [
        "AMAP", "Fête", "Jardin"
    ]  # fmt: skip
    counts = features(client, "/api/layers/actors-per-commune.geojson?epci=249740101")
    assert len(counts) == 2
    assert names(client, "/api/layers/actors.geojson?epci=200000000") == []
    tile = client.get("/tiles/communes/8/172/143.pbf?epci=249740101")
    assert tile.status_code in (200, 204)
    assert client.get("/api/layers/actors.geojson?epci=").status_code == 400


@pytest.mark.django_db(transaction=True)  # each write its own transaction, as in production
def test_a_category_change_gives_actor_layers_a_new_etag(client, world):
    first = client.get("/api/layers/actors.geojson")
    etag = first["ETag"]
    assert client.get("/api/layers/actors.geojson", HTTP_IF_NONE_MATCH=etag).status_code == 304
    Category.objects.filter(slug="jardins").update(colour="#555555")
    second = client.get("/api/layers/actors.geojson", HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 200 and second["ETag"] != etag
    world["garden"].categories.add(Category.objects.get(slug="culture"))
    third = client.get("/api/layers/actors.geojson", HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200
