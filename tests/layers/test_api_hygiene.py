"""Conditional GET and CORS on the public read-only endpoints."""

import pytest

from geo_civic.actors.models import Actor
from geo_civic.territories.models import Commune
from importers.communes import import_communes
from tests.conftest import REUNION

pytestmark = pytest.mark.django_db

# Versions follow the transactions that wrote the rows: these tests commit like production.
committed = pytest.mark.django_db(transaction=True)


@committed
def test_geojson_answers_304_until_the_rows_change(client, reunion_communes):
    url = "/api/layers/communes.geojson?departement=974"
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # Another filter, another format: other validators.
    assert client.get(url + "&commune=97411")["ETag"] != etag
    assert client.get("/api/layers/communes.csv?departement=974")["ETag"] != etag
    Commune.objects.filter(code="97411").update(name="Saint-Denis (renommée)")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


@committed
def test_an_identical_reimport_keeps_the_etag(client, reunion_communes, test_data):
    etag = client.get("/api/layers/communes.geojson")["ETag"]
    import_communes(test_data(REUNION), source="france-geojson/974")
    assert client.get("/api/layers/communes.geojson", HTTP_IF_NONE_MATCH=etag).status_code == 304


@committed
def test_actor_layers_have_last_modified_and_counts_follow_actors(client, reunion_communes):
    Actor.objects.create(kind="place", name="Jardin", point="POINT(55.4481 -20.8789)")
    first = client.get("/api/layers/actors.geojson")
    assert first["Last-Modified"].endswith("GMT")
    since = client.get("/api/layers/actors.geojson", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    counts = client.get("/api/layers/actors-per-commune.geojson")["ETag"]
    Actor.objects.create(kind="event", name="Fête", point="POINT(55.4482 -20.8790)")
    assert client.get("/api/layers/actors-per-commune.geojson")["ETag"] != counts


def test_exports_and_ogc_items_are_conditional_too(client, reunion_communes):
    gpkg = client.get("/api/layers/communes.gpkg")
    assert (
        client.get("/api/layers/communes.gpkg", HTTP_IF_NONE_MATCH=gpkg["ETag"]).status_code == 304
    )
    items = client.get("/ogc/collections/communes/items")
    assert (
        client.get("/ogc/collections/communes/items", HTTP_IF_NONE_MATCH=items["ETag"]).status_code
        == 304
    )


@pytest.mark.parametrize(
    "path",
    ["/api/layers/actors.geojson", "/tiles/communes.json", "/ogc/collections", "/ogc/"],
)
def test_public_data_can_be_read_from_any_site(client, path):
    response = client.get(path, HTTP_ORIGIN="https://newsroom.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        path,
        HTTP_ORIGIN="https://newsroom.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.get("Access-Control-Expose-Headers", "") or path.startswith("/ogc")


def test_pages_and_admin_get_no_cors_header(client):
    response = client.get("/admin/login/", HTTP_ORIGIN="https://newsroom.example")
    assert "Access-Control-Allow-Origin" not in response


def test_file_exports_are_rate_limited_per_client(client, settings, monkeypatch):
    from types import SimpleNamespace

    from geo_civic.web import rate_limits

    mid_minute = SimpleNamespace(time=lambda: 6_000_030.0)
    monkeypatch.setattr(rate_limits, "time", mid_minute)
    settings.GEO_CIVIC_EXPORTS_PER_MINUTE = 2
    csv = client.get("/api/layers/communes.csv")
    assert csv.status_code == 200
    again = client.get("/api/layers/communes.csv", HTTP_IF_NONE_MATCH=csv["ETag"])
    assert again.status_code == 304  # costs no quota
    assert client.get("/api/layers/communes.fgb").status_code == 200
    refused = client.get("/api/layers/communes.gpkg")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"
    assert "too many exports" in refused.json()["detail"]
    assert client.get("/api/layers/communes.geojson").status_code == 200  # streamed, not limited
    other = client.get("/api/layers/communes.gpkg", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200
