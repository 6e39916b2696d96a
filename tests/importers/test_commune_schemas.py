"""`--source auto` recognises each publisher's schema from real files renamed by GDAL."""

import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from geo_civic.territories.models import Commune
from importers.commune_schemas import all_schemas, recognise
from importers.communes import import_communes
from tests.conftest import REUNION
from tests.importers.gdal_files import ogr2ogr

pytestmark = pytest.mark.django_db

LAYER = "communes-974-la-reunion"


def renamed(test_data, target: Path, select: str, *options: str) -> Path:
    """The Réunion file with its fields renamed by an SQL query (SQLite dialect)."""
    sql = "SELECT " + select + f', geometry FROM "{LAYER}"'  # noqa: S608 (GDAL, not the DB)
    return ogr2ogr(target, test_data(REUNION), "-dialect", "SQLite", "-sql", sql, *options)


def test_every_declared_source_has_a_code_and_a_name():
    names = {schema.name for schema in all_schemas()}
    assert {"admin-express", "geo-api", "france-geojson", "gisco-lau", "osm-admin8"} <= names
    assert "generic" in names
    for schema in all_schemas():
        assert schema.fields["code"] and schema.fields["name"], schema.name


def test_admin_express_shapefile_in_utm_is_recognised(test_data, tmp_path):
    shp = renamed(
        test_data,
        tmp_path / "COMMUNE.shp",
        "code AS INSEE_COM, nom AS NOM, length(nom) * 1000 AS POPULATION, "
        "'974' AS INSEE_DEP, '04' AS INSEE_REG",
        "-t_srs",
        "EPSG:2975",
    )
    summary = import_communes(shp)
    assert (summary.schema, summary.created) == ("admin-express", 24)
    saint_denis = Commune.objects.get(code="97411")
    assert (saint_denis.name, saint_denis.population) == ("Saint-Denis", 11000)
    assert (saint_denis.departement_code, saint_denis.region_code) == ("974", "04")


def test_geo_api_geojson_is_recognised(test_data, tmp_path):
    path = renamed(
        test_data,
        tmp_path / "geo-api.geojson",
        "code, nom, '974' AS codeDepartement, '04' AS codeRegion, 1000 AS population",
    )
    summary = import_communes(path)
    assert summary.schema == "geo-api"
    assert Commune.objects.filter(region_code="04", population=1000).count() == 24


def test_gisco_lau_takes_the_country_of_each_feature(test_data, tmp_path):
    path = renamed(
        test_data,
        tmp_path / "lau.geojson",
        "'FR_' || code AS GISCO_ID, 'FR' AS CNTR_CODE, code AS LAU_ID, nom AS LAU_NAME, "
        "2000 AS POP_2021",
    )
    summary = import_communes(path, country="BE")
    assert summary.schema == "gisco-lau"
    assert set(Commune.objects.values_list("country", "population")) == {("FR", 2000)}


def test_osm_keeps_only_admin_level_8(test_data, tmp_path):
    document = json.loads(test_data(REUNION).read_text())
    for feature in document["features"]:
        code, nom = feature["properties"]["code"], feature["properties"]["nom"]
        feature["properties"] = {"ref:INSEE": code, "name": nom, "admin_level": "8"}
    island = json.loads(json.dumps(document["features"][0]))
    island["properties"] = {"ref:INSEE": "974", "name": "La Réunion", "admin_level": "6"}
    document["features"].append(island)
    path = tmp_path / "osm.geojson"
    path.write_text(json.dumps(document))
    summary = import_communes(path)
    assert (summary.schema, summary.created) == ("osm-admin8", 24)
    assert not Commune.objects.filter(code="974").exists()


def test_generic_municipalities_of_another_country(test_data, tmp_path):
    path = renamed(test_data, tmp_path / "be.gpkg", "code, nom AS name")
    summary = import_communes(path, country="BE")
    assert summary.schema == "generic"
    assert Commune.objects.filter(country="BE", departement_code="").count() == 24


def test_recognition_prefers_the_closest_schema():
    assert recognise(["code", "nom"]).name == "france-geojson"
    assert recognise(["code", "nom", "codeDepartement", "population"]).name == "geo-api"
    assert recognise(["INSEE_COM", "NOM_COM", "INSEE_DEP"]).name == "admin-express"
    assert recognise(["id", "label"]) is None


def test_flags_override_the_schema(test_data, tmp_path):
    path = renamed(test_data, tmp_path / "x.geojson", "code AS insee, nom AS libelle, 7 AS hab")
    import_communes(path, code_field="insee", name_field="libelle", population_field="hab")
    assert Commune.objects.get(code="97416").population == 7


@pytest.fixture
def geo_api_server(tmp_path, settings, test_data):
    """geo.api.gouv.fr played by a server on loopback, answering a real GeoJSON body."""
    settings.GEO_CIVIC_DOWNLOAD_ALLOW_PRIVATE = True
    root = tmp_path / "www"
    (root / "departements" / "974").mkdir(parents=True)
    renamed(
        test_data,
        root / "departements" / "974" / "communes.geojson",
        "code, nom, '974' AS codeDepartement, '04' AS codeRegion, 1000 AS population",
    )
    (root / "departements" / "974" / "communes.geojson").rename(
        root / "departements" / "974" / "communes"
    )
    handler = lambda *a, **kw: http.server.SimpleHTTPRequestHandler(  # noqa: E731
        *a, directory=str(root), **kw
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    sources = tmp_path / "data"
    (sources / "communes").mkdir(parents=True)
    for toml in (Path(django_settings.BASE_DIR) / "data" / "communes").glob("*.toml"):
        shutil.copy(toml, sources / "communes")
    geo_api = sources / "communes" / "geo-api.toml"
    geo_api.write_text(geo_api.read_text().replace("https://geo.api.gouv.fr", base))
    settings.GEO_CIVIC_SOURCES_DIR = sources
    yield base, sources
    server.shutdown()


def test_geo_api_source_downloads_a_departement(geo_api_server, capsys):
    base, sources = geo_api_server
    call_command("import_communes", "geo-api", "--departement", "974")
    assert capsys.readouterr().out.strip() == "created 24, updated 0, unchanged 0, retired 0"
    assert Commune.objects.get(code="97411").source == "geo-api/974"
    assert list((sources / "communes" / "cache").glob("geo-api-974-*.sha256"))


def test_url_source_is_downloaded_once_into_the_cache(geo_api_server, capsys):
    base, sources = geo_api_server
    call_command("import_communes", f"{base}/departements/974/communes")
    call_command("import_communes", f"{base}/departements/974/communes")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [
        "created 24, updated 0, unchanged 0, retired 0",
        "created 0, updated 0, unchanged 24, retired 0",
    ]
    assert len(list((sources / "communes" / "cache").glob("url-*.sha256"))) == 1


def test_unknown_named_source_lists_the_known_ones(db):
    with pytest.raises(CommandError, match="known: admin-express, france-geojson"):
        call_command("import_communes", "cadastre", "--departement", "974")


def test_a_source_read_from_local_files_says_how(db):
    with pytest.raises(CommandError, match="import_communes PATH --source admin-express"):
        call_command("import_communes", "admin-express", "--departement", "974")
