"""A CSV export opened in a spreadsheet runs no formula planted in an actor's text (OWASP CSV
injection): such a cell is written as text, with a leading quote; numbers stay numbers."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command

from geo_civic.actors.models import Actor

pytestmark = pytest.mark.django_db

PLANTED = ['=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]
SAINT_DENIS = "POINT(55.4481 -20.8789)"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def planted(reunion_communes, settings):
    settings.GEO_CIVIC_EXPORTS_PER_MINUTE = 0
    for index, text in enumerate(PLANTED):
        Actor.objects.create(
            kind="place", name=text, summary=text, tags=[text, "jardin"], point=SAINT_DENIS,
            website=f"https://example.org/{index}",
        )  # fmt: skip
    return PLANTED


def rows(body: bytes, delimiter: str = ",") -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""),
                               delimiter=delimiter))  # fmt: skip


def get(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content)


def assert_neutralised(records: list[dict], planted: list[str]) -> None:
    assert sorted(r["name"] for r in records) == sorted("'" + text for text in planted)
    for record in records:
        assert record["summary"] == record["name"]
        for column, value in record.items():
            if column not in ("lon", "lat"):  # numbers, checked apart
                assert not value.startswith(DANGEROUS), (column, value)


@pytest.mark.parametrize(
    "layer, query, delimiter",
    [
        ("actors", "", ","),
        ("places", "?separator=semicolon", ";"),
        ("actors", "?separator=tab&geometry=wkt", "\t"),
        ("actors", "?commune=97411&kind=place&q=sum", ","),  # the map's "download what I see"
    ],
)
def test_csv_cells_that_would_run_a_formula_are_text(client, planted, layer, query, delimiter):
    records = rows(get(client, f"/api/layers/{layer}.csv{query}"), delimiter)
    expected = ["@SUM(A1:A9)"] if "q=sum" in query else planted
    assert_neutralised(records, expected)
    # Tags are written as a JSON array: the cell starts with a bracket, which runs nothing.
    assert all(r["tags"].startswith('[ "') and '"jardin" ]' in r["tags"] for r in records)
    if "geometry=wkt" in query:
        assert all(r["WKT"] == "POINT (55.4481 -20.8789)" for r in records)
    else:
        # Coordinates are numbers, not text: La Réunion's negative latitude keeps its sign.
        assert {(r["lon"], r["lat"]) for r in records} == {("55.4481", "-20.8789")}


def test_export_command_writes_the_same_safe_csv(planted, tmp_path):
    target = tmp_path / "actors.csv"
    call_command("export_layer", "actors", "--format", "csv", "-o", str(target))
    assert_neutralised(rows(target.read_bytes()), planted)


def test_numeric_columns_stay_numbers_and_other_formats_keep_the_text(client, planted):
    counts = rows(get(client, "/api/layers/actors-per-commune.csv?commune=97411"))
    assert [(r["code"], r["actor_count"]) for r in counts] == [("97411", "6")]
    geojson = json.loads(get(client, "/api/layers/actors.geojson"))
    assert sorted(f["properties"]["name"] for f in geojson["features"]) == sorted(planted)
