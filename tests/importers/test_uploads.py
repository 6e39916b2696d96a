"""Data stewards import over HTTP; every bad or hostile upload gets a 4xx, a JSON reason, and
leaves the commune and actor tables exactly as they were (counts and a checksum of every row)."""

from __future__ import annotations

import io
import json
import stat
import struct
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from geo_civic.actors.models import Actor
from geo_civic.territories.models import Commune
from importers.models import ImportRun
from tests.conftest import GOGOCARTO, REUNION
from tests.importers.gdal_files import ogr2ogr

pytestmark = pytest.mark.django_db

STATE_SQL = """
SELECT (SELECT count(*) FROM territories_commune),
       (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), ''))
        FROM territories_commune t),
       (SELECT count(*) FROM actors_actor),
       (SELECT md5(coalesce(string_agg(a::text, '|' ORDER BY a.id), '')) FROM actors_actor a),
       (SELECT count(*) FROM importers_importrun)
"""


def database_state() -> tuple:
    """Counts and checksums of the communes, the actors and the import log."""
    with connection.cursor() as cursor:
        cursor.execute(STATE_SQL)
        return cursor.fetchone()


def steward_user(name: str = "gaelle") -> User:
    user = User.objects.create_user(name, f"{name}@example.org", "limites-974-ok")
    user.groups.add(Group.objects.get(name="stewards"))
    return user


@pytest.fixture
def steward(client):
    client.force_login(steward_user())
    return client


@pytest.fixture
def loaded(reunion_communes):
    """La Réunion's communes and one actor: the state every refusal must leave untouched."""
    Actor.objects.create(kind="place", name="Repair café", point="POINT(55.27 -21.0096)")
    return database_state()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def post(client: Client, what: str, *files: SimpleUploadedFile, **options):
    return client.post(f"/api/imports/{what}", {"file": list(files), **options})


def reunion(test_data) -> dict:
    return json.loads(test_data(REUNION).read_text())


def geojson(document: dict, name: str = "communes.geojson") -> SimpleUploadedFile:
    return upload(name, json.dumps(document).encode())


def zipped(members: dict[str, bytes], name: str = "communes.zip") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return upload(name, buffer.getvalue())


def shapefile_parts(test_data, tmp_path: Path, *options: str) -> dict[str, bytes]:
    folder = tmp_path / "shp"
    folder.mkdir(exist_ok=True)
    ogr2ogr(folder / "974.shp", test_data(REUNION), "-t_srs", "EPSG:2975", *options)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --- what works -----------------------------------------------------------------------------


def test_steward_uploads_a_geojson_and_gets_the_summary(steward, loaded, test_data):
    document = reunion(test_data)
    saint_denis = next(f for f in document["features"] if f["properties"]["code"] == "97411")
    saint_denis["properties"]["nom"] = "Saint-Denis (La Réunion)"
    answer = post(steward, "communes", geojson(document), valid_from="2027-01-01")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["summary"] == "created 0, updated 1, unchanged 23, retired 0"
    assert answer.json()["warnings"] == [] and answer.json()["schema"] == "france-geojson"
    assert Commune.objects.get(code="97411").name == "Saint-Denis (La Réunion)"
    run = ImportRun.objects.order_by("-id").first()
    assert run.source == "upload communes.geojson by gaelle"


def test_dry_run_reports_and_changes_nothing(steward, loaded, test_data):
    document = reunion(test_data)
    document["features"][0]["properties"]["nom"] = "Autre nom"
    answer = post(steward, "communes", geojson(document), dry_run="true")
    assert answer.json()["summary"] == "dry run: created 0, updated 1, unchanged 23, retired 0"
    assert database_state() == loaded


def test_zipped_shapefile_and_its_loose_parts_both_import(steward, loaded, test_data, tmp_path):
    parts = shapefile_parts(test_data, tmp_path)
    from_zip = post(steward, "communes", zipped({f"COMMUNE/{n}": b for n, b in parts.items()}))
    assert from_zip.status_code == 200, from_zip.json()
    assert from_zip.json()["summary"].endswith("retired 0")
    loose = post(steward, "communes", *(upload(n, b) for n, b in parts.items()))
    assert loose.json()["summary"] == "created 0, updated 0, unchanged 24, retired 0"


def test_a_zip_made_on_a_mac_imports(steward, loaded, test_data, tmp_path):
    parts = shapefile_parts(test_data, tmp_path)
    clutter = {f"__MACOSX/COMMUNE/._{n}": b"\x00\x05\x16\x07" for n in parts}
    archive = zipped({**{f"COMMUNE/{n}": b for n, b in parts.items()}, **clutter})
    answer = post(steward, "communes", archive, dry_run="yes")
    assert answer.status_code == 200, answer.json()
    assert database_state() == loaded


def test_steward_imports_actors(steward, reunion_communes, test_data):
    answer = post(
        steward,
        "actors",
        upload("elements.json", test_data(GOGOCARTO).read_bytes()),
        format="gogocarto",
        source_key="alternatives",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["summary"] == "created 98, updated 0, unchanged 0, skipped 602"
    assert any(w.startswith("skipped ") for w in answer.json()["warnings"])
    assert Actor.objects.filter(source_key="alternatives").count() == 98


def test_self_intersecting_ring_is_repaired_with_a_warning(steward, loaded, test_data):
    document = reunion(test_data)
    saint_denis = next(f for f in document["features"] if f["properties"]["code"] == "97411")
    bowtie = [[55.40, -20.90], [55.50, -20.95], [55.50, -20.90], [55.40, -20.95], [55.40, -20.90]]
    saint_denis["geometry"] = {"type": "Polygon", "coordinates": [bowtie]}
    dry = post(steward, "communes", geojson(document), dry_run="1")
    assert dry.status_code == 200
    assert (
        "(commune 97411, Saint-Denis): invalid geometry repaired (Self-intersection"
        in (dry.json()["warnings"][0])
    )
    assert database_state() == loaded
    assert (
        post(steward, "communes", geojson(document))
        .json()["summary"]
        .startswith("created 0, updated 1")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_IsValid(boundary), ST_NumGeometries(boundary) FROM territories_commune "
            "WHERE code = '97411'"
        )
        assert cursor.fetchone() == (True, 2)  # the bowtie, as two triangles


# --- refusals: each leaves the database as it was ----------------------------------------


def lambert_geojson(test_data, tmp_path):
    """Projected metres (UTM 40S) in a GeoJSON, which is WGS 84 by definition."""
    path = ogr2ogr(tmp_path / "utm.geojson", test_data(REUNION), "-t_srs", "EPSG:2975")
    text = path.read_text().replace('"crs"', '"crs_removed"')
    return [geojson(json.loads(text))], {}


def truncated_geojson(test_data, tmp_path):
    return [upload("cut.geojson", test_data(REUNION).read_bytes()[:40_000])], {}


def truncated_shapefile(test_data, tmp_path):
    parts = shapefile_parts(test_data, tmp_path)
    parts["974.shp"] = parts["974.shp"][:5000]
    return [zipped(parts)], {}


def shapefile_without_dbf(test_data, tmp_path):
    parts = shapefile_parts(test_data, tmp_path)
    del parts["974.dbf"]
    return [upload(n, b) for n, b in parts.items()], {}


def zipped_shapefile_without_dbf(test_data, tmp_path):
    parts = shapefile_parts(test_data, tmp_path)
    del parts["974.dbf"]
    return [zipped(parts)], {}


def shapefile_without_crs(test_data, tmp_path):
    parts = shapefile_parts(test_data, tmp_path)
    del parts["974.prj"]
    return [zipped(parts)], {}


def wrong_srid(test_data, tmp_path):
    return [zipped(shapefile_parts(test_data, tmp_path))], {"srid": "4326"}


def latin1_without_encoding(test_data, tmp_path):
    parts = shapefile_parts(test_data, tmp_path, "-lco", "ENCODING=ISO-8859-1")
    del parts["974.cpg"]
    return [zipped(parts)], {}


def zip_slip(test_data, tmp_path):
    return [zipped({"../../communes.geojson": test_data(REUNION).read_bytes()})], {}


def zip_absolute_path(test_data, tmp_path):
    return [zipped({"/tmp/communes.geojson": test_data(REUNION).read_bytes()})], {}


def zip_symlink(test_data, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("communes.geojson")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    return [upload("link.zip", buffer.getvalue())], {}


def zip_in_zip(test_data, tmp_path):
    inner = zipped({"communes.geojson": test_data(REUNION).read_bytes()}).read()
    return [zipped({"inner.zip": inner})], {}


def decompression_bomb(test_data, tmp_path):
    # 40 MB of zeros deflate to about 40 KB: a ratio of 1,000.
    return [zipped({"communes.geojson": bytes(40 * 1024**2)})], {}


def zip_understating_its_size(test_data, tmp_path):
    """Headers that claim 100 bytes for a 300 KB member: what comes out is checked, not claimed."""
    data = bytearray(zipped({"communes.geojson": test_data(REUNION).read_bytes()}).read())
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 100)
    struct.pack_into("<I", data, central + 24, 100)
    return [upload("liar.zip", bytes(data))], {}


def two_layers_in_a_zip(test_data, tmp_path):
    content = test_data(REUNION).read_bytes()
    return [zipped({"a.geojson": content, "b.geojson": content})], {}


def empty_geometries(test_data, tmp_path):
    document = reunion(test_data)
    for feature in document["features"]:
        feature["geometry"] = None
    return [geojson(document)], {}


def out_of_range(test_data, tmp_path):
    document = reunion(test_data)
    ring = [[555000, 7650000], [556000, 7650000], [556000, 7651000], [555000, 7650000]]
    document["features"][3]["geometry"] = {"type": "Polygon", "coordinates": [ring]}
    return [geojson(document)], {}


def mixed_geometry_types(test_data, tmp_path):
    document = reunion(test_data)
    document["features"][7]["geometry"] = {"type": "Point", "coordinates": [55.5, -21.1]}
    return [geojson(document)], {}


def mass_retirement(test_data, tmp_path):
    document = reunion(test_data)
    document["features"] = document["features"][:3]
    return [geojson(document)], {}


def not_a_vector_file(test_data, tmp_path):
    return [upload("communes.exe", b"MZ\x90\x00")], {}


def not_a_zip(test_data, tmp_path):
    return [upload("communes.zip", b"PK\x03\x04 this is no archive")], {}


def bad_srid(test_data, tmp_path):
    return [upload("c.geojson", test_data(REUNION).read_bytes())], {"srid": "4326; DROP TABLE"}


def unknown_srid(test_data, tmp_path):
    return [upload("c.geojson", test_data(REUNION).read_bytes())], {"srid": "999999"}


def bad_boolean(test_data, tmp_path):
    return [upload("c.geojson", test_data(REUNION).read_bytes())], {"dry_run": "maybe"}


def bad_date(test_data, tmp_path):
    return [upload("c.geojson", test_data(REUNION).read_bytes())], {"valid_from": "2027-13-45"}


def unknown_option(test_data, tmp_path):
    return [upload("c.geojson", test_data(REUNION).read_bytes())], {"delete_all": "yes"}


def unknown_schema(test_data, tmp_path):
    return [upload("c.geojson", test_data(REUNION).read_bytes())], {"source": "cadastre-1850"}


def missing_field(test_data, tmp_path):
    return [upload("c.geojson", test_data(REUNION).read_bytes())], {"code_field": "INSEE_COM"}


def bad_encoding_name(test_data, tmp_path):
    return [upload("c.geojson", test_data(REUNION).read_bytes())], {"encoding": "KLINGON-8"}


def no_file(test_data, tmp_path):
    return [], {"dry_run": "true"}


@pytest.mark.parametrize(
    "make, status, reason",
    [
        (truncated_geojson, 400, "cut.geojson: GDAL cannot read it"),
        (truncated_shapefile, 400, "GDAL cannot read it"),
        (shapefile_without_dbf, 400, "974.shp: the .dbf file that goes with it is missing"),
        (zipped_shapefile_without_dbf, 400, "the .dbf file that goes with it is missing"),
        (shapefile_without_crs, 400, "declares no CRS; give its EPSG code with srid"),
        (wrong_srid, 400, "lies outside longitude/latitude once reprojected"),
        (lambert_geojson, 400, "lies outside longitude/latitude once reprojected"),
        (latin1_without_encoding, 400, "is not UTF-8; give the file's encoding with encoding"),
        (zip_slip, 400, "member '../../communes.geojson' points outside the archive"),
        (zip_absolute_path, 400, "member '/tmp/communes.geojson' points outside the archive"),
        (zip_symlink, 400, "member 'communes.geojson' is a symbolic link; refused"),
        (zip_in_zip, 400, "member 'inner.zip' is an archive in the archive"),
        (decompression_bomb, 413, "refused as a decompression bomb"),
        (zip_understating_its_size, 400, "not a readable zip archive (Bad CRC-32"),
        (two_layers_in_a_zip, 400, "several vector files, name one with layer: a, b"),
        (empty_geometries, 400, "the file holds no commune with a geometry"),
        (out_of_range, 400, "(commune 97404, Étang-Salé) lies outside longitude/latitude"),
        (mixed_geometry_types, 400, "(commune 97408, Possession) is a Point, not a polygon"),
        (mass_retirement, 400, "would retire 21 of the 24 communes of département 974"),
        (not_a_vector_file, 400, "communes.exe: not a file type GeoCivic imports"),
        (not_a_zip, 400, "communes.zip: not a readable zip archive"),
        (bad_srid, 400, "srid: an EPSG code (a number), not '4326; DROP TABLE'"),
        (unknown_srid, 400, "srid 999999: not an EPSG code PROJ knows"),
        (bad_boolean, 400, "dry_run: true or false, not 'maybe'"),
        (bad_date, 400, "valid_from: a date YYYY-MM-DD, not '2027-13-45'"),
        (unknown_option, 400, "unknown option(s): delete_all (known: code_field"),
        (unknown_schema, 400, "unknown commune source 'cadastre-1850'"),
        (missing_field, 400, "no field 'INSEE_COM' (code_field); the file has: code, nom"),
        (bad_encoding_name, 400, "encoding KLINGON-8: unknown encoding"),
        (no_file, 400, "no file: send it in the form field `file`"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_bad_commune_upload_is_refused_and_changes_nothing(
    steward, loaded, test_data, tmp_path, make, status, reason
):
    files, options = make(test_data, tmp_path)
    answer = post(steward, "communes", *files, **options)
    assert answer.status_code == status, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    assert reason in answer.json()["detail"]
    assert "/tmp/geocivic-upload" not in answer.json()["detail"]  # no server path leaks
    assert database_state() == loaded


def test_two_gigabytes_are_refused_before_the_body_is_read(steward, loaded):
    # The test client's payload refuses to be read past what it holds: a 413 here proves the
    # view answered from the Content-Length alone.
    answer = steward.generic(
        "POST",
        "/api/imports/communes",
        b"--x--\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(2 * 1024**3),
    )
    assert answer.status_code == 413
    assert answer.json()["detail"].startswith("upload of 2147483648 bytes refused: at most")
    assert database_state() == loaded


@pytest.mark.parametrize("length", ["", "-5", "lots"])
def test_missing_or_nonsense_content_length_is_refused(steward, loaded, length):
    answer = steward.generic(
        "POST",
        "/api/imports/communes",
        b"--x--\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=length,
    )
    assert answer.status_code == 411
    assert answer.json()["detail"] == "a Content-Length header is required"
    assert database_state() == loaded


def test_upload_over_the_cap_is_cut_off_while_it_streams(steward, loaded, test_data, settings):
    # Within the Content-Length allowance (cap + form overhead), beyond the cap for the file.
    settings.GEO_CIVIC_UPLOAD_MAX_BYTES = 20_000
    big = upload("communes.geojson", test_data(REUNION).read_bytes()[:60_000])
    answer = post(steward, "communes", big)
    assert answer.status_code == 413
    # The count is the file's bytes received so far, not the request's Content-Length.
    assert answer.json()["detail"] == "upload of 60000 bytes refused: at most 20000 bytes"
    assert database_state() == loaded


def test_unzipped_size_has_its_own_cap(steward, loaded, test_data, settings):
    settings.GEO_CIVIC_UPLOAD_MAX_UNZIPPED_BYTES = 100_000  # the file inflates to ~300 KB
    archive = zipped({"communes.geojson": test_data(REUNION).read_bytes()})
    answer = post(steward, "communes", archive)
    assert answer.status_code == 413
    assert "(at most 100000 bytes" in answer.json()["detail"]
    assert database_state() == loaded


def test_not_multipart_and_malformed_multipart_are_refused(steward, loaded):
    as_json = steward.post("/api/imports/communes", {"a": 1}, content_type="application/json")
    assert as_json.status_code == 415 and "multipart/form-data" in as_json.json()["detail"]
    broken = steward.generic(
        "POST", "/api/imports/communes", b"garbage", content_type="multipart/form-data"
    )
    assert broken.status_code == 400 and "malformed multipart body" in broken.json()["detail"]
    assert database_state() == loaded


@pytest.mark.parametrize(
    "what, options, reason",
    [
        ("communes", {"srid": "²"}, "srid: an EPSG code (a number), not '²'"),  # isdigit()
        ("communes", {"srid": "٤٣٢٦"}, "srid: an EPSG code"),  # int() reads it as 4326
        ("communes", {"code_field": "code\x00"}, "code_field: a NUL character"),
        ("actors", {"source_key": "key\x00"}, "source_key: a NUL character"),
        ("actors", {f"p{i}": "1" for i in range(1001)}, "more than 1000 fields in the form"),
    ],
)
def test_hostile_option_values_are_refused_and_change_nothing(
    steward, loaded, test_data, what, options, reason
):
    answer = post(steward, what, geojson(reunion(test_data)), **options)
    assert answer.status_code == 400, answer.content
    assert reason in answer.json()["detail"]
    assert database_state() == loaded


def test_session_post_needs_the_csrf_token(loaded, test_data):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(steward_user())
    document = reunion(test_data)
    document["features"][0]["properties"]["nom"] = "Autre nom"
    refused = post(strict, "communes", geojson(document))
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("CSRF check failed")
    assert database_state() == loaded
    # With the token (from the cookie any page sets), the same upload goes through.
    strict.get("/comptes/login/")
    token = strict.cookies["csrftoken"].value
    accepted = strict.post(
        "/api/imports/communes", {"file": geojson(document)}, headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["summary"] == "created 0, updated 1, unchanged 23, retired 0"


# --- actors ------------------------------------------------------------------------------


def truncated_json(test_data, tmp_path):
    return [upload("elements.json", test_data(GOGOCARTO).read_bytes()[:10_000])], {}


def latin1_csv(test_data, tmp_path):
    content = "nom;latitude;longitude\nCafé réparation;-21.0096;55.27\n".encode("latin-1")
    return [upload("liste.csv", content)], {"format": "csv"}


def latin1_shapefile_of_points(test_data, tmp_path):
    source = tmp_path / "points.geojson"
    source.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"nom": "Café réparation"},
                        "geometry": {"type": "Point", "coordinates": [55.27, -21.0096]},
                    }
                ],
            }
        )
    )
    folder = tmp_path / "pts"
    folder.mkdir()
    ogr2ogr(folder / "points.shp", source, "-lco", "ENCODING=ISO-8859-1")
    (folder / "points.cpg").unlink()
    return [zipped({p.name: p.read_bytes() for p in folder.iterdir()})], {"format": "geojson"}


def unknown_format(test_data, tmp_path):
    return [upload("e.json", test_data(GOGOCARTO).read_bytes())], {"format": "xlsx"}


def unknown_kind(test_data, tmp_path):
    return [upload("e.json", test_data(GOGOCARTO).read_bytes())], {"kind": "person"}


def missing_column(test_data, tmp_path):
    content = b"nom,latitude,longitude\nAtelier,-21.0096,55.27\n"
    return [upload("liste.csv", content)], {"format": "csv", "name_field": "raison_sociale"}


def bad_mapping(test_data, tmp_path):
    content = b"nom,latitude,longitude\nAtelier,-21.0096,55.27\n"
    mapping = upload("fields.toml", b"[fields]\nname = ")
    return [upload("liste.csv", content)], {"format": "csv", "mapping": mapping}


def mapping_as_text(test_data, tmp_path):
    content = b"nom,latitude,longitude\nAtelier,-21.0096,55.27\n"
    return [upload("liste.csv", content)], {"format": "csv", "mapping": "name = 'nom'"}


@pytest.mark.parametrize(
    "make, status, reason",
    [
        (truncated_json, 400, "elements.json: invalid JSON (Unterminated string"),
        (latin1_csv, 400, "liste.csv: not UTF-8 text (invalid continuation byte"),
        (latin1_shapefile_of_points, 400, "points.shp: feature 1 has text that is not UTF-8"),
        (unknown_format, 400, "format: one of csv, geojson, gogocarto, json, transiscope"),
        (unknown_kind, 400, "kind: one of organisation, project, event, place, not 'person'"),
        (missing_column, 400, "column 'raison_sociale' (for name) is not in the file"),
        (bad_mapping, 400, "mapping.toml.in: invalid TOML"),
        (mapping_as_text, 400, "unknown option(s): mapping (known: address_field"),
        (no_file, 400, "no file: send it in the form field `file`"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_bad_actor_upload_is_refused_and_changes_nothing(
    steward, loaded, test_data, tmp_path, make, status, reason
):
    files, options = make(test_data, tmp_path)
    answer = post(steward, "actors", *files, **options)
    assert answer.status_code == status, answer.content
    assert reason in answer.json()["detail"]
    assert database_state() == loaded


def test_actor_rows_out_of_range_or_not_points_are_reported_and_skipped(steward, loaded):
    records = {"data": [{"@id": "x", "name": "Nulle part", "lat": 999, "long": 55.27}]}
    answer = post(steward, "actors", upload("e.json", json.dumps(records).encode()))
    assert answer.status_code == 200
    assert answer.json()["summary"] == "created 0, updated 0, unchanged 0, skipped 1"
    assert "Nulle part: missing or invalid coordinates" in answer.json()["warnings"][0]
    # Communes and actors as they were; the import log keeps the run and what it skipped.
    assert database_state()[:4] == loaded[:4]
    assert database_state()[4] == loaded[4] + 1
    run = ImportRun.objects.order_by("-id").first()
    assert (run.kind, run.counts["skipped"]) == ("actors", 1)
    assert "Nulle part: missing or invalid coordinates" in run.warnings[0]
    mixed = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"nom": "Une zone"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[55.2, -21], [55.3, -21], [55.3, -21.1], [55.2, -21]]],
                },  # fmt: skip
            }
        ],
    }
    answer = post(
        steward, "actors", upload("m.geojson", json.dumps(mixed).encode()), format="geojson"
    )
    assert answer.json()["warnings"] == [
        "skipped 1 (unparsable): feature 1: a Polygon, not a point"
    ]
    assert database_state()[:4] == loaded[:4]
