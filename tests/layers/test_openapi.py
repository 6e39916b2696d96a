"""The API's OpenAPI document and docs page say exactly what the code accepts."""

import pytest

from layers.filters import FILTERS

pytestmark = pytest.mark.django_db


def layer_operation(client) -> dict:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    document = response.json()
    assert document["openapi"].startswith("3.0")
    assert {"/api/layers/{layer}.{format}", "/tiles/{layer}/{z}/{x}/{y}.pbf"} <= set(
        document["paths"]
    )
    return document["paths"]["/api/layers/{layer}.{format}"]["get"]


def test_every_filter_is_documented_and_every_documented_one_is_accepted(client):
    parameters = {p["name"]: p for p in layer_operation(client)["parameters"]}
    assert set(FILTERS) <= set(parameters)
    assert set(parameters["layer"]["schema"]["enum"]) >= {"communes", "actors-per-commune"}
    assert "fgb" in parameters["format"]["schema"]["enum"]
    plausible = {
        "bbox": "55,-21,56,-20",
        "commune": "97411",
        "departement": "974",
        "region": "04",
        "kind": "event",
        "epci": "249740101",
        "tags": "jardin",
        "q": "jardin",
        "updated_since": "2024-01-01",
        "limit": "5",
        "offset": "0",
    }
    for name, value in plausible.items():
        response = client.get("/api/layers/actors.geojson", {name: value})
        assert response.status_code == 200, (name, response.content)
    for name in ("start", "end"):  # events only, on every actor layer; not on communes
        assert client.get("/api/layers/actors.geojson", {name: "2024-01-01"}).status_code == 200
        assert (
            "does not apply"
            in client.get("/api/layers/communes.geojson", {name: "2024-01-01"}).json()["detail"]
        )


def test_docs_page_lists_the_endpoints_and_their_parameters(client):
    page = client.get("/api/docs/").content.decode()
    assert "GET /api/layers/{layer}.{format}" in page
    assert "GET /tiles/{layer}/{z}/{x}/{y}.pbf" in page
    assert "<code>updated_since</code>" in page
    assert 'href="/api/schema/"' in page
