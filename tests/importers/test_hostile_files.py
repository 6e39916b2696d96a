"""Hostile files: GDAL opens only the format a file's name promises, and never the network.

Each file is the attack tried against ``make demo``: a ``.geojson`` that is really a VRT reading
the app's database (``PG:``), a local file (``CSV:``) or a URL (``/vsicurl/``); a GeoJSON whose
CRS is a link; a KML with external entities, or a NetworkLink. Through both upload endpoints and
both commands, plain and zipped, each is refused with one line naming the format, and: nothing is
read (private data and a secret line planted beforehand appear in no answer), nothing is fetched
(a listener on loopback records no connection), nothing changes (a checksum of every table).
"""

from __future__ import annotations

import contextlib
import io
import json
import socket
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.gdal import DataSource, GDALException
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from geo_civic.actors.models import Actor
from importers.gdal_open import network_off

# The PG: data source is another connection: it sees only committed rows.
pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "lea.hoarau.private@example.org"
PHONE = "0692 98 76 54"
HOME_LON, HOME_LAT = "55.461234", "-20.891357"
SECRET_LINE = "GEOCIVIC-SECRET-FIRST-LINE-3f9c"
SECRETS = [EMAIL, PHONE, "55.461234", "20.891357", "55.46123", "20.89135", SECRET_LINE]


class Listener:
    """A loopback TCP server that records every connection (and answers like a web server)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            with client:
                client.settimeout(2)
                try:
                    self.connections.append(client.recv(4096))
                    client.sendall(b"HTTP/1.0 200 OK\r\n\r\nleaked,from,the,listener\n1,2,3,4\n")
                except OSError:
                    self.connections.append(b"")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.sock.close()


@dataclass
class Env:
    """What the hostile files point at: the test database, a secret local file, the listener."""

    listener: Listener
    secret_csv: Path

    def pg(self) -> str:
        db = connection.settings_dict
        parts = [f"host={db['HOST']}", f"port={db['PORT']}", f"dbname={db['NAME']}"]
        parts += [f"user={db['USER']}"] + ([f"password={db['PASSWORD']}"] if db["PASSWORD"] else [])
        # The app role's credentials too: the worst case, an attacker who holds them (the
        # embedded cluster trusts nobody, so without them the VRT would not even connect).
        if passfile := db.get("OPTIONS", {}).get("passfile"):
            parts.append(f"passfile={passfile}")
        return "PG:" + " ".join(parts)


@pytest.fixture
def env(listener, tmp_path) -> Env:
    secret = tmp_path / "secret.csv"
    secret.write_text(f"{SECRET_LINE},b\n1,2\n")
    return Env(listener, secret)


def vrt(source: str, sql: str = "", layer: str = "secret") -> bytes:
    read = f"<SrcSQL>{sql}</SrcSQL>" if sql else f"<SrcLayer>{layer}</SrcLayer>"
    return (
        f'<OGRVRTDataSource><OGRVRTLayer name="communes"><SrcDataSource>{source}</SrcDataSource>'
        f"{read}</OGRVRTLayer></OGRVRTDataSource>"
    ).encode()


# What a steward's import reads: a commune's code and name, and a polygon (communes) or a point.
PRIVATE_SQL = (
    "SELECT '97411' AS code, email || ' ' || phone || ' ' || ST_X(point) || ' ' || ST_Y(point) "
    "AS nom, ST_Multi(ST_Buffer(point, 0.01)) AS geom FROM actors_actor"
)
POLYGON = [[[55.4, -20.9], [55.5, -20.9], [55.5, -20.8], [55.4, -20.9]]]


def crs_link(env: Env) -> bytes:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "crs": {"type": "link", "properties": {"href": env.listener.url("crs")}},
            "features": [
                {
                    "type": "Feature",
                    "properties": {"code": "97411", "nom": "Saint-Denis"},
                    "geometry": {"type": "Polygon", "coordinates": POLYGON},
                }
            ],
        }
    ).encode()


def kml_entities(env: Env) -> bytes:
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE kml [<!ENTITY web SYSTEM "{env.listener.url("entity")}">'
        f'<!ENTITY secret SYSTEM "file://{env.secret_csv}">]>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>&secret;</name>'
        '<ExtendedData><Data name="code"><value>&web;</value></Data></ExtendedData>'
        "<Polygon><outerBoundaryIs><LinearRing><coordinates>55.4,-20.9 55.5,-20.9 55.5,-20.8 "
        "55.4,-20.9</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
        "</Document></kml>"
    ).encode()


def kml_network_link(env: Env) -> bytes:
    return (
        '<?xml version="1.0"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<NetworkLink><name>more</name><Link><href>{env.listener.url('more.kml')}</href></Link>"
        "</NetworkLink></Document></kml>"
    ).encode()


# name: (file name, content, what the refusal names)
HOSTILE = {
    "vrt-postgresql": ("p.geojson", lambda e: vrt(e.pg(), PRIVATE_SQL), "(OGR_VRT)"),
    "vrt-local-csv": ("p.geojson", lambda e: vrt(f"CSV:{e.secret_csv}"), "(OGR_VRT)"),
    "vrt-vsicurl": (
        "p.geojson",
        lambda e: vrt("/vsicurl/" + e.listener.url("x.csv"), layer="x"),
        "(OGR_VRT)",
    ),
    "geojson-crs-link": ("p.geojson", crs_link, "GeoJSON file points to a URL"),
    "kml-external-entities": ("p.kml", kml_entities, "parsing kml"),
    "kml-network-link": ("p.kml", kml_network_link, "LIBKML file holds no feature"),
}


def zipped(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"DATA/{name}", content)
    return buffer.getvalue()


def hostile_file(case: str, env: Env, in_zip: bool) -> tuple[str, bytes, str]:
    name, make, names_format = HOSTILE[case]
    content = make(env)
    if in_zip:
        return "communes.zip", zipped(name, content), names_format
    return name, content, names_format


@pytest.fixture
def planted() -> Actor:
    """A home with a private e-mail, phone and exact position, as every test finds it."""
    return Actor.objects.create(
        kind="place",
        name="Chez Léa",
        point=f"POINT({HOME_LON} {HOME_LAT})",
        location_is_private=True,
        email=EMAIL,
        phone=PHONE,
        status=Actor.Status.PUBLISHED,
    )


CHECKSUM_SQL = "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t"


def database_checksum() -> dict[str, str]:
    """An md5 of every row of every table of the public schema."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = sorted(row[0] for row in cursor.fetchall())
        sums = {}
        for table in tables:
            cursor.execute(CHECKSUM_SQL.format(connection.ops.quote_name(table)))
            sums[table] = cursor.fetchone()[0]
    return sums


def assert_refused_cleanly(message: str, names_format: str, listener: Listener, before) -> None:
    assert "\n" not in message.strip(), message
    assert names_format.lower() in message.lower(), message
    for secret in SECRETS:
        assert secret not in message, f"{secret!r} leaked: {message}"
    assert listener.connections == [], "GDAL reached the network"
    assert database_checksum() == before


@pytest.fixture
def steward(client):
    user = User.objects.create_user("gaelle", "gaelle@example.org", "limites-974-ok")
    user.groups.add(Group.objects.get_or_create(name="stewards")[0])
    client.force_login(user)
    return client


CASES = [pytest.param(case, False, id=case) for case in HOSTILE] + [
    pytest.param(case, True, id=f"{case}-zipped") for case in HOSTILE
]


# --- the files are real attacks: plain GDAL falls for them -----------------------------------


def test_plain_gdal_reads_the_database_a_local_file_and_the_network(planted, env, listener):
    def read(content: bytes) -> str:
        layer = DataSource(str(_write(env, content)))[0]
        values = [str(feature.get(field)) for feature in layer for field in layer.fields]
        return " ".join(layer.fields + values)

    leaked = read(vrt(env.pg(), PRIVATE_SQL))
    assert EMAIL in leaked and PHONE in leaked and HOME_LON in leaked
    assert SECRET_LINE in read(vrt(f"CSV:{env.secret_csv}"))  # its first line: the field names
    read(crs_link(env))
    assert any(b"GET /crs" in request for request in listener.connections)


# --- through the upload endpoints ------------------------------------------------------------


@pytest.mark.parametrize("case, in_zip", CASES)
def test_commune_upload_refuses(steward, planted, env, listener, case, in_zip):
    name, content, names_format = hostile_file(case, env, in_zip)
    before = database_checksum()
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    answer = steward.post("/api/imports/communes", {"file": upload, "dry_run": "true"})
    assert answer.status_code == 400, answer.content
    assert list(answer.json()) == ["type", "title", "status", "detail"]  # one line, no rows
    assert_refused_cleanly(answer.json()["detail"], names_format, listener, before)
    assert_refused_cleanly(answer.content.decode(), names_format, listener, before)


@pytest.mark.parametrize("case, in_zip", CASES)
def test_actor_upload_refuses(steward, planted, env, listener, case, in_zip):
    name, content, names_format = hostile_file(case, env, in_zip)
    before = database_checksum()
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    answer = steward.post(
        "/api/imports/actors",
        {"file": upload, "format": "geojson", "name_field": "nom", "dry_run": "true"},
    )
    assert answer.status_code == 400, answer.content
    assert_refused_cleanly(answer.json()["detail"], names_format, listener, before)
    assert_refused_cleanly(answer.content.decode(), names_format, listener, before)


def test_a_vrt_upload_in_a_json_reader_is_inert(steward, planted, env, listener):
    """The Python readers (gogocarto, transiscope, json) parse JSON: a VRT is not JSON."""
    before = database_checksum()
    upload = SimpleUploadedFile("p.json", vrt(env.pg(), PRIVATE_SQL))
    answer = steward.post("/api/imports/actors", {"file": upload, "format": "json"})
    assert answer.status_code == 400
    assert_refused_cleanly(answer.json()["detail"], "invalid JSON", listener, before)


# --- through the commands --------------------------------------------------------------------


@pytest.mark.parametrize("case, in_zip", CASES)
def test_import_communes_refuses(planted, env, listener, tmp_path, case, in_zip, capsys):
    name, content, names_format = hostile_file(case, env, in_zip)
    path = tmp_path / "given" / name
    path.parent.mkdir()
    path.write_bytes(content)
    before = database_checksum()
    with pytest.raises(CommandError) as refused:
        call_command("import_communes", str(path))
    output = capsys.readouterr()
    assert_refused_cleanly(str(refused.value), names_format, listener, before)
    assert_refused_cleanly(output.out + output.err, "", listener, before)


@pytest.mark.parametrize("case", list(HOSTILE))
def test_import_actors_refuses(planted, env, listener, tmp_path, case, capsys):
    name, content, names_format = hostile_file(case, env, in_zip=False)
    path = tmp_path / "given" / name
    path.parent.mkdir()
    path.write_bytes(content)
    before = database_checksum()
    with pytest.raises(CommandError) as refused:
        call_command("import_actors", str(path), "--format", "geojson", "--name-field", "nom")
    output = capsys.readouterr()
    assert_refused_cleanly(str(refused.value), names_format, listener, before)
    assert_refused_cleanly(output.out + output.err, "", listener, before)


@pytest.mark.parametrize("prefix", ["/vsicurl/", "/vsicurl_streaming/", "/vsis3/bucket/"])
def test_gdal_network_paths_are_refused(planted, listener, prefix):
    before = database_checksum()
    url = prefix + (listener.url("p.geojson") if "curl" in prefix else "p.geojson")
    with pytest.raises(CommandError, match="virtual file systems are not read"):
        call_command("import_actors", url, "--format", "geojson")
    with pytest.raises(CommandError):
        call_command("import_communes", url)
    assert listener.connections == [] and database_checksum() == before


def test_python_readers_take_no_url(planted, listener):
    before = database_checksum()
    for fmt in ("gogocarto", "transiscope", "json", "csv"):
        with pytest.raises(CommandError, match="no such file"):
            call_command("import_actors", listener.url("elements.json"), "--format", fmt)
    assert listener.connections == [] and database_checksum() == before


def test_network_off_holds_whatever_the_driver_and_the_proxy_environment(
    env, listener, monkeypatch
):
    """Under ``network_off`` even unrestricted GDAL fetches nothing, though curl would bypass
    a proxy for loopback (``no_proxy``); once the block ends, GDAL is as it was."""
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    crs = _write(env, crs_link(env))
    curl = _write(env, vrt("/vsicurl/" + listener.url("x.csv"), layer="x"), "curl.vrt")
    with network_off() as asked:
        DataSource(str(crs))
        layer = DataSource(str(curl))[0]
        with contextlib.suppress(GDALException):
            assert [feature.fields for feature in layer] == []
    assert listener.connections == []
    assert asked == [listener.url("crs")]
    DataSource(str(crs))
    assert len(listener.connections) == 1


def _write(env: Env, content: bytes, name: str = "written.geojson") -> Path:
    path = env.secret_csv.with_name(name)
    path.write_bytes(content)
    return path
