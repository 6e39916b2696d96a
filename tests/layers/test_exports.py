"""Every export format, read back by GDAL as a journalist's tool would read it."""

import io
import json
import subprocess
import zipfile

import pytest
from django.contrib.gis.gdal import DataSource, GDALException
from django.core.management import call_command
from django.core.management.base import CommandError

from geo_civic.actors.models import Actor

pytestmark = pytest.mark.django_db

SECRET = "12 impasse Secrète"  # a private field: the address is never published


@pytest.fixture
def actors(reunion_communes):
    Actor.objects.create(
        kind="place",
        name="Jardin « partagé » de l'Étang",
        point="POINT(55.4481 -20.8789)",
        tags=["jardin", "alimentation"],
        address=SECRET,
        source_key="gogocarto-alternatives",
        source_id="SECRET-ID-42",
    )
    Actor.objects.create(kind="event", name="Fête", point="POINT(55.4482 -20.8790)")
    Actor.objects.create(kind="place", name="Loin", point="POINT(55.4781 -21.3393)")


def download(client, url: str, tmp_path, name: str):
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content)
    assert SECRET.encode() not in body and b"SECRET-ID" not in body
    path = tmp_path / name
    path.write_bytes(body)
    return response, path


def ogrinfo(path) -> str:
    result = subprocess.run(
        ["ogrinfo", "-ro", "-al", str(path)], capture_output=True, text=True, check=True
    )
    return result.stdout


def geometry_of(feature):
    try:
        return feature.geom.clone()
    except GDALException:  # a CSV without geometry
        return None


def read(path: str) -> list[dict]:
    layer = DataSource(path)[0]
    return [
        {
            **{name: feature.get(name) for name in layer.fields},
            "_geom": geometry_of(feature),
        }
        for feature in layer
    ]


@pytest.mark.parametrize("fmt", ["gpkg", "fgb", "kml", "csv", "geojson"])
def test_actors_in_every_format_are_read_back_by_gdal(client, actors, tmp_path, fmt):
    response, path = download(
        client, f"/api/layers/actors.{fmt}?commune=97411&kind=place", tmp_path, f"a.{fmt}"
    )
    if fmt != "geojson":
        assert "attachment" in response["Content-Disposition"]
    features = read(str(path))
    assert len(features) == 1
    jardin = features[0]
    if fmt == "kml":  # LIBKML writes the name as the placemark's <name>
        jardin["name"] = jardin.pop("Name")
    assert jardin["name"] == "Jardin « partagé » de l'Étang"
    assert jardin["kind"] == "place"
    if fmt == "csv":
        assert (float(jardin["lon"]), float(jardin["lat"])) == (55.4481, -20.8789)
    else:
        assert (jardin["_geom"].x, jardin["_geom"].y) == pytest.approx((55.4481, -20.8789))
    if fmt != "geojson":
        assert json.loads(jardin["tags"]) == ["jardin", "alimentation"]
        assert jardin["source"] == "gogocarto-alternatives"
        assert jardin["licence"].startswith("not stated")
    text = ogrinfo(path)
    assert "Feature Count: 1" in text or fmt in ("csv", "kml", "geojson")
    assert "address" not in text and "source_id" not in text


def test_shapefile_is_zipped_with_a_utf8_cpg_and_a_licence(client, actors, tmp_path):
    response, path = download(client, "/api/layers/actors.shp?commune=97411", tmp_path, "a.zip")
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        assert {"actors.shp", "actors.shx", "actors.dbf", "actors.prj", "actors.cpg"} <= names
        assert archive.read("actors.cpg").strip() == b"UTF-8"
        assert "Licence" in archive.read("LICENCE.txt").decode()
        for name in names:
            assert SECRET.encode() not in archive.read(name)
    features = read(f"/vsizip/{path}/actors.shp")
    assert sorted(f["name"] for f in features) == ["Fête", "Jardin « partagé » de l'Étang"]


def test_communes_geopackage_has_polygons_and_the_licence(client, reunion_communes, tmp_path):
    _, path = download(client, "/api/layers/communes.gpkg?departement=974", tmp_path, "c.gpkg")
    features = read(str(path))
    assert len(features) == 24
    saint_denis = next(f for f in features if f["code"] == "97411")
    assert saint_denis["_geom"].geom_type == "MultiPolygon"
    assert saint_denis["area_km2"] == pytest.approx(142.8, rel=0.05)
    assert saint_denis["licence"].startswith("Licence Ouverte")
    text = subprocess.run(
        ["ogrinfo", "-ro", "-so", str(path), "communes"], capture_output=True, text=True
    ).stdout
    assert "Feature Count: 24" in text
    assert "Licence Ouverte" in text  # the layer description, in gpkg_contents


def test_csv_gives_wkt_on_request(client, reunion_communes, tmp_path):
    response = client.get("/api/layers/communes.csv?commune=97411&geometry=wkt")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header = body.splitlines()[0]
    assert header.startswith("WKT,") and "lon" not in header
    assert "MULTIPOLYGON (((55." in body
    plain = b"".join(client.get("/api/layers/communes.csv?commune=97411").streaming_content)
    assert b"MULTIPOLYGON" not in plain and plain.startswith("\ufefflon,lat,code,name".encode())
    assert client.get("/api/layers/communes.csv?geometry=svg").status_code == 400
    semicolons = client.get("/api/layers/communes.csv?commune=97411&separator=semicolon")
    text = b"".join(semicolons.streaming_content).decode("utf-8-sig")
    assert text.startswith("lon;lat;code;name;")
    assert client.get("/api/layers/communes.csv?separator=pipe").status_code == 400
    assert client.get("/api/layers/communes.gpkg?geometry=wkt").status_code == 400


def test_a_page_exports_only_that_page(client, reunion_communes, tmp_path):
    _, path = download(client, "/api/layers/communes.fgb?limit=5&offset=20", tmp_path, "page.fgb")
    # FlatGeobuf sorts features along its spatial index
    assert sorted(f["code"] for f in read(str(path))) == ["97421", "97422", "97423", "97424"]


def test_empty_selection_still_exports_a_readable_file(client, reunion_communes, tmp_path):
    _, path = download(client, "/api/layers/actors.gpkg", tmp_path, "empty.gpkg")
    assert "Feature Count: 0" in ogrinfo(path)


def test_folium_map_is_self_contained_and_escapes_user_strings(client, reunion_communes):
    Actor.objects.create(
        kind="place", name="<script>alert('x')</script>", point="POINT(55.4481 -20.8789)"
    )
    response = client.get("/api/layers/actors.html?commune=97411")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = b"".join(response.streaming_content).decode()
    assert "<script>alert('x')</script>" not in page
    assert "\\u0026lt;script\\u0026gt;" in page  # escaped, then JSON-encoded by folium
    assert "L.map(" in page and "55.4481" in page
    assert "Licence" in page


def test_a_map_too_large_to_publish_is_refused_with_a_reason(client, reunion_communes, monkeypatch):
    from layers import maps

    monkeypatch.setattr(maps, "MAX_MAP_FEATURES", 10)
    response = client.get("/api/layers/communes.html")
    assert response.status_code == 400
    assert "at most 10 features" in response.json()["detail"]
    assert client.get("/api/layers/communes.html?limit=10").status_code == 200


def test_unknown_format_is_a_404(client):
    response = client.get("/api/layers/actors.xlsx")
    assert response.status_code == 404
    assert "csv" in response.json()["formats"]


def test_export_layer_command_writes_the_same_file(actors, tmp_path):
    target = tmp_path / "places.fgb"
    out = io.StringIO()
    call_command(
        "export_layer",
        "actors",
        "--format",
        "fgb",
        "-o",
        str(target),
        "--kind",
        "place",
        stdout=out,
    )
    assert sorted(f["name"] for f in read(str(target))) == ["Jardin « partagé » de l'Étang", "Loin"]
    with pytest.raises(CommandError, match="unknown kind boat"):
        call_command(
            "export_layer", "actors", "--format", "csv", "-o", str(target), "--kind", "boat"
        )
