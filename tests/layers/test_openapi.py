"""One OpenAPI 3.1 document says exactly what every JSON endpoint accepts, and cannot drift.

It is valid OpenAPI 3.1 (openapi-spec-validator); every URL pattern under ``/api/`` and
``/tiles/`` has an operation in it; its parameters are the ones the code parses with (values the
schema admits are accepted, bounds just beyond it refused); it is served as YAML by default and
as JSON when asked, at ``/api/schema/`` and ``/api/v1/schema/`` alike.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml
from django.contrib.admindocs.views import simplify_regex
from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import validate

from geo_civic.actors.models import Actor
from layers.filters import FILTERS
from layers.registry import LAYERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def routes(patterns=None, prefix: str = "") -> list[str]:
    """Every URL pattern of the site as an OpenAPI path template (``/api/places``)."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found += routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append(prefix + str(pattern.pattern))
    templates = []
    for route in found:
        path = simplify_regex(route) if "(?P<" in route else "/" + route
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path.replace("^", "").replace("$", ""))
        templates.append(re.sub("/+", "/", path.replace("\\", "")))
    return templates


def shape(path: str) -> str:
    return re.sub(r"\{\w+\}", "{}", path)


def test_one_valid_openapi_3_1_document_yaml_by_default_json_when_asked(client, document):
    validate(document)  # raises with the reason when the document is not valid OpenAPI 3.1
    assert document["openapi"] == "3.1.0"
    default = client.get("/api/schema/")
    assert default.status_code == 200
    assert default["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.safe_load(default.content) == document
    v1 = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert json.loads(v1.content) == document
    assert document["externalDocs"]["url"] == "/ogc/api"  # linked, not merged
    assert not any(path.startswith("/ogc") for path in document["paths"])


def test_every_api_and_tile_url_has_an_operation(document):
    # The app API's catch-all (a problem for any unknown /api/v1/ path) is no operation.
    public = [r for r in routes() if r.startswith(("/api/", "/tiles/")) and "(?!" not in r]
    assert "/api/places" in public and "/api/imports/actors" in public  # the walk finds them
    assert "/tiles/{name}/{z}/{x}/{y}.pbf" in public
    # Compared with the variables unnamed: drf-spectacular calls a router's pk "id".
    documented = {shape(path) for path in document["paths"]}
    missing = sorted(path for path in public if shape(path) not in documented)
    assert not missing, f"URL patterns without an operation in /api/schema/: {missing}"
    routed = {shape(path) for path in routes()}
    stale = sorted(path for path in document["paths"] if shape(path) not in routed)
    assert not stale, f"operations without a URL pattern: {stale}"


def operation(document: dict, path: str, method: str = "get") -> dict:
    return document["paths"][path][method]


def parameters(document: dict, path: str) -> dict[str, dict]:
    return {p["name"]: p for p in operation(document, path)["parameters"]}


def test_layer_filters_are_documented_with_the_parsers_bounds(client, document):
    layer = parameters(document, "/api/layers/{name}.geojson")
    assert set(FILTERS) <= set(layer)
    assert set(layer["name"]["schema"]["enum"]) == set(LAYERS)
    assert layer["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 10_000}
    assert set(layer["kind"]["schema"]["items"]["enum"]) == set(Actor.Kind.values)
    export = parameters(document, "/api/layers/{name}.{fmt}")
    assert "fgb" in export["fmt"]["schema"]["enum"]
    assert export["separator"]["schema"]["enum"] == ["comma", "semicolon", "tab"]
    # What the schema admits is accepted; one step beyond its bounds is refused.
    pattern = re.compile(layer["updated_since"]["schema"]["pattern"])
    for value in ("2024-01-01", "2024-05-31T18:00:00+04:00"):
        assert pattern.fullmatch(value)
        assert client.get("/api/layers/actors.geojson", {"updated_since": value}).status_code == 200
    assert not pattern.fullmatch("2024-02-30")
    actors = "/api/layers/actors.geojson"
    assert client.get(actors, {"updated_since": "2024-02-30"}).status_code == 400
    assert client.get(actors, {"limit": "10000"}).status_code == 200
    assert client.get(actors, {"limit": "10001"}).status_code == 400
    codes = re.compile(layer["commune"]["schema"]["pattern"])
    assert codes.fullmatch("97411,97415") and not codes.fullmatch("97411;97415")
    assert client.get("/api/layers/communes.geojson", {"commune": "97411;97415"}).status_code == 400


def test_map_endpoints_are_documented_from_their_declarations(client, document):
    nearby = parameters(document, "/api/nearby")
    assert nearby["lat"]["required"] and nearby["lon"]["required"]
    assert nearby["lat"]["schema"] == {"type": "number", "minimum": -90, "maximum": 90}
    assert nearby["limit"]["schema"]["maximum"] == 100
    assert nearby["radius"]["schema"]["maximum"] == 500_000
    base = {"lat": "-20.9", "lon": "55.45"}
    assert client.get("/api/nearby", {**base, "limit": "100"}).status_code == 200
    assert client.get("/api/nearby", {**base, "limit": "101"}).status_code == 400
    places = parameters(document, "/api/places")
    assert places["q"]["schema"]["maxLength"] == 100
    assert client.get("/api/places", {"q": "x" * 101}).status_code == 400
    clusters = parameters(document, "/api/map/clusters")
    assert clusters["zoom"]["required"] and clusters["bbox"]["required"]
    assert clusters["zoom"]["schema"]["maximum"] == 22
    assert "limit" not in clusters and "offset" not in clusters
    tile = parameters(document, "/tiles/{name}/{z}/{x}/{y}.pbf")
    assert tile["z"]["schema"]["maximum"] == 22 and "limit" not in tile
    assert set(document["paths"]["/api/categories"]) == {"get"}


def test_steward_imports_document_their_form_from_the_import_options(document):
    body = operation(document, "/api/imports/communes", "post")["requestBody"]
    form = body["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["file"]
    assert form["properties"]["dry_run"]["type"] == "boolean"
    assert form["properties"]["valid_from"]["format"] == "date"
    assert form["properties"]["country"]["maxLength"] == 2
    actors = operation(document, "/api/imports/actors", "post")["requestBody"]
    fields = actors["content"]["multipart/form-data"]["schema"]["properties"]
    assert "gogocarto" in fields["format"]["enum"]
    assert fields["mapping"]["contentMediaType"] == "application/octet-stream"
    responses = operation(document, "/api/imports/actors", "post")["responses"]
    assert {"400", "401", "403", "413"} <= set(responses)
    assert "application/problem+json" in responses["403"]["content"]


def test_app_api_operations_are_in_the_same_document(document):
    assert "/api/v1/spaces" in document["paths"]
    assert "/api/v1/auth/token" in document["paths"]
    assert "Problem" in document["components"]["schemas"]
